import { randomUUID } from 'node:crypto';
import {
  prepared,
  type PracticeSession,
  type PreparedStatement,
  type PrismaClient,
} from '../db.js';
import { unprocessable } from '../errors.js';
import { MODE_TO_DB, type StoredInput } from './input.js';

export interface Submission {
  userId: string;
  /** The Idempotency-Key header. */
  key: string;
  /** e.g. "POST /v1/practice/session": part of what the key promises. */
  route: string;
  /** Hash of route + body; a re-send must match it. */
  fingerprint: string;
  input: StoredInput;
  topic: string | null;
  personaId: string | null;
  templateId: string | null;
  /** How long the key is kept. */
  ttlHours: number;
  /** Most sessions the user may have QUEUED or PROCESSING; past it nothing is stored. */
  maxInFlight: number;
  /** An uploaded voice clip, stored with the session for the worker to transcribe. */
  clip?: { mimeType: string; bytes: Uint8Array } | null;
}

/** What a new QUEUED session needs for the 202 answer. */
export type AcceptedSession = Pick<PracticeSession, 'id' | 'status' | 'mode'>;

export type SubmitOutcome =
  /** `inFlight`: the user's other sessions still QUEUED or PROCESSING (scoring order uses it). */
  | { kind: 'created'; session: AcceptedSession; inFlight: number }
  /** The key is live: the same request (replay) or another one (reuse). */
  | { kind: 'existing'; key: LiveKey }
  /** A persona or template that is unknown or no longer active; nothing was stored. */
  | { kind: 'refused'; code: 'PERSONA_NOT_FOUND' | 'TEMPLATE_NOT_FOUND' }
  /** The user already has `maxInFlight` sessions waiting for scoring; nothing was stored. */
  | { kind: 'busy'; inFlight: number };

export interface LiveKey {
  route: string;
  fingerprint: string;
  sessionId: string;
}

export const keyReused = () =>
  unprocessable(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was used with a different request; use a new key',
  );

export interface SubmitRow {
  personaOk: boolean;
  templateOk: boolean;
  inFlight: number;
  createdId: string | null;
}

/** The key claim's conflict rule, shared by SUBMIT and SUBMIT_MANY: an expired key is taken over. */
const KEY_TAKEOVER = `      ON CONFLICT ("userId", "key") DO UPDATE
        SET "route" = EXCLUDED."route", "fingerprint" = EXCLUDED."fingerprint",
            "sessionId" = EXCLUDED."sessionId", "createdAt" = EXCLUDED."createdAt",
            "expiresAt" = EXCLUDED."expiresAt"
        WHERE "IdempotencyKey"."expiresAt" <= EXCLUDED."createdAt"
      RETURNING "sessionId"`;

/**
 * Claims the idempotency key and inserts the QUEUED session (and an uploaded clip) in ONE
 * statement, so one round trip and one implicit transaction. The catalog references are checked
 * in the same statement (active persona and template), and the key is written with
 * INSERT … ON CONFLICT: of two racing identical requests exactly one creates the session, and an
 * expired key is taken over. The user's sessions still waiting for scoring are counted in the
 * same statement: at `maxInFlight` nothing is stored (a soft cap: requests racing in the same
 * instant may each see room). Timestamps are UTC timestamp(3), as Prisma writes them, whatever
 * the connection's TimeZone. A named prepared statement on Prisma's pool (db.ts `prepared`).
 */
export const SUBMIT: PreparedStatement = {
  name: 'sg_submit_v1',
  text: `
    WITH utc AS (
      SELECT (now() AT TIME ZONE 'UTC')::timestamp(3) AS now
    ), refs AS (
      SELECT
        ($1::text IS NULL OR EXISTS (
          SELECT 1 FROM "AiPersona" WHERE "id" = $1::text AND "active")) AS "personaOk",
        ($2::text IS NULL OR EXISTS (
          SELECT 1 FROM "PracticeMissionTemplate" WHERE "id" = $2::text AND "active")) AS "templateOk",
        (SELECT count(*)::int FROM "PracticeSession"
          WHERE "userId" = $3::text AND "status" IN ('QUEUED', 'PROCESSING')) AS "inFlight"
    ), claim AS (
      INSERT INTO "IdempotencyKey" ("id", "userId", "key", "route", "fingerprint", "sessionId", "createdAt", "expiresAt")
      SELECT $4::text, $3::text, $5::text, $6::text, $7::text, $8::text,
        utc.now, utc.now + make_interval(hours => $9::int)
      FROM refs, utc WHERE "personaOk" AND "templateOk" AND "inFlight" < $10::int
${KEY_TAKEOVER}
    ), created AS (
      INSERT INTO "PracticeSession" ("id", "userId", "mode", "input", "topic", "personaId", "templateId", "createdAt")
      SELECT "sessionId", $3::text, $11::"PracticeMode", $12::jsonb, $13::text, $1::text, $2::text, utc.now
      FROM claim, utc
      RETURNING "id"
    ), clip AS (
      INSERT INTO "VoiceClip" ("id", "sessionId", "mimeType", "sizeBytes", "audio", "createdAt")
      SELECT $14::text, "id", $15::text, $16::int, $17::bytea, utc.now
      FROM created, utc WHERE $18::boolean
    )
    SELECT refs."personaOk", refs."templateOk", refs."inFlight", created."id" AS "createdId"
    FROM refs LEFT JOIN created ON true`,
};

