/**
 * Speech to text through the OpenAI SDK (`/audio/transcriptions`): whisper-1 or any compatible
 * server. Whisper models answer `verbose_json`, so the spoken duration and word timings are known;
 * others (gpt-4o-mini-transcribe) answer plain JSON and the locally measured duration is used.
 */
import OpenAI, { toFile } from 'openai';
import { classifyFailure, ProviderError } from './errors.js';

export interface AudioClip {
  bytes: Uint8Array;
  /** The sniffed container's extension (the endpoint picks its decoder by file name). */
  ext: string;
  mimeType: string;
}

export interface Transcript {
  text: string;
  model: string;
  language: string | null;
  /** Spoken duration reported by the transcriber, when it reports one. */
  durationSec: number | null;
  /** Words with timings, when the model gives them; speechSec spans first to last word. */
  timedWords: number | null;
  speechSec: number | null;
  latencyMs: number;
}

export interface Transcriber {
  readonly name: 'openai';
  readonly model: string;
  transcribe(clip: AudioClip): Promise<Transcript>;
}

/** Models known to answer verbose_json with word timestamps. */
const supportsVerbose = (model: string) => /whisper/i.test(model);

export function createOpenAiTranscriber(client: OpenAI, model: string): Transcriber {
  return {
    name: 'openai',
    model,
    async transcribe(clip) {
      const started = performance.now();
      const file = await toFile(clip.bytes, `clip.${clip.ext}`, { type: clip.mimeType });
      try {
        if (supportsVerbose(model)) {
          const r = await client.audio.transcriptions.create({
            file,
            model,
            response_format: 'verbose_json',
            timestamp_granularities: ['word', 'segment'],
          });
          const words = r.words ?? [];
          const first = words[0];
          const last = words.at(-1);
          return finish(r.text, started, {
            language: r.language || null,
            durationSec: Number.isFinite(r.duration) && r.duration > 0 ? r.duration : null,
            timedWords: words.length,
            speechSec: first && last ? Math.max(0, last.end - first.start) : null,
          });
        }
        const r = await client.audio.transcriptions.create({
          file,
          model,
          response_format: 'json',
        });
        return finish(r.text, started, {
          language: null,
          durationSec: null,
          timedWords: null,
          speechSec: null,
        });
      } catch (err) {
        throw classifyFailure('transcription', err);
      }

      function finish(
        text: string,
        t0: number,
        rest: Pick<Transcript, 'language' | 'durationSec' | 'timedWords' | 'speechSec'>,
      ): Transcript {
        const clean = text.replace(/\s+/g, ' ').trim();
        if (clean === '')
          throw new ProviderError('transcription', 'no_speech', 'the clip has no speech');
        return { text: clean, model, latencyMs: Math.round(performance.now() - t0), ...rest };
      }
    },
  };
}
