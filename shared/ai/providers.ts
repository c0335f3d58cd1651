/**
 * The one place that turns configuration into the AiCore provider, its fallback and the
 * transcriber. The worker builds them once, verifies them and logs/exports what it runs.
 */
import OpenAI from 'openai';
import type { Config } from '../config.js';
import { heuristicProvider } from './heuristic/provider.js';
import { createOpenAiProvider } from './openai/provider.js';
import { RUBRIC_VERSION } from './openai/rubric.js';
import { createOpenAiTranscriber, type Transcriber } from './openai/transcriber.js';
import type { AiCoreProvider } from './types.js';

/** What runs, for the start log and the `scoring_provider_info` gauge. */
export interface ProviderInfo {
  scoring: 'heuristic' | 'openai';
  model: string;
  rubric: string;
  fallback: 'heuristic' | 'fail' | 'none';
  transcription: 'openai' | 'none';
  transcriptionModel: string;
}

export interface ScoringSetup {
  provider: AiCoreProvider;
  /** Scores the session when the provider's final attempt failed; null: FAIL it. */
  fallback: AiCoreProvider | null;
  transcriber: Transcriber | null;
  info: ProviderInfo;
  /** Proves each remote endpoint answers with its key; rejects with a message naming the setting. */
  verify: () => Promise<void>;
}

export function createScoringSetup(config: Config): ScoringSetup {
  const scoringClient =
    config.SCORING_PROVIDER === 'openai'
      ? new OpenAI({
          apiKey: config.OPENAI_API_KEY,
          baseURL: config.OPENAI_BASE_URL,
          timeout: config.OPENAI_TIMEOUT_MS,
          maxRetries: config.OPENAI_MAX_RETRIES,
        })
      : null;
  const speechClient =
    config.TRANSCRIPTION_PROVIDER === 'openai'
      ? new OpenAI({
          apiKey: config.TRANSCRIPTION_API_KEY,
          baseURL: config.TRANSCRIPTION_BASE_URL,
          timeout: config.TRANSCRIPTION_TIMEOUT_MS,
          maxRetries: config.OPENAI_MAX_RETRIES,
        })
      : null;
  const provider = scoringClient
    ? createOpenAiProvider({ client: scoringClient, model: config.OPENAI_MODEL })
    : heuristicProvider;
  const fallback =
    scoringClient && config.SCORING_FALLBACK === 'heuristic' ? heuristicProvider : null;
  const transcriber = speechClient
    ? createOpenAiTranscriber(speechClient, config.TRANSCRIPTION_MODEL)
    : null;
  return {
    provider,
    fallback,
    transcriber,
    info: {
      scoring: provider.name,
      model: scoringClient ? config.OPENAI_MODEL : 'none',
      rubric: scoringClient ? RUBRIC_VERSION : provider.version,
      fallback: scoringClient ? config.SCORING_FALLBACK : 'none',
      transcription: config.TRANSCRIPTION_PROVIDER,
      transcriptionModel: speechClient ? config.TRANSCRIPTION_MODEL : 'none',
    },
    verify: async () => {
      if (scoringClient) await probe(scoringClient, 'OPENAI_API_KEY / OPENAI_BASE_URL');
      if (speechClient) {
        await probe(speechClient, 'TRANSCRIPTION_API_KEY / TRANSCRIPTION_BASE_URL');
      }
    },
  };
}

/**
 * Lists the endpoint's models: a refused key or an unreachable server stops the worker at start
 * instead of failing every session later. A server without a models route (404) is accepted.
 */
async function probe(client: OpenAI, settings: string): Promise<void> {
  try {
    await client.models.list({ maxRetries: 0 });
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 404) return;
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`The OpenAI endpoint ${client.baseURL} did not accept ${settings}: ${why}`);
  }
}