/**
 * SUBMIT for several submissions (no uploaded clip) in one statement and one commit, each row
 * exactly as SUBMIT treats one: its references checked, its user's waiting sessions counted
 * (those stored, plus the user's earlier submissions in the batch), its key claimed or found
 * live, its session inserted. Rows come back in the array's order (`n`). A batch holding the same key twice
 * fails as a whole (ON CONFLICT cannot touch a row twice) and is sent again one by one; so does
 * a batch that waits longer than `$2` for a lock (a user row an account deletion holds), so one
 * user's wait does not hold up the others. set_config runs before the first row is read.
 */
export const SUBMIT_MANY: PreparedStatement = {
  name: 'sg_submit_many_v2',
  text: `
    WITH timeout AS MATERIALIZED (
      SELECT set_config('lock_timeout', $2::text, true) AS "set"
    ), utc AS (
      SELECT (now() AT TIME ZONE 'UTC')::timestamp(3) AS now
    ), item AS (
      SELECT x.* FROM timeout, jsonb_to_recordset($1::jsonb) AS x(
        "n" int, "personaId" text, "templateId" text, "userId" text, "keyId" text, "key" text,
        "route" text, "fingerprint" text, "sessionId" text, "ttlHours" int, "maxInFlight" int,
        "mode" text, "input" jsonb, "topic" text)
    ), refs AS (
      SELECT item.*,
        (item."personaId" IS NULL OR EXISTS (
          SELECT 1 FROM "AiPersona" p WHERE p."id" = item."personaId" AND p."active")) AS "personaOk",
        (item."templateId" IS NULL OR EXISTS (
          SELECT 1 FROM "PracticeMissionTemplate" t
          WHERE t."id" = item."templateId" AND t."active")) AS "templateOk",
        (SELECT count(*)::int FROM "PracticeSession" s
          WHERE s."userId" = item."userId" AND s."status" IN ('QUEUED', 'PROCESSING')) AS "stored"
      FROM item
    ), counted AS (
      -- The user's earlier submissions in this batch count as in flight, as if they had arrived
      -- one by one (a replay of a live key among them is counted too: the cap errs on refusing).
      SELECT refs.*, refs."stored" + (count(*) FILTER (WHERE refs."personaOk" AND refs."templateOk")
          OVER (PARTITION BY refs."userId" ORDER BY refs."n"
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))::int AS "inFlight"
      FROM refs
    ), claim AS (
      INSERT INTO "IdempotencyKey" ("id", "userId", "key", "route", "fingerprint", "sessionId", "createdAt", "expiresAt")
      SELECT counted."keyId", counted."userId", counted."key", counted."route", counted."fingerprint",
        counted."sessionId", utc.now, utc.now + make_interval(hours => counted."ttlHours")
      FROM counted, utc
      WHERE counted."personaOk" AND counted."templateOk" AND counted."inFlight" < counted."maxInFlight"
      ORDER BY counted."userId", counted."key"
${KEY_TAKEOVER}
    ), created AS (
      INSERT INTO "PracticeSession" ("id", "userId", "mode", "input", "topic", "personaId", "templateId", "createdAt")
      SELECT counted."sessionId", counted."userId", counted."mode"::"PracticeMode", counted."input",
        counted."topic", counted."personaId", counted."templateId", utc.now
      FROM claim JOIN counted ON counted."sessionId" = claim."sessionId", utc
      RETURNING "id"
    )
    SELECT counted."n", counted."personaOk", counted."templateOk", counted."inFlight", created."id" AS "createdId"
    FROM counted LEFT JOIN created ON created."id" = counted."sessionId"
    ORDER BY counted."n"`,
};

