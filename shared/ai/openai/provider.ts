/**
 * The OpenAI AiCore provider: one structured-output call per conversation, temperature 0, the
 * conversation sent as data inside a random per-call boundary. The model rates traits; the code
 * checks every rating (evidence quotes, indexes, safety) and the shared AiCore math does the rest.
 */
import { randomBytes } from 'node:crypto';
import type OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { analyzeHeuristic } from '../heuristic/provider.js';
import { stripInjection } from '../heuristic/safety.js';
import { normalize } from '../heuristic/text.js';
import { aggregateSession } from '../metrics.js';
import type { AiCoreProvider, CoreInput, CoreResult, MessageAnalysis } from '../types.js';
import { checkAnswer, JudgeAnswer, type LocalFacts } from './answer.js';
import { classifyFailure, ProviderError } from './errors.js';
import { dataPrompt, RUBRIC_VERSION, systemPrompt } from './rubric.js';

export const OPENAI_CORE_VERSION = `openai-${RUBRIC_VERSION}`;

/** Room for a 60-message session's ratings; an answer cut off by it is 'truncated'. */
const MAX_COMPLETION_TOKENS = 16_000;

export interface OpenAiProviderOptions {
  client: OpenAI;
  model: string;
}

export function createOpenAiProvider({ client, model }: OpenAiProviderOptions): AiCoreProvider {
  return {
    name: 'openai',
    version: OPENAI_CORE_VERSION,
    analyze: (input) => judge(client, model, input),
  };
}

async function judge(client: OpenAI, model: string, input: CoreInput): Promise<CoreResult> {
  const boundary = `SG-${randomBytes(12).toString('hex')}`;
  const local = localFacts(input);
  const sent = withoutJudgeDirectedText(input);
  const started = performance.now();
  let completion;
  try {
    completion = await client.chat.completions.parse({
      model,
      temperature: 0,
      max_completion_tokens: MAX_COMPLETION_TOKENS,
      response_format: zodResponseFormat(JudgeAnswer, 'socialgym_judgement'),
      messages: [
        { role: 'system', content: systemPrompt(sent, boundary) },
        { role: 'user', content: dataPrompt(sent, boundary) },
      ],
    });
  } catch (err) {
    throw classifyFailure('scoring', err);
  }
  const latencyMs = Math.round(performance.now() - started);
  const message = completion.choices[0]?.message;
  if (message?.refusal) throw new ProviderError('scoring', 'refusal', message.refusal);
  if (!message?.parsed) throw new ProviderError('scoring', 'invalid_output', 'no parsed answer');

  const checked = checkAnswer(message.parsed, input, local);
  const messages: MessageAnalysis[] = checked.map((c) => c.analysis);
  const usage = completion.usage;
  return {
    version: OPENAI_CORE_VERSION,
    provider: 'openai',
    messages,
    metrics: aggregateSession(messages, input),
    run: {
      requestedProvider: 'openai',
      model: completion.model || model,
      rubricVersion: RUBRIC_VERSION,
      latencyMs,
      calls: 1,
      usage: usage
        ? {
            promptTokens: usage.prompt_tokens,
            completionTokens: usage.completion_tokens,
            totalTokens: usage.total_tokens,
          }
        : null,
      unsupportedEvidence: checked.reduce((n, c) => n + c.unsupported.length, 0),
      fallbackReason: null,
    },
  };
}

const REMOVED = '[text addressed to the judge removed]';

/** Sentences addressing the scorer, removed; null when there are none. */
function judgeDirected(text: string): string | null {
  const { text: kept, injection } = stripInjection(text, normalize(text));
  if (!injection) return null;
  return kept.trim() === '' ? REMOVED : `${kept} ${REMOVED}`;
}

/**
 * The conversation as the model sees it: sentences that address the scorer ("ignore your
 * instructions…") are taken out of every field — USER and AI lines and the topic — so they cannot
 * sway any rating. Such a USER message keeps at most its deterministic traits (see answer.ts).
 * What the patterns miss is still fenced off as data by the boundary and the instructions.
 */
function withoutJudgeDirectedText(input: CoreInput): CoreInput {
  const topic = input.context?.topic;
  const cleanTopic = topic ? (judgeDirected(topic) ?? topic) : topic;
  return {
    ...input,
    messages: input.messages.map((m) => ({ ...m, content: judgeDirected(m.content) ?? m.content })),
    context: input.context ? { ...input.context, topic: cleanTopic } : input.context,
  };
}

/**
 * What the code knows without the model: word and filler counts, the safety lists and scorer-
 * directed text, from the deterministic analysis of the same conversation.
 */
function localFacts(input: CoreInput): Map<number, LocalFacts> {
  const local = analyzeHeuristic(input);
  return new Map(
    local.messages.map((m) => [
      m.index,
      {
        safetyFlag: m.safetyFlag,
        wordCount: m.wordCount,
        fillerCount: m.fillerCount,
        injection: m.flags.includes('injection'),
        traits: m.traits,
      },
    ]),
  );
}
