import { randomUUID } from 'node:crypto';
import type { PracticeSession, PrismaClient } from '../db.js';
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
  /** An uploaded voice clip, stored with the session for the worker to transcribe. */
  clip?: { mimeType: string; bytes: Uint8Array } | null;
}

export type SubmitOutcome =
  { created: true; session: PracticeSession } | { created: false; session: PracticeSession };

export const keyReused = () =>
  unprocessable(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was used with a different request; use a new key',
  );

interface ClaimRow {
  sessionId: string;
  route: string;
  fingerprint: string;
  claimed: boolean;
}

/**
 * Claims the idempotency key and inserts the QUEUED session in one transaction. The key row is
 * written with INSERT … ON CONFLICT, so of two racing identical requests exactly one creates the
 * session; the other waits for it and replays it. An expired key is taken over by the new request.
 * A live key with another route or body answers 422 IDEMPOTENCY_KEY_REUSED and creates nothing.
 */
export async function submitSession(prisma: PrismaClient, s: Submission): Promise<SubmitOutcome> {
  const sessionId = randomUUID();
  const outcome = await prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<ClaimRow[]>`
      INSERT INTO "IdempotencyKey" ("id", "userId", "key", "route", "fingerprint", "sessionId", "createdAt", "expiresAt")
      VALUES (${randomUUID()}, ${s.userId}, ${s.key}, ${s.route}, ${s.fingerprint}, ${sessionId}, now(), now() + make_interval(hours => ${s.ttlHours}::int))
      ON CONFLICT ("userId", "key") DO UPDATE
        SET "route" = EXCLUDED."route", "fingerprint" = EXCLUDED."fingerprint",
            "sessionId" = EXCLUDED."sessionId", "createdAt" = now(), "expiresAt" = EXCLUDED."expiresAt"
        WHERE "IdempotencyKey"."expiresAt" <= now()
      RETURNING "sessionId", "route", "fingerprint", true AS "claimed"`;
    if (rows.length > 0) {
      const session = await tx.practiceSession.create({
        data: {
          id: sessionId,
          userId: s.userId,
          mode: MODE_TO_DB[s.input.mode],
          input: s.input,
          topic: s.topic,
          personaId: s.personaId,
          templateId: s.templateId,
        },
      });
      if (s.clip) {
        await tx.voiceClip.create({
          data: {
            sessionId,
            mimeType: s.clip.mimeType,
            sizeBytes: s.clip.bytes.length,
            // The bytes as they are (no copy): Prisma's type asks for an ArrayBuffer-backed view.
            audio: s.clip.bytes as Uint8Array<ArrayBuffer>,
          },
        });
      }
      return { created: true as const, session };
    }
    const existing = await tx.idempotencyKey.findUniqueOrThrow({
      where: { userId_key: { userId: s.userId, key: s.key } },
    });
    if (existing.route !== s.route || existing.fingerprint !== s.fingerprint) throw keyReused();
    const session = await tx.practiceSession.findUniqueOrThrow({
      where: { id: existing.sessionId },
    });
    return { created: false as const, session };
  });
  return outcome;
}
