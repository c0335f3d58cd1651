import type { PracticeSession } from '../../shared/db.js';
import type { SessionViewRow } from '../../shared/sessions/list.js';
import { MODE_FROM_DB } from '../../shared/sessions/input.js';

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

/**
 * The session view of API.md (without `ok`, so lists can hold it). `detail: false` (lists) leaves out the per-message AI output
 * (`result.ai`, `result.aiCore.messages`).
 */
export function sessionView(s: SessionViewRow, detail = true) {
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
  };
}
