import type { Dispatcher, Pool } from 'undici';

/** One request of a chaos client, and what its answer means for the next one. */

/** An answer (status, parsed JSON body, Retry-After) or, without one, the client's error code. */
export type Answer =
  { status: number; body: unknown; retryAfterMs: number | null } | { error: string };

/** Pause after an answer without Retry-After or a connection error, growing per try to a cap. */
const BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 2000;
/** Longest Retry-After honoured, so a bad header cannot stall a client. */
const MAX_RETRY_AFTER_MS = 10_000;

/** Sends a request; "no answer" (refused, reset, timed out) is an outcome, not an exception. */
export async function send(
  pool: Pool,
  options: Pick<Dispatcher.RequestOptions, 'method' | 'path' | 'headers' | 'body'>,
): Promise<Answer> {
  try {
    const res = await pool.request(options);
    const text = await res.body.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON: the status says enough.
    }
    return { status: res.statusCode, body: json, retryAfterMs: retryAfter(res.headers) };
  } catch (err) {
    return { error: (err as { code?: string }).code ?? 'unknown' };
  }
}

/** "202", "503 SERVICE_UNAVAILABLE" (the problem's code), or the client's error code. */
export function label(a: Answer): string {
  if (!('status' in a)) return a.error;
  const code = a.status >= 400 ? (a.body as { code?: unknown } | null)?.code : undefined;
  return typeof code === 'string' ? `${a.status} ${code}` : String(a.status);
}

function retryAfter(headers: Record<string, string | string[] | undefined>): number | null {
  const raw = headers['retry-after'];
  const seconds = Number(Array.isArray(raw) ? raw[0] : raw);
  return raw !== undefined && Number.isFinite(seconds)
    ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS)
    : null;
}

/** Retry-After when the server gave one, else a backoff growing with the tries, with jitter. */
export function pauseAfter(a: Answer, tries: number): number {
  if ('status' in a && a.retryAfterMs !== null) return a.retryAfterMs;
  const base = Math.min(BACKOFF_MS * tries, MAX_BACKOFF_MS);
  return base / 2 + Math.random() * base;
}
