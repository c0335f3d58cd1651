import { randomUUID } from 'node:crypto';
import * as hdr from 'hdr-histogram-js';
import type { Pool } from 'undici';

/**
 * Load drivers over a real HTTP client (undici). Closed loop: C clients, each sends its next
 * request when the previous one is answered (measures throughput). Open loop: requests leave on a
 * fixed schedule whatever the answers, and latency counts from the SCHEDULED time, so a server
 * that falls behind shows its queueing delay instead of slowing the generator down.
 */

export interface BenchUser {
  id: string;
  email: string;
  password: string;
  token: string;
}

/** One answer: the status, or the client-side error code when there was no answer. */
export type Outcome = { status: number; retryAfterMs: number | null } | { error: string };

export type Send = (user: BenchUser) => Promise<Outcome>;

export interface LoadResult {
  /** Wall time from the first send to the last answer, ms. */
  durationMs: number;
  sent: number;
  /** Answers by exact status code. */
  statuses: Record<string, number>;
  /** Requests that got no HTTP answer, by error code (resets, connect timeouts…). */
  connectionErrors: Record<string, number>;
  /** Open loop: slots not sent because every user was inside a Retry-After window. */
  deferred: number;
  /** Latency of every answer (any status) in µs. */
  latency: hdr.Histogram;
}

/** A histogram in µs up to an hour; autoResize so no value is ever clipped. */
const newHistogram = () =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, autoResize: true });

/** A request's default pause when a 429/503 has no Retry-After (seconds are what it carries). */
const DEFAULT_RETRY_AFTER_MS = 1000;
/** Never wait longer than this on one Retry-After, so a bad header cannot stall the bench. */
const MAX_RETRY_AFTER_MS = 10_000;

function retryAfterOf(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.min(Math.max(0, at - Date.now()), MAX_RETRY_AFTER_MS);
}

const errorCode = (err: unknown): string =>
  (err as { code?: string }).code ?? (err instanceof Error ? err.name : 'unknown');

/** POST with a JSON body; the response body is drained (kept connections must be read to end). */
export async function postJson(
  pool: Pool,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown; retryAfterMs: number | null }> {
  const res = await pool.request({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): the status says enough.
  }
  return { status: res.statusCode, json, retryAfterMs: retryAfterOf(res.headers['retry-after']) };
}

/** Wraps a request so that "no answer" is an outcome, not an exception. */
export function asOutcome(
  request: (user: BenchUser) => Promise<{ status: number; retryAfterMs: number | null }>,
): Send {
  return async (user) => {
    try {
      const { status, retryAfterMs } = await request(user);
      return { status, retryAfterMs };
    } catch (err) {
      return { error: errorCode(err) };
    }
  };
}

/** A short text conversation: 2 AI and 2 USER messages, as the app's clients send. */
export const CONVERSATION: { role: 'AI' | 'USER'; content: string }[] = [
  {
    role: 'AI',
    content: "Finally back from my cousin's wedding in Porto, my feet are wrecked",
  },
  {
    role: 'USER',
    content: 'Porto is gorgeous! Did you get to try a francesinha while you were there?',
  },
  { role: 'AI', content: 'Twice. The second one nearly defeated me' },
  {
    role: 'USER',
    content: "Respect. I'd love to hear the wedding stories over a glass of port on Friday?",
  },
];

/** A submit of the conversation with a fresh Idempotency-Key: each request is a new session. */
export function submitSession(pool: Pool): Send {
  return asOutcome((user) =>
    postJson(
      pool,
      '/v1/practice/session',
      { messages: CONVERSATION },
      { authorization: `Bearer ${user.token}`, 'idempotency-key': randomUUID() },
    ),
  );
}

/** A login of the user with its password (bcrypt compare on the server). */
export function login(pool: Pool): Send {
  return asOutcome((user) =>
    postJson(pool, '/v1/auth/login', { email: user.email, password: user.password }),
  );
}

class Tally {
  readonly statuses: Record<string, number> = {};
  readonly connectionErrors: Record<string, number> = {};
  readonly latency = newHistogram();
  sent = 0;