/** The longest a batch of submits waits for a row lock before its submits go one by one. */
const BATCH_LOCK_TIMEOUT_MS = 200;

/** What the submit statement is told about one submission (the clip travels apart). */
export type SubmitArgs = Omit<Submission, 'clip'> & { sessionId: string; keyId: string };

/** Runs SUBMIT_MANY: one row per submission, in their order. */
export async function submitMany(
  prisma: PrismaClient,
  subs: readonly SubmitArgs[],
): Promise<SubmitRow[]> {
  const items = subs.map((s, n) => ({
    n,
    personaId: s.personaId,
    templateId: s.templateId,
    userId: s.userId,
    keyId: s.keyId,
    key: s.key,
    route: s.route,
    fingerprint: s.fingerprint,
    sessionId: s.sessionId,
    ttlHours: s.ttlHours,
    maxInFlight: s.maxInFlight,
    mode: MODE_TO_DB[s.input.mode],
    input: s.input,
    topic: s.topic,
  }));
  const rows = await prepared<SubmitRow & { n: number }>(prisma, SUBMIT_MANY, [
    JSON.stringify(items),
    `${String(BATCH_LOCK_TIMEOUT_MS)}ms`,
  ]);
  if (rows.length !== subs.length) {
    throw new Error(
      `the submit statement returned ${String(rows.length)} of ${String(subs.length)} rows`,
    );
  }
  return rows;
}

/** Runs SUBMIT for one submission, with its clip if any. */
export async function submitOne(
  prisma: PrismaClient,
  s: SubmitArgs,
  clip: Submission['clip'] = null,
): Promise<SubmitRow> {
  const [row] = await prepared<SubmitRow>(prisma, SUBMIT, [
    s.personaId,
    s.templateId,
    s.userId,
    s.keyId,
    s.key,
    s.route,
    s.fingerprint,
    s.sessionId,
    s.ttlHours,
    s.maxInFlight,
    MODE_TO_DB[s.input.mode],
    JSON.stringify(s.input),
    s.topic,
    randomUUID(),
    clip?.mimeType ?? null,
    clip?.bytes.length ?? 0,
    clip ? Buffer.from(clip.bytes.buffer, clip.bytes.byteOffset, clip.bytes.byteLength) : null,
    clip !== null,
  ]);
  if (!row) throw new Error('the submit statement returned no row');
  return row;
}

/**
 * Runs the submit statement. When the key was live, a second query reads it for the caller to
 * replay or refuse (422).
 */
export async function submitSession(
  prisma: PrismaClient,
  s: Submission,
  opts: { retries?: number; statement?: (args: SubmitArgs) => Promise<SubmitRow> } = {},
): Promise<SubmitOutcome> {
  const retries = opts.retries ?? 1;
  const clip = s.clip ?? null;
  const args: SubmitArgs = { ...s, sessionId: randomUUID(), keyId: randomUUID() };
  // An uploaded clip goes alone; everything else may share a batched statement.
  const row =
    clip === null && opts.statement
      ? await opts.statement(args)
      : await submitOne(prisma, args, clip);
  if (row.createdId !== null) {
    return {
      kind: 'created',
      session: { id: row.createdId, status: 'QUEUED', mode: MODE_TO_DB[s.input.mode] },
      inFlight: row.inFlight,
    };
  }
  const key = await findLiveKey(prisma, s.userId, s.key);
  if (key) return { kind: 'existing', key };
  if (!row.personaOk) return { kind: 'refused', code: 'PERSONA_NOT_FOUND' };
  if (!row.templateOk) return { kind: 'refused', code: 'TEMPLATE_NOT_FOUND' };
  if (row.inFlight >= s.maxInFlight) return { kind: 'busy', inFlight: row.inFlight };
  // The key was live when the statement ran and expired just after: a retry claims it.
  if (retries > 0) return submitSession(prisma, s, { ...opts, retries: retries - 1 });
  throw new Error(`Idempotency-Key of user ${s.userId} neither claimed nor live`);
}

/**
 * The user's key if it is still live (a replay or a reuse), else null. Liveness is judged by the
 * database's clock, as the claim judged it, so the two can never disagree.
 */
export async function findLiveKey(
  prisma: PrismaClient,
  userId: string,
  key: string,
): Promise<LiveKey | null> {
  const [found] = await prisma.$queryRaw<LiveKey[]>`
    SELECT "route", "fingerprint", "sessionId" FROM "IdempotencyKey"
    WHERE "userId" = ${userId} AND "key" = ${key} AND "expiresAt" > now() AT TIME ZONE 'UTC'`;
  return found ?? null;
}
