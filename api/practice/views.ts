import type { PracticeSession } from '../../shared/db.js';
import type { SessionDetailRow, SessionViewRow } from '../../shared/sessions/list.js';
import { MODE_FROM_DB, StoredInputSchema } from '../../shared/sessions/input.js';
import {
  WalletAfterSchema,
  type Accepted,
  type ConversationView,
  type SessionListItem,
  type SessionPage,
  type SessionView,
  type WalletAfterView,
} from './responses.js';

type Result = NonNullable<SessionView['result']>;
type ListResult = NonNullable<SessionListItem['result']>;

/**
 * What apply stored in `aiSummary` and `aiCorePayload` (see shared/sessions/apply.ts): the shapes
 * the response schemas give them (the OpenAPI response tests check real sessions against them).
 */
interface StoredSummary {
  rewards: Result['rewards'];
  ai: Result['ai'];
  insights: Result['insights'];
  ab: Result['ab'];
  transcript: string | null;
}
type StoredCore = Omit<Result['aiCore'], 'run'> & { run?: Result['aiCore']['run'] };

const TERMINAL = new Set(['COMPLETED', 'FAILED']);
export const isTerminal = (s: Pick<PracticeSession, 'status'>) => TERMINAL.has(s.status);

export const statusUrl = (id: string) => `/v1/practice/sessions/${id}`;

/** The 202 body of a submit (and of a replay while the session is not finished). */
export function acceptedView(s: Pick<PracticeSession, 'id' | 'status' | 'mode'>): Accepted {
  return {
    ok: true,
    sessionId: s.id,
    status: s.status,
    mode: MODE_FROM_DB[s.mode],
    statusUrl: statusUrl(s.id),
  };
}

/** The single-session view of API.md, with what was submitted (`conversation`). */
export function sessionView(s: SessionDetailRow): SessionView {
  return {
    ok: true,
    ...headView(s),
    conversation: conversationView(s.input),
    result: s.status === 'COMPLETED' ? resultView(s) : null,
    error: errorView(s),
  };
}

/**
 * A list item: the session view without `conversation` and the per-message AI output
 * (`result.ai`, `result.aiCore.messages`), so a page stays light.
 */
export function sessionListItem(s: SessionViewRow): SessionListItem {
  return {
    ...headView(s),
    result: s.status === 'COMPLETED' ? listResultView(s) : null,
    error: errorView(s),
  };
}

/** A page of the caller's sessions (list items). */
export function sessionPageView(rows: SessionViewRow[], nextCursor: string | null): SessionPage {
  return { ok: true, items: rows.map(sessionListItem), nextCursor };
}

function headView(s: SessionViewRow) {
  return {
    sessionId: s.id,
    status: s.status,
    mode: MODE_FROM_DB[s.mode],
    topic: s.topic,
    personaId: s.personaId,
    templateId: s.templateId,
    createdAt: s.createdAt.toISOString(),
    completedAt: s.completedAt?.toISOString() ?? null,
  };
}

function errorView(s: SessionViewRow): SessionView['error'] {
  return s.status === 'FAILED'
    ? { code: s.errorCode ?? 'SCORING_FAILED', message: s.errorMessage ?? 'Scoring failed' }
    : null;
}

/** A COMPLETED session's result as list items show it (no per-message AI output). */
function listResultView(s: SessionViewRow): ListResult {
  const summary = s.aiSummary as unknown as StoredSummary;
  const core = s.aiCorePayload as unknown as StoredCore;
  const mode = MODE_FROM_DB[s.mode];
  return {
    score: s.score ?? summary.rewards.score,
    isSuccess: s.isSuccess ?? summary.rewards.isSuccess,
    rewards: summary.rewards,
    aiCore: {
      version: core.version,
      provider: core.provider,
      run: core.run ?? null,
      metrics: core.metrics,
    },
    insights: summary.insights,
    ...(mode === 'voice' ? { transcript: summary.transcript } : {}),
    ...(mode === 'ab' ? { ab: summary.ab } : {}),
    walletAfter: walletAfterView(s.walletAfter),
  };
}

/** The full result: the list item's plus `ai` and `aiCore.messages`. */
function resultView(s: SessionViewRow): Result {
  const summary = s.aiSummary as unknown as StoredSummary;
  const core = s.aiCorePayload as unknown as StoredCore;
  const base = listResultView(s);
  return { ...base, ai: summary.ai, aiCore: { ...base.aiCore, messages: core.messages } };
}

/** Null for sessions completed before the apply stored it (and for anything unreadable). */
function walletAfterView(stored: SessionViewRow['walletAfter']): WalletAfterView | null {
  const parsed = WalletAfterSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/**
 * What was submitted, from the stored `input` (API.md): the text messages, the voice transcript
 * (null until the worker transcribes an uploaded clip), or the A/B prompt and options. Null too if
 * the stored input cannot be read (the worker fails such a session).
 */
export function conversationView(stored: PracticeSession['input']): ConversationView | null {
  const parsed = StoredInputSchema.safeParse(stored);
  if (!parsed.success) return null;
  const input = parsed.data;
  switch (input.mode) {
    case 'text':
      return input.messages.map((m, index) => ({ index, role: m.role, content: m.content }));
    case 'voice':
      return input.transcript;
    case 'ab':
      return { prompt: input.prompt, optionA: input.optionA, optionB: input.optionB };
  }
}