  record(outcome: Outcome, latencyMs: number): void {
    if ('error' in outcome) {
      this.connectionErrors[outcome.error] = (this.connectionErrors[outcome.error] ?? 0) + 1;
      return;
    }
    this.statuses[outcome.status] = (this.statuses[outcome.status] ?? 0) + 1;
    this.latency.recordValue(Math.max(1, Math.round(latencyMs * 1000)));
  }

  result(deferred: number, durationMs: number): LoadResult {
    const { statuses, connectionErrors, latency, sent } = this;
    return { statuses, connectionErrors, latency, sent, deferred, durationMs };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const backsOff = (o: Outcome): o is { status: number; retryAfterMs: number | null } =>
  !('error' in o) && (o.status === 429 || o.status === 503);

/**
 * C clients, each with its own slice of the users, send back to back for `durationMs`. A 429/503
 * pauses that client for its Retry-After, as a well-behaved app would.
 */
export async function closedLoop(
  users: BenchUser[],
  clients: number,
  durationMs: number,
  send: Send,
): Promise<LoadResult> {
  const tally = new Tally();
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      // Client c cycles through users c, c+C, c+2C… so no two clients share a user.
      const mine = users.filter((_u, i) => i % clients === c);
      for (let n = 0; performance.now() < until; n++) {
        const user = mine[n % mine.length] ?? users[c % users.length]!;
        const t0 = performance.now();
        const outcome = await send(user);
        tally.sent++;
        tally.record(outcome, performance.now() - t0);
        if (backsOff(outcome)) await sleep(outcome.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS);
      }
    }),
  );
  return tally.result(0, performance.now() - started);
}

/**
 * Sends `rate` requests per second for `durationMs`, each at its scheduled time, cycling through the
 * users. A user answered 429 is skipped until its Retry-After passes, a 503 (the whole API
 * overloaded) pauses every user; a slot with nobody allowed to send is counted as deferred.
 */
export async function openLoop(
  users: BenchUser[],
  rate: number,
  durationMs: number,
  send: Send,
): Promise<LoadResult> {
  const tally = new Tally();
  const interval = 1000 / rate;
  const total = Math.round((rate * durationMs) / 1000);
  const userFreeAt = new Map<string, number>();
  let everyoneFreeAt = 0;
  let deferred = 0;
  let cursor = 0;
  const inFlight: Promise<void>[] = [];
  const pickUser = (now: number): BenchUser | null => {
    if (now < everyoneFreeAt) return null;
    for (let tries = 0; tries < users.length; tries++) {
      const user = users[cursor++ % users.length]!;
      if ((userFreeAt.get(user.id) ?? 0) <= now) return user;
    }
    return null;
  };
  const fire = (scheduled: number) => {
    const user = pickUser(performance.now());
    if (!user) {
      deferred++;
      return;
    }
    tally.sent++;
    inFlight.push(
      send(user).then((outcome) => {
        const now = performance.now();
        tally.record(outcome, now - scheduled);
        if (backsOff(outcome)) {
          const until = now + (outcome.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS);
          if (outcome.status === 503) everyoneFreeAt = Math.max(everyoneFreeAt, until);
          else userFreeAt.set(user.id, until);
        }
      }),
    );
  };
  const started = performance.now();
  let next = 0;
  while (next < total) {
    const now = performance.now();
    // Catch up on every slot that is due: a late timer must not lower the offered rate.
    while (next < total && started + next * interval <= now) fire(started + interval * next++);
    await sleep(Math.max(0, started + next * interval - performance.now()));
  }
  await Promise.all(inFlight);
  return tally.result(deferred, performance.now() - started);
}

/** Percentile of a result's latency in ms. */
export const percentileMs = (r: LoadResult, p: number) =>
  r.latency.totalCount === 0 ? 0 : r.latency.getValueAtPercentile(p) / 1000;

/** Answers with a given status (202 = accepted = one new session). */
export const countOf = (r: LoadResult, status: number) => r.statuses[String(status)] ?? 0;
