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
      if (scoringClient) {
        await probe(scoringClient, config.OPENAI_MODEL, {
          key: 'OPENAI_API_KEY',
          url: 'OPENAI_BASE_URL',
          model: 'OPENAI_MODEL',
        });
      }
      if (speechClient) {
        await probe(speechClient, config.TRANSCRIPTION_MODEL, {
          key: 'TRANSCRIPTION_API_KEY',
          url: 'TRANSCRIPTION_BASE_URL',
          model: 'TRANSCRIPTION_MODEL',
        });
      }
    },
  };
}

/**
 * Lists the endpoint's models: a refused key, an unreachable server, a base URL without the
 * OpenAI routes (404) or a model the endpoint does not list stops the worker at start instead of
 * failing — or silently falling back on — every session later. An endpoint that lists no models
 * at all is taken at its word.
 */
async function probe(
  client: OpenAI,
  model: string,
  settings: { url: string; key: string; model: string },
): Promise<void> {
  let ids: string[];
  try {
    const page = await client.models.list({ maxRetries: 0 });
    ids = page.data.map((m) => m.id);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(
      `The OpenAI endpoint ${client.baseURL} did not accept ${settings.key} / ${settings.url}: ${why}`,
    );
  }
  if (ids.length > 0 && !ids.includes(model)) {
    const known = ids.slice(0, 10).join(', ');
    throw new Error(
      `${settings.model}=${model} is not served by ${client.baseURL} (it lists: ${known})`,
    );
  }
}
