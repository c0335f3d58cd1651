import type { PracticeSession } from '../../shared/db.js';
import type { SessionViewRow } from '../../shared/sessions/list.js';
import { MODE_FROM_DB } from '../../shared/sessions/input.js';
import type { Accepted, SessionListItem, SessionPage, SessionView } from './schemas.js';

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

/**
 * The session view of API.md. `detail: false` (lists) leaves out `ok` and the per-message AI
 * output (`result.ai`, `result.aiCore.messages`).
 */
export function sessionView(s: SessionViewRow): SessionView;
export function sessionView(s: SessionViewRow, detail: false): SessionListItem;
export function sessionView(s: SessionViewRow, detail = true): SessionView | SessionListItem {
  const view = {
    sessionId: s.id,
    status: s.status,
    mode: MODE_FROM_DB[s.mode],
    topic: s.topic,
    personaId: s.personaId,
    templateId: s.templateId,
    createdAt: s.createdAt.toISOString(),
    completedAt: s.completedAt?.toISOString() ?? null,
    error:
      s.status === 'FAILED'
        ? { code: s.errorCode ?? 'SCORING_FAILED', message: s.errorMessage ?? 'Scoring failed' }
        : null,
  };
  const completed = s.status === 'COMPLETED';
  if (!detail) return { ...view, result: completed ? listResultView(s) : null };
  return { ok: true, ...view, result: completed ? resultView(s) : null };
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
  };
}

/** The full result: the list item's plus `ai` and `aiCore.messages`. */
function resultView(s: SessionViewRow): Result {
  const summary = s.aiSummary as unknown as StoredSummary;
  const core = s.aiCorePayload as unknown as StoredCore;
  const base = listResultView(s);
  return { ...base, ai: summary.ai, aiCore: { ...base.aiCore, messages: core.messages } };
}

/** A page of the caller's sessions (list items). */
export function sessionPageView(rows: SessionViewRow[], nextCursor: string | null): SessionPage {
  return { ok: true, items: rows.map((s) => sessionView(s, false)), nextCursor };
}
