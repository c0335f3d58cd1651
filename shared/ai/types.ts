/**
 * AiCore contract: what a scoring provider (heuristic or OpenAI) returns. Providers measure traits;
 * they never decide rewards (that is AiScoring, see ./scoring).
 */
export const TRAITS = [
  'confidence',
  'clarity',
  'humor',
  'tensionControl',
  'emotionalWarmth',
  'dominance',
] as const;
export type Trait = (typeof TRAITS)[number];
/** Integers 0-100. */
export type Traits = Record<Trait, number>;

export type SafetyFlag = 'OK' | 'RISKY' | 'BLOCK';
export type MessageLabel = 'great' | 'good' | 'neutral' | 'weak' | 'cringe';
export type Role = 'USER' | 'AI' | 'SYSTEM';
export type PracticeMode = 'text' | 'voice' | 'ab';

export interface CoreMessageInput {
  role: Role;
  content: string;
}

/** Who the user was talking to and what the mission asked: part of the rubric's context. */
export interface ScoringContext {
  topic?: string | null;
  persona?: { name: string; style: string; description: string; difficulty: number } | null;
  mission?: { title: string; category: string; difficulty: number; description: string } | null;
}

export interface CoreInput {
  mode: PracticeMode;
  messages: CoreMessageInput[];
  /** Spoken duration (voice); enables words-per-minute. */
  durationSec?: number | null;
  /** Persona, mission and topic; providers may use them, the result never depends on their absence. */
  context?: ScoringContext | null;
}

export interface MessageAnalysis {
  /** Position in `input.messages`. */
  index: number;
  traits: Traits;
  label: MessageLabel;
  flags: string[];
  tags: string[];
  microFeedback: string;
  safetyFlag: SafetyFlag;
  wordCount: number;
  fillerCount: number;
  /** ISO 639-1 code of the language the message is written in, when the provider knows it. */
  language?: string;
}

export interface SessionMetrics {
  charismaIndex: number;
  confidence: number;
  clarity: number;
  humor: number;
  tensionControl: number;
  emotionalWarmth: number;
  dominance: number;
  fillerWordsCount: number;
  /** USER messages. */
  totalMessages: number;
  totalWords: number;
  wordsPerMinute: number | null;
}

export type ProviderName = 'heuristic' | 'openai';

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** How a result was produced: stored with the session for ops and quality work. */
export interface ProviderRun {
  /** The configured provider; differs from `provider` after a fallback. */
  requestedProvider: ProviderName;
  model: string | null;
  rubricVersion: string | null;
  latencyMs: number;
  /** Provider calls behind this result (an A/B session scores each option on its own). */
  calls: number;
  usage: TokenUsage | null;
  /** Trait ratings set to neutral because their evidence quote was not in the message. */
  unsupportedEvidence: number;
  /** Why the configured provider's answer was not used (a failure kind), else null. */
  fallbackReason: string | null;
}

export interface CoreResult {
  version: string;
  provider: ProviderName;
  /** USER messages only, in input order. */
  messages: MessageAnalysis[];
  metrics: SessionMetrics;
  run?: ProviderRun;
}

export interface AiCoreProvider {
  readonly name: ProviderName;
  readonly version: string;
  analyze(input: CoreInput): Promise<CoreResult>;
}
