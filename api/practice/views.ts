import type { PracticeSession } from '../../shared/db.js';
import type { SessionDetailRow, SessionViewRow } from '../../shared/sessions/list.js';
import { MODE_FROM_DB, StoredInputSchema } from '../../shared/sessions/input.js';
import { WalletAfterSchema, type ConversationView, type WalletAfterView } from './schemas.js';

/** What apply stored in `aiSummary` and `aiCorePayload` (see shared/sessions/apply.ts). */
interface StoredSummary {
  rewards: Record<string, unknown>;
  ai: { perMessage: unknown[] };
  insights: Record<string, unknown>;
  ab: unknown;
  transcript: string | null;
}
interface StoredCore {
  version: string;
  provider: string;
  run?: Record<string, unknown> | null;
  metrics: Record<string, unknown>;
  messages: unknown[];
}

const TERMINAL = new Set(['COMPLETED', 'FAILED']);
export const isTerminal = (s: Pick<PracticeSession, 'status'>) => TERMINAL.has(s.status);

export const statusUrl = (id: string) => `/v1/practice/sessions/${id}`;

/** The 202 body of a submit (and of a replay while the session is not finished). */
export function acceptedView(s: Pick<PracticeSession, 'id' | 'status' | 'mode'>) {
  return {
    ok: true,
    sessionId: s.id,
    status: s.status,
    mode: MODE_FROM_DB[s.mode],
    statusUrl: statusUrl(s.id),
  };
}

/** The single-session view of API.md (without `ok`): with what was submitted (`conversation`). */
export function sessionView(s: SessionDetailRow) {
  const { result, error, ...head } = baseView(s, true);
  return { ...head, conversation: conversationView(s.input), result, error };
}

/**
 * A list item: the session view without `conversation` and the per-message AI output
 * (`result.ai`, `result.aiCore.messages`), so a page stays light.
 */
export function sessionListItem(s: SessionViewRow) {
  return baseView(s, false);
}

function baseView(s: SessionViewRow, detail: boolean) {
  return {
    sessionId: s.id,
    status: s.status,
    mode: MODE_FROM_DB[s.mode],
    topic: s.topic,
    personaId: s.personaId,
    templateId: s.templateId,
    createdAt: s.createdAt.toISOString(),
    completedAt: s.completedAt?.toISOString() ?? null,
    result: s.status === 'COMPLETED' ? resultView(s, detail) : null,
    error:
      s.status === 'FAILED'
        ? { code: s.errorCode ?? 'SCORING_FAILED', message: s.errorMessage ?? 'Scoring failed' }
        : null,
  };
}

function resultView(s: SessionViewRow, detail: boolean) {
  const summary = s.aiSummary as unknown as StoredSummary;
  const core = s.aiCorePayload as unknown as StoredCore;
  const mode = MODE_FROM_DB[s.mode];
  return {
    score: s.score,
    isSuccess: s.isSuccess,
    rewards: summary.rewards,
    ...(detail ? { ai: summary.ai } : {}),
    aiCore: {
      version: core.version,
      provider: core.provider,
      run: core.run ?? null,
      metrics: core.metrics,
      ...(detail ? { messages: core.messages } : {}),
    },
    insights: summary.insights,
    ...(mode === 'voice' ? { transcript: summary.transcript } : {}),
    ...(mode === 'ab' ? { ab: summary.ab } : {}),
    walletAfter: walletAfterView(s.walletAfter),
  };
}

/** Null for sessions completed before the apply stored it (and for anything unreadable). */
function walletAfterView(stored: SessionViewRow['walletAfter']): WalletAfterView | null {
  const parsed = WalletAfterSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/**
 * What was submitted, from the stored `input` (the worker fills in an uploaded clip's transcript).
 * Null only if the stored input cannot be read (the worker fails such a session).
 */
export function conversationView(stored: PracticeSession['input']): ConversationView | null {
  const parsed = StoredInputSchema.safeParse(stored);
  if (!parsed.success) return null;
  const input = parsed.data;
  switch (input.mode) {
    case 'text':
      return {
        mode: 'text',
        messages: input.messages.map((m, index) => ({ index, role: m.role, content: m.content })),
      };
    case 'voice':
      return { mode: 'voice', transcript: input.transcript, durationSec: input.durationSec };
    case 'ab':
      return { mode: 'ab', prompt: input.prompt, optionA: input.optionA, optionB: input.optionB };
  }
}
