-- FEATURE_CHAT appends take their index from the session row with one UPDATE … RETURNING, which
-- serialises racing appends on the row lock instead of colliding on the unique index.
ALTER TABLE "PracticeSession" ADD COLUMN "chatNextIndex" INTEGER NOT NULL DEFAULT 0;

-- Sessions that already have appended messages continue after the last one.
UPDATE "PracticeSession" s
SET "chatNextIndex" = m."next"
FROM (SELECT "sessionId", max("index") + 1 AS "next" FROM "ChatMessage" GROUP BY "sessionId") m
WHERE m."sessionId" = s."id";
