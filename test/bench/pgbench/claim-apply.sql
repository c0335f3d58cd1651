-- The worker's claim (shared/sessions/lifecycle.ts) and apply (shared/sessions/apply.ts) of the
-- session submit.sql just wrote (same :u and :sid; bench/ceiling.ts runs the two files as one
-- script, so one pgbench "transaction" is one whole session). Same rows and row locks as the app,
-- taken here in the order session, user, wallet, stats, messages (the app takes the wallet after
-- stats and messages, so it is held a little shorter there); values the app computes in plpgsql
-- from a SELECT … FOR UPDATE are computed by the UPDATE itself, which takes the same lock. The
-- fair-play reads the apply makes under the user's lock are mirrored: the repeated-content probe
-- (index (userId, contentHash)) and the day's session gems (the partial ledger index).
-- Not mirrored: the LEVEL_UP ledger row of the few sessions that cross a level, and the
-- MissionProgress row of sessions with a template (the bench's have none).
-- Variables: summary, core, traits (JSON text taken from a session the app completed).
\set xp random(5, 40)
\set coins random(1, 15)
\set score random(30, 95)
UPDATE "PracticeSession" SET "status" = 'PROCESSING', "startedAt" = now(), "attempts" = "attempts" + 1
WHERE "id" = 'pgb-s-' || :sid::text AND "status" IN ('QUEUED', 'PROCESSING', 'FAILED')
RETURNING *;
BEGIN;
SELECT "userId", "status", "templateId" FROM "PracticeSession" WHERE "id" = 'pgb-s-' || :sid::text FOR UPDATE;
SELECT "timezone", "previousTimezone", "timezoneChangedAt" FROM "User" WHERE "id" = 'pgb-user-' || :u::text FOR NO KEY UPDATE;
SELECT EXISTS (SELECT 1 FROM "PracticeSession"
  WHERE "userId" = 'pgb-user-' || :u::text AND "contentHash" = md5(:sid::text) AND "id" <> 'pgb-s-' || :sid::text
    AND "status" = 'COMPLETED' AND "completedAt" > now() - interval '7 days');
SELECT COALESCE(sum("gems"), 0) FROM "WalletLedgerEntry"
WHERE "userId" = 'pgb-user-' || :u::text AND "kind" = 'SESSION_REWARD' AND "gems" > 0
  AND "createdAt" >= date_trunc('day', now());
INSERT INTO "WalletLedgerEntry" ("id", "userId", "sessionId", "kind", "xp", "coins", "gems")
VALUES (gen_random_uuid()::text, 'pgb-user-' || :u::text, 'pgb-s-' || :sid::text, 'SESSION_REWARD', :xp, :coins, 0);
UPDATE "UserWallet"
SET "xp" = "xp" + :xp, "lifetimeXp" = "lifetimeXp" + :xp, "coins" = "coins" + :coins,
    "level" = floor((1 + sqrt(1 + ("lifetimeXp" + :xp) / 12.5)) / 2)::int, "updatedAt" = now()
WHERE "userId" = 'pgb-user-' || :u::text;
UPDATE "UserStats"
SET "sessionsCount" = "sessionsCount" + 1,
    "successCount" = "successCount" + (:score >= 60)::int,
    "failCount" = "failCount" + (:score < 60)::int,
    "averageScore" = "averageScore" + (:score - "averageScore") / ("sessionsCount" + 1),
    "averageMessageScore" = "averageMessageScore" + (:score - "averageMessageScore") / ("sessionsCount" + 1),
    "avgCharismaIndex" = "avgCharismaIndex" + (:score - "avgCharismaIndex") / ("sessionsCount" + 1),
    "avgConfidence" = "avgConfidence" + (:score - "avgConfidence") / ("sessionsCount" + 1),
    "avgClarity" = "avgClarity" + (:score - "avgClarity") / ("sessionsCount" + 1),
    "avgHumor" = "avgHumor" + (:score - "avgHumor") / ("sessionsCount" + 1),
    "avgTension" = "avgTension" + (:score - "avgTension") / ("sessionsCount" + 1),
    "avgWarmth" = "avgWarmth" + (:score - "avgWarmth") / ("sessionsCount" + 1),
    "avgDominance" = "avgDominance" + (:score - "avgDominance") / ("sessionsCount" + 1),
    "avgFillerWords" = "avgFillerWords" + (1 - "avgFillerWords") / ("sessionsCount" + 1),
    "avgTotalWords" = "avgTotalWords" + (40 - "avgTotalWords") / ("sessionsCount" + 1),
    "avgTotalMessages" = "avgTotalMessages" + (2 - "avgTotalMessages") / ("sessionsCount" + 1),
    "lastSessionAt" = now(), "updatedAt" = now()
WHERE "userId" = 'pgb-user-' || :u::text;
UPDATE "User"
SET "streakCurrent" = CASE WHEN "streakLastActiveAt"::date = current_date THEN greatest("streakCurrent", 1)
                           ELSE "streakCurrent" + 1 END,
    "streakBest" = greatest("streakBest", "streakCurrent" + 1),
    "streakLastActiveAt" = now(), "updatedAt" = now()
WHERE "id" = 'pgb-user-' || :u::text;
INSERT INTO "ChatMessage" ("id", "sessionId", "index", "role", "content", "score", "rarity", "grade", "xpDelta", "coinsDelta", "gemsDelta", "traits")
VALUES
  (gen_random_uuid()::text, 'pgb-s-' || :sid::text, 0, 'AI', 'Finally back from my cousin''s wedding in Porto, my feet are wrecked', NULL, NULL, NULL, 0, 0, 0, NULL),
  (gen_random_uuid()::text, 'pgb-s-' || :sid::text, 1, 'USER', 'Porto is gorgeous! Did you get to try a francesinha while you were there?', :score, 'B', 'GOOD', 10, 4, 0, :traits::jsonb),
  (gen_random_uuid()::text, 'pgb-s-' || :sid::text, 2, 'AI', 'Twice. The second one nearly defeated me', NULL, NULL, NULL, 0, 0, 0, NULL),
  (gen_random_uuid()::text, 'pgb-s-' || :sid::text, 3, 'USER', 'Respect. I''d love to hear the wedding stories over a glass of port on Friday?', :score, 'B', 'GOOD', 10, 4, 0, :traits::jsonb);
UPDATE "PracticeSession"
SET "status" = 'COMPLETED', "score" = :score, "messageScore" = :score, "isSuccess" = :score >= 60,
    "outcome" = CASE WHEN :score >= 60 THEN 'PASSED' ELSE 'NOT_PASSED' END,
    "xpGained" = :xp, "coinsGained" = :coins, "gemsGained" = 0, "contentHash" = md5(:sid::text),
    "charismaIndex" = :score, "confidenceScore" = :score, "clarityScore" = :score, "humorScore" = :score,
    "tensionScore" = :score, "emotionalWarmth" = :score, "dominanceScore" = :score,
    "fillerWordsCount" = 1, "totalMessages" = 2, "totalWords" = 40, "wordsPerMinute" = 0,
    "aiCoreVersion" = 'v1', "aiProvider" = 'heuristic', "aiSummary" = :summary::jsonb, "aiCorePayload" = :core::jsonb,
    "errorCode" = NULL, "errorMessage" = NULL, "completedAt" = now()
WHERE "id" = 'pgb-s-' || :sid::text;
COMMIT;
