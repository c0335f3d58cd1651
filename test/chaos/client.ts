import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'undici';
import type { BenchUser } from '../bench/load.js';
import { label, pauseAfter, send, type Answer } from './http.js';

/**
 * The load of a chaos run: one client per user behaving like the mobile app — submit a text
 * session under a fresh Idempotency-Key and retry it with the SAME key on 5xx, 429, 503 (honouring
 * Retry-After) and on connection errors. Half the clients then long-poll their session until it is
 * terminal (a user waiting for the score); the other half read it once and submit the next one
 * (they keep submitting through every outage); all read their dashboard and session list now and
 * then. Everything the clients were told is kept, for the invariants to hold it against the
 * database: which session each key was answered with, what each session was seen as.
 */

/** Requests by kind: submits, long-polls (`waitMs`), and plain reads (session, dashboard, list). */
export type Kind = 'submit' | 'long-poll' | 'read';

/** One Idempotency-Key and what the server answered to it. */
export interface KeyRecord {
  userId: string;
  key: string;
  tries: number;
  /** Session ids in the 202/200 answers to this key: exactly one when accepted. */
  sessionIds: Set<string>;
  /** accepted: a 202/200; refused: a final 4xx; unanswered: still retrying when the run ended. */
  outcome: 'accepted' | 'refused' | 'unanswered';
}

/** What the clients saw of one session. */
export interface SessionSeen {
  userId: string;
  status: string | null;
  /** Rewards of the COMPLETED view (xp, coins, gems), as first seen. */
  rewards: { xp: number; coins: number; gems: number } | null;
}

/** A long-poll that was waiting, and when and how it was answered. */
export interface PollEnd {
  at: number;
  answer: string;
}

/** How long one long-poll waits (API.md allows up to 30 s). */
export const POLL_WAIT_MS = 10_000;
/** Long-polls per session before the client moves on (its session keeps going server-side). */
const POLL_ROUNDS = 3;
/** Every n-th session the client reads its dashboard and its session list. */
const DASHBOARD_EVERY = 4;
/** A client that does not wait for its scores pauses this long between sessions. */
const SUBMITTER_PAUSE_MS = 250;

const TERMINAL = new Set(['COMPLETED', 'FAILED']);

/** A short text conversation; the number makes each session's USER content its own. */
function conversation(n: number) {
  return [
    { role: 'AI', content: "Finally back from my cousin's wedding in Porto, my feet are wrecked" },
    { role: 'USER', content: 'Porto is gorgeous! Did you get to try a francesinha while there?' },
    { role: 'AI', content: 'Twice. The second one nearly defeated me' },
    {
      role: 'USER',
      content: `Respect. I'd love to hear the wedding stories over a glass of port, table ${n} is ours?`,
    },
  ];
}

export class ChaosLoad {
  readonly keys: KeyRecord[] = [];
  readonly sessions = new Map<string, SessionSeen>();
  /** Answers by request kind and status code (or client error code). */
  readonly answers: Record<Kind, Record<string, number>> = {
    submit: {},
    'long-poll': {},
    read: {},
  };
  /**
   * What a client saw that can never be right (a status going backwards, rewards changing, a 4xx
   * to a valid request…): how often, with one example each.
   */
  readonly problems = new Map<string, { count: number; example: string }>();
  private readonly polls = new Set<Promise<PollEnd>>();
  private readonly dashboards = new Map<string, number>();
  private stopping = false;
  private giveUpAt = Infinity;
  private running: Promise<void> | null = null;
  private counter = 0;
  private followerCount = 0;

  constructor(private readonly pool: Pool) {}

  /** Clients that long-poll their sessions (the others only read them once). */
  get followers(): number {
    return this.followerCount;
  }

  start(users: BenchUser[]): void {
    this.followerCount = Math.ceil(users.length / 2);
    const clients = users.map((u, i) => this.client(u, i % 2 === 0));
    this.running = Promise.all(clients).then(() => undefined);
  }

  /** No new sessions; a submit still unanswered is retried for `drainMs`, then left. */
  async stop(drainMs: number): Promise<void> {
    this.stopping = true;
    this.giveUpAt = Date.now() + drainMs;
    await this.running;
  }

  /** Long-polls waiting for an answer right now. */
  waitingPolls(): Promise<PollEnd>[] {
    return [...this.polls];
  }

  private async client(user: BenchUser, follows: boolean): Promise<void> {
    for (let n = 1; this.going(); n++) {
      const sessionId = await this.submit(user);
      if (sessionId && this.going()) {
        if (follows) {
          await this.follow(user, sessionId);
        } else {
          await this.read(user, sessionId);
          await sleep(SUBMITTER_PAUSE_MS);
        }
      }
      if (n % DASHBOARD_EVERY === 0 && this.going()) await this.dashboard(user);
    }
  }

  /** Read through a call: `stopping` changes while a client awaits. */
  private going(): boolean {
    return !this.stopping;
  }

