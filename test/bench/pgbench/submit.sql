-- The submit transaction of POST /v1/practice/session (shared/sessions/submit.ts): claim the
-- Idempotency-Key with INSERT … ON CONFLICT, then insert the QUEUED session, in one transaction.
-- Variables: users (how many pgb-user-N exist), input (the session's stored input as JSON text).
-- Session ids are random 63-bit numbers per client: a collision would abort the run, not hide.
\set u random(1, :users)
\set sid random(1, 9000000000000000000)
BEGIN;
INSERT INTO "IdempotencyKey" ("id", "userId", "key", "route", "fingerprint", "sessionId", "createdAt", "expiresAt")
VALUES (gen_random_uuid()::text, 'pgb-user-' || :u::text, gen_random_uuid()::text, 'POST /v1/practice/session',
        md5(random()::text), 'pgb-s-' || :sid::text, now(), now() + make_interval(hours => 24))
ON CONFLICT ("userId", "key") DO UPDATE
  SET "route" = EXCLUDED."route", "fingerprint" = EXCLUDED."fingerprint",
      "sessionId" = EXCLUDED."sessionId", "createdAt" = now(), "expiresAt" = EXCLUDED."expiresAt"
  WHERE "IdempotencyKey"."expiresAt" <= now()
RETURNING "sessionId", "route", "fingerprint", true AS "claimed";
INSERT INTO "PracticeSession" ("id", "userId", "mode", "input")
VALUES ('pgb-s-' || :sid::text, 'pgb-user-' || :u::text, 'TEXT', :input::jsonb)
RETURNING *;
COMMIT;
