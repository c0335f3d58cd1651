/**
 * Audio uploads of the voice route: multer keeps the one `audio` part in memory (25 MiB at most),
 * then the bytes — never the file name or the client's content type — say what the file is, and
 * the container is parsed locally for its duration, so words per minute exist whatever the
 * transcriber returns. Every refusal happens before anything is stored.
 */
import type { RequestHandler } from 'express';
import { fileTypeFromBuffer } from 'file-type';
import multer from 'multer';
import { parseBuffer } from 'music-metadata';
import { AppError, badRequest, unavailable } from '../../shared/errors.js';
import { inFlightCounter } from '../middleware/in-flight.js';

/** API.md: at most 25 MiB. */
export const AUDIO_MAX_BYTES = 25 * 1024 * 1024;
/** Shorter than this there is nothing to transcribe (a header, a click). */
const MIN_DURATION_SEC = 0.25;
/**
 * 15 minutes: the transcript of a longer clip would pass the 20 000 characters a JSON transcript
 * may have (about 3 300 words, 20 minutes at a brisk 170 words per minute).
 */
const MAX_DURATION_SEC = 900;

/**
 * Sniffed container → the extension the speech endpoint decodes by (its accepted list: flac, m4a,
 * mp3, mp4, mpeg, mpga, oga, ogg, wav, webm).
 */
const ACCEPTED: Readonly<Record<string, string>> = {
  flac: 'flac',
  m4a: 'm4a',
  mp3: 'mp3',
  mp4: 'mp4',
  mpg: 'mpeg',
  ogg: 'ogg',
  oga: 'ogg',
  opus: 'ogg',
  wav: 'wav',
  webm: 'webm',
};

export interface AudioFacts {
  mimeType: string;
  ext: string;
  sizeBytes: number;
  /** Null for a streamed WebM, whose container does not say. */
  durationSec: number | null;
}

/** Music-metadata's words for a container that promises more than the bytes hold. */
const TRUNCATED = /exceeding file length|end-of-stream reached before/i;

/** What the bytes are and how long they play; a 400 for anything else. */
export async function inspectAudio(bytes: Uint8Array): Promise<AudioFacts> {
  const type = await fileTypeFromBuffer(bytes);
  const ext = type ? ACCEPTED[type.ext] : undefined;
  if (!type || !ext) {
    throw badRequest(
      'AUDIO_FORMAT_UNSUPPORTED',
      'The audio must be flac, m4a, mp3, mp4, mpeg, ogg, wav or webm',
    );
  }
  const duration = await measure(bytes, type.mime, ext);
  if (duration === 'unreadable') {
    throw badRequest(
      'AUDIO_UNREADABLE',
      `The ${ext} file cannot be decoded (damaged or truncated)`,
    );
  }
  if (duration !== null && duration > MAX_DURATION_SEC) {
    throw badRequest('AUDIO_TOO_LONG', 'The audio must be at most 15 minutes long');
  }
  return {
    mimeType: type.mime,
    ext,
    sizeBytes: bytes.length,
    durationSec: duration === null ? null : Math.round(duration * 1000) / 1000,
  };
}

/**
 * Seconds of audio in the container. A WebM recorded as a stream (what browsers' MediaRecorder
 * writes) carries no duration: with an audio track it is accepted as null, and the transcriber's
 * duration is used.
 */
async function measure(
  bytes: Uint8Array,
  mimeType: string,
  ext: string,
): Promise<number | null | 'unreadable'> {
  try {
    const meta = await parseBuffer(
      bytes,
      { mimeType, size: bytes.length },
      { duration: true, skipCovers: true },
    );
    if (meta.quality.warnings.some((w) => TRUNCATED.test(w.message))) return 'unreadable';
    const { duration, hasAudio, codec } = meta.format;
    if (duration === undefined && ext === 'webm' && hasAudio && codec) return null;
    if (duration === undefined || !Number.isFinite(duration) || duration < MIN_DURATION_SEC) {
      return 'unreadable';
    }
    return duration;
  } catch {
    return 'unreadable';
  }
}

/** Audio needs a transcription provider: refuse before reading the upload when there is none. */
export function requireTranscription(available: boolean): RequestHandler {
  return (_req, _res, next) => {
    if (!available) {
      throw unavailable(
        'TRANSCRIPTION_UNAVAILABLE',
        'Audio uploads need a transcription provider; send a transcript',
      );
    }
    next();
  };
}

/**
 * At most `limit` uploads are read at once (each may hold 25 MiB in memory); past that the API
 * answers 503 OVERLOADED with Retry-After before reading a byte.
 */
export function limitUploads(limit: number): RequestHandler {
  const uploads = inFlightCounter();
  return (_req, res, next) => {
    if (uploads.count >= limit) {
      throw new AppError('OVERLOADED', 503, 'Too many audio uploads at once; retry shortly', {
        headers: { 'Retry-After': '2' },
      });
    }
    uploads.enter(res);
    next();
  };
}

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: AUDIO_MAX_BYTES, files: 1, fields: 10, fieldSize: 4096, parts: 12 },
}).single('audio');

/** Reads the multipart body (one `audio` file part and text fields) with clear 4xx refusals. */
export const receiveAudio: RequestHandler = (req, res, next) => {
  upload(req, res, (err: unknown) => {
    if (err === undefined || err === null) {
      if (!req.file) {
        next(
          new AppError('VALIDATION_FAILED', 400, 'audio: a file part named audio is required', {
            errors: [{ path: 'audio', message: 'a file part named audio is required' }],
          }),
        );
        return;
      }
      next();
      return;
    }
    next(uploadError(err));
  });
};

function uploadError(err: unknown): AppError {
  if (err instanceof multer.MulterError) {
    if (err.code === 'LIMIT_FILE_SIZE') {
      return new AppError('PAYLOAD_TOO_LARGE', 413, 'The audio file exceeds 25 MiB');
    }
    const detail =
      err.code === 'LIMIT_UNEXPECTED_FILE' || err.code === 'LIMIT_FILE_COUNT'
        ? 'Send exactly one file part, named audio'
        : `The form is not accepted: ${err.message}`;
    return new AppError('VALIDATION_FAILED', 400, detail, {
      errors: [{ path: err.field ?? 'audio', message: detail }],
    });
  }
  return badRequest('MALFORMED_REQUEST', 'The multipart body cannot be read');
}