  /** One session: the same key until a 202/200, a final 4xx, or the end of the drain. */
  private async submit(user: BenchUser): Promise<string | null> {
    const n = ++this.counter;
    const rec: KeyRecord = {
      userId: user.id,
      key: randomUUID(),
      tries: 0,
      sessionIds: new Set(),
      outcome: 'unanswered',
    };
    this.keys.push(rec);
    const body = JSON.stringify({ messages: conversation(n) });
    while (Date.now() < this.giveUpAt) {
      rec.tries++;
      const a = await this.call('submit', 'POST', '/v1/practice/session', user, body, rec.key);
      if ('status' in a && (a.status === 202 || a.status === 200)) {
        const id = (a.body as { sessionId?: unknown } | null)?.sessionId;
        if (typeof id !== 'string') {
          this.problem(`submit answered ${a.status} without a sessionId`, rec.key);
          rec.outcome = 'refused';
          return null;
        }
        rec.sessionIds.add(id);
        rec.outcome = 'accepted';
        this.see(user.id, id, a.body);
        return id;
      }
      if ('status' in a && a.status < 500 && a.status !== 429) {
        rec.outcome = 'refused';
        return null;
      }
      await sleep(pauseAfter(a, rec.tries));
    }
    return null;
  }

  /** Long-polls a session until it is terminal, a few rounds at most. */
  private async follow(user: BenchUser, sessionId: string): Promise<void> {
    for (let round = 1; round <= POLL_ROUNDS && this.going(); round++) {
      const path = `/v1/practice/sessions/${sessionId}?waitMs=${POLL_WAIT_MS}`;
      const request = this.call('long-poll', 'GET', path, user);
      const ended = request.then((a) => ({ at: performance.now(), answer: label(a) }));
      this.polls.add(ended);
      const a = await request;
      this.polls.delete(ended);
      if ('status' in a && a.status === 200) {
        if (TERMINAL.has(this.see(user.id, sessionId, a.body) ?? '')) return;
      } else {
        await sleep(pauseAfter(a, round));
      }
    }
  }

  /** The session's current view, without waiting. */
  private async read(user: BenchUser, sessionId: string): Promise<void> {
    const a = await this.call('read', 'GET', `/v1/practice/sessions/${sessionId}`, user);
    if ('status' in a && a.status === 200) this.see(user.id, sessionId, a.body);
  }

  /** The dashboard (its session count never goes down) and the first page of sessions. */
  private async dashboard(user: BenchUser): Promise<void> {
    await this.call('read', 'GET', '/v1/practice/sessions?limit=5', user);
    const a = await this.call('read', 'GET', '/v1/stats/dashboard', user);
    if (!('status' in a) || a.status !== 200) return;
    const count = (a.body as { stats?: { sessionsCount?: unknown } } | null)?.stats?.sessionsCount;
    if (typeof count !== 'number') return;
    const before = this.dashboards.get(user.id) ?? 0;
    if (count < before) {
      this.problem('dashboard sessionsCount went down', `user ${user.id}: ${before} → ${count}`);
    }
    this.dashboards.set(user.id, Math.max(before, count));
  }

  /** Records a session view; a terminal status or its rewards must never change afterwards. */
  private see(userId: string, sessionId: string, body: unknown): string | null {
    const view = body as {
      status?: string;
      result?: { rewards?: { xpGained: number; coinsGained: number; gemsGained: number } } | null;
    } | null;
    const status = view?.status ?? null;
    const seen = this.sessions.get(sessionId) ?? { userId, status: null, rewards: null };
    this.sessions.set(sessionId, seen);
    if (seen.status && TERMINAL.has(seen.status) && status !== seen.status) {
      this.problem(
        'a terminal session was later seen in another status',
        `${sessionId}: ${seen.status} → ${String(status)}`,
      );
    }
    const r = view?.result?.rewards;
    if (status === 'COMPLETED' && r) {
      const rewards = { xp: r.xpGained, coins: r.coinsGained, gems: r.gemsGained };
      if (seen.rewards && JSON.stringify(seen.rewards) !== JSON.stringify(rewards)) {
        this.problem('rewards changed between two reads', sessionId);
      }
      seen.rewards ??= rewards;
    }
    if (!seen.status || !TERMINAL.has(seen.status)) seen.status = status;
    return status;
  }

  private async call(
    kind: Kind,
    method: 'GET' | 'POST',
    path: string,
    user: BenchUser,
    body?: string,
    key?: string,
  ): Promise<Answer> {
    const headers: Record<string, string> = { authorization: `Bearer ${user.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key !== undefined) headers['idempotency-key'] = key;
    const answer = await send(this.pool, { method, path, headers, body: body ?? null });
    const bucket = this.answers[kind];
    const l = label(answer);
    bucket[l] = (bucket[l] ?? 0) + 1;
    // A 4xx to a valid request, or a 500 (API.md: an unreachable database answers 503).
    const wrong = (s: number) => (s >= 400 && s < 500 && s !== 429) || s === 500;
    if ('status' in answer && wrong(answer.status)) {
      this.problem(`${kind} answered ${l}`, `${method} ${path}`);
    }
    return answer;
  }

  private problem(what: string, example: string): void {
    const p = this.problems.get(what) ?? { count: 0, example };
    p.count++;
    this.problems.set(what, p);
  }
}
