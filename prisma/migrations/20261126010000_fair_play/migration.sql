-- Fair play (issue 9; SCORING.md "Fair play" and "Streak"). The rules that read only the session
-- are applied in TypeScript before the apply (shared/ai/scoring/session.ts); the rules that depend
-- on the user's other sessions are decided here, inside the apply's transaction, after the user's
-- row is locked — the lock every apply of that user takes — so two workers applying two sessions
-- of one user at once decide one after the other. Timestamps are UTC timestamp(3) values.

-- AlterTable: the zone in effect before the last timezone change, and when it changed (written by
-- the profile route, api/profile/service.ts).
ALTER TABLE "User" ADD COLUMN "previousTimezone" TEXT,
ADD COLUMN "timezoneChangedAt" TIMESTAMP(3);

-- AlterTable: the normalised USER messages' fingerprint (shared/fair-play/normalise.ts).
ALTER TABLE "PracticeSession" ADD COLUMN "contentHash" TEXT;

-- CreateTable
CREATE TABLE "MissionProgress" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "templateId" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "bestScore" INTEGER NOT NULL DEFAULT 0,
    "passed" BOOLEAN NOT NULL DEFAULT false,
    "lastPlayedAt" TIMESTAMP(3) NOT NULL,
    "lastBonusAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MissionProgress_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PracticeSession_userId_contentHash_idx" ON "PracticeSession"("userId", "contentHash");

-- CreateIndex: the day's session gems are read from the SESSION_REWARD rows that carry gems;
-- the cap keeps them to a few per user and day, so this partial index makes the read a few rows
-- whatever the user's volume. (Prisma's schema language cannot express a partial index: it is
-- not in schema.prisma, whose indexes the consistency test checks are all present.)
CREATE INDEX "WalletLedgerEntry_sessionGems_idx" ON "WalletLedgerEntry"("userId", "createdAt")
  WHERE "kind" = 'SESSION_REWARD' AND "gems" > 0;

-- CreateIndex
CREATE UNIQUE INDEX "MissionProgress_userId_templateId_key" ON "MissionProgress"("userId", "templateId");

-- AddForeignKey
ALTER TABLE "MissionProgress" ADD CONSTRAINT "MissionProgress_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MissionProgress" ADD CONSTRAINT "MissionProgress_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "PracticeMissionTemplate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- zone (shared/fair-play/zone.ts effectiveTimeZone): days are counted in the previous zone until
-- 24 hours after a change (TIMEZONE_SETTLE_MS).
CREATE OR REPLACE FUNCTION sg_effective_zone(
  p_zone text, p_previous text, p_changed_at timestamp, p_at timestamp
) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p_previous IS NOT NULL AND p_changed_at IS NOT NULL
                AND p_at < p_changed_at + interval '24 hours'
              THEN p_previous ELSE p_zone END
$$;

-- The UTC instant the local day of p_at begins in p_zone (a zone Postgres does not know counts as
-- UTC, as in sg_local_day).
CREATE OR REPLACE FUNCTION sg_local_day_start(p_at timestamp, p_zone text) RETURNS timestamp
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (sg_local_day(p_at, p_zone)::timestamp AT TIME ZONE p_zone) AT TIME ZONE 'UTC';
EXCEPTION WHEN invalid_parameter_value THEN
  RETURN p_at::date::timestamp;
END $$;

-- streak owner (shared/streak/calc.ts advanceStreak): as before, in the zone in effect at p_at.
CREATE OR REPLACE FUNCTION sg_streak_record(p_user text, p_at timestamp) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  u record;
  zone text;
  diff integer;
  cur integer;
BEGIN
  SELECT "timezone", "previousTimezone", "timezoneChangedAt", "streakCurrent", "streakBest",
      "streakLastActiveAt" INTO u
    FROM "User" WHERE "id" = p_user FOR NO KEY UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'No user %', p_user; END IF;
  IF u."streakLastActiveAt" IS NULL THEN
    UPDATE "User" SET "streakCurrent" = 1, "streakBest" = GREATEST(u."streakBest", 1),
      "streakLastActiveAt" = p_at, "updatedAt" = now() AT TIME ZONE 'UTC' WHERE "id" = p_user;
    RETURN;
  END IF;
  zone := sg_effective_zone(u."timezone", u."previousTimezone", u."timezoneChangedAt", p_at);
  diff := sg_local_day(p_at, zone) - sg_local_day(u."streakLastActiveAt", zone);
  IF diff < 0 THEN RETURN; END IF; -- an out-of-order retry changes nothing
  IF diff = 0 THEN
    cur := GREATEST(u."streakCurrent", 1);
    UPDATE "User" SET "streakCurrent" = cur, "streakBest" = GREATEST(u."streakBest", cur),
      "streakLastActiveAt" = GREATEST(p_at, u."streakLastActiveAt"),
      "updatedAt" = now() AT TIME ZONE 'UTC' WHERE "id" = p_user;
    RETURN;
  END IF;
  cur := CASE WHEN diff = 1 THEN u."streakCurrent" + 1 ELSE 1 END;
  UPDATE "User" SET "streakCurrent" = cur, "streakBest" = GREATEST(u."streakBest", cur),
    "streakLastActiveAt" = p_at, "updatedAt" = now() AT TIME ZONE 'UTC' WHERE "id" = p_user;
END $$;

-- missions owner: the user's progress on a template (attempts, best score, passed, last played)
-- and the daily bonus. Returns whether this session is paid the bonus: it wants it (succeeded,
-- not repeated content) and none was paid since the local day began (p_day_start).
CREATE OR REPLACE FUNCTION sg_mission_record(
  p_user text, p_template text, p_score integer, p_success boolean, p_bonus_wanted boolean,
  p_day_start timestamp, p_at timestamp
) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  last_bonus timestamp;
  paid boolean;
BEGIN
  SELECT "lastBonusAt" INTO last_bonus FROM "MissionProgress"
    WHERE "userId" = p_user AND "templateId" = p_template FOR UPDATE;
  paid := p_bonus_wanted AND (last_bonus IS NULL OR last_bonus < p_day_start);
  INSERT INTO "MissionProgress" ("id", "userId", "templateId", "attempts", "bestScore", "passed",
      "lastPlayedAt", "lastBonusAt", "createdAt", "updatedAt")
    VALUES (gen_random_uuid()::text, p_user, p_template, 1, p_score, p_success, p_at,
      CASE WHEN paid THEN p_at END, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
  ON CONFLICT ("userId", "templateId") DO UPDATE SET
    "attempts" = "MissionProgress"."attempts" + 1,
    "bestScore" = GREATEST("MissionProgress"."bestScore", EXCLUDED."bestScore"),
    "passed" = "MissionProgress"."passed" OR EXCLUDED."passed",
    "lastPlayedAt" = GREATEST("MissionProgress"."lastPlayedAt", EXCLUDED."lastPlayedAt"),
    "lastBonusAt" = COALESCE(EXCLUDED."lastBonusAt", "MissionProgress"."lastBonusAt"),
    "updatedAt" = EXCLUDED."updatedAt";
  RETURN paid;
END $$;

-- The day rules (shared/fair-play/rules.ts applyDayRules, which is their specification; the
-- numbers are DAILY_SESSION_GEM_CAP and the codes FairPlayLimit there) over the rewards JSON
-- AiScoring computed: repeated content earns nothing; a bonus already paid today is zeroed;
-- session gems stop at 3 a day, messages' gems first, then the bonus's. Totals are recomputed.
CREATE OR REPLACE FUNCTION sg_fair_play_rewards(
  r jsonb, p_repeated boolean, p_bonus_paid_today boolean, p_gems_today integer
) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  nothing constant jsonb := '{"xp": 0, "coins": 0, "gems": 0}';
  limited jsonb := COALESCE(r->'limitedBy', '[]');
  bonus jsonb := r->'missionBonus';
  msgs jsonb := '[]';
  m jsonb;
  allowance integer := GREATEST(0, 3 - p_gems_today);
  paid integer;
  capped boolean := false;
  xp integer := 0;
  coins integer := 0;
  gems integer := 0;
BEGIN
  IF p_repeated THEN
    SELECT COALESCE(jsonb_agg(e.value || nothing ORDER BY e.ord), '[]') INTO msgs
      FROM jsonb_array_elements(r->'messages') WITH ORDINALITY AS e(value, ord);
    RETURN r || jsonb_build_object('messages', msgs, 'missionBonus', nothing, 'xpGained', 0,
      'coinsGained', 0, 'gemsGained', 0, 'limitedBy', limited || '["REPEATED_CONTENT"]',
      'withheld', 'REPEATED_CONTENT');
  END IF;
  IF p_bonus_paid_today AND ((bonus->>'xp')::integer > 0 OR (bonus->>'coins')::integer > 0
      OR (bonus->>'gems')::integer > 0) THEN
    bonus := nothing;
    limited := limited || '["MISSION_BONUS_PAID_TODAY"]';
  END IF;
  FOR m IN SELECT e.value FROM jsonb_array_elements(r->'messages') WITH ORDINALITY AS e(value, ord)
      ORDER BY e.ord LOOP
    paid := LEAST((m->>'gems')::integer, allowance);
    IF paid < (m->>'gems')::integer THEN
      capped := true;
      m := m || jsonb_build_object('gems', paid);
    END IF;
    allowance := allowance - paid;
    xp := xp + (m->>'xp')::integer;
    coins := coins + (m->>'coins')::integer;
    gems := gems + paid;
    msgs := msgs || jsonb_build_array(m);
  END LOOP;
  paid := LEAST((bonus->>'gems')::integer, allowance);
  IF paid < (bonus->>'gems')::integer THEN
    capped := true;
    bonus := bonus || jsonb_build_object('gems', paid);
  END IF;
  IF capped THEN limited := limited || '["DAILY_GEM_CAP"]'; END IF;
  RETURN r || jsonb_build_object('messages', msgs, 'missionBonus', bonus,
    'xpGained', xp + (bonus->>'xp')::integer, 'coinsGained', coins + (bonus->>'coins')::integer,
    'gemsGained', gems + paid, 'limitedBy', limited);
END $$;

-- wallet owner: as before, with the ledger rows stamped at the session's completion (p_at), the
-- instant the daily gem count reads them by. A withheld session still gets its (zero)
-- SESSION_REWARD entry: one per COMPLETED session.
DROP FUNCTION sg_wallet_grant(text, text, integer, integer, integer);
CREATE FUNCTION sg_wallet_grant(
  p_user text, p_session text, p_xp integer, p_coins integer, p_gems integer, p_at timestamp,
  OUT level_before integer, OUT level_after integer, OUT level_up_gems integer
)
LANGUAGE plpgsql AS $$
DECLARE
  lifetime integer;
BEGIN
  SELECT "lifetimeXp" INTO lifetime FROM "UserWallet" WHERE "userId" = p_user FOR UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'User % has no wallet', p_user; END IF;
  level_before := sg_level_for_xp(lifetime);
  level_after := sg_level_for_xp(lifetime::bigint + GREATEST(0, p_xp));
  level_up_gems := level_after - level_before; -- one gem per level gained
  INSERT INTO "WalletLedgerEntry" ("id", "userId", "sessionId", "kind", "xp", "coins", "gems",
      "createdAt")
    VALUES (gen_random_uuid()::text, p_user, p_session, 'SESSION_REWARD', p_xp, p_coins, p_gems,
      p_at);
  IF level_up_gems > 0 THEN
    INSERT INTO "WalletLedgerEntry" ("id", "userId", "sessionId", "kind", "gems", "createdAt")
      VALUES (gen_random_uuid()::text, p_user, p_session, 'LEVEL_UP', level_up_gems, p_at);
  END IF;
  UPDATE "UserWallet" SET "xp" = "xp" + p_xp, "lifetimeXp" = "lifetimeXp" + p_xp,
    "coins" = "coins" + p_coins, "gems" = "gems" + p_gems + level_up_gems,
    "level" = level_after, "updatedAt" = now() AT TIME ZONE 'UTC'
  WHERE "userId" = p_user;
END $$;

-- sessions owner (shared/sessions/apply.ts): every effect of a scored session, exactly once. Lock
-- order: the session row; the user row (serialises the user's applies: the day rules below read
-- the user's other sessions, mission progress and ledger under it); mission progress; stats;
-- messages; the wallet last. `p` is built by apply.ts: the rewards of the session's own rules
-- (p.summary.rewards), stats facts, message rows, the content hash, result columns and the stored
-- JSON; the day rules, message deltas and level-up facts are added here.
CREATE OR REPLACE FUNCTION sg_apply_session(p_session text, p jsonb, p_at timestamp)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  s record;
  u record;
  w record;
  c jsonb := p->'columns';
  day_start timestamp;
  repeated boolean;
  gems_today integer;
  bonus_wanted boolean := false;
  bonus_paid boolean := false;
  r jsonb;
  gems_total integer;
BEGIN
  SELECT "userId", "status", "templateId" INTO s FROM "PracticeSession"
    WHERE "id" = p_session FOR UPDATE;
  IF NOT FOUND THEN RETURN jsonb_build_object('outcome', 'missing'); END IF;
  IF s."status" = 'COMPLETED' THEN RETURN jsonb_build_object('outcome', 'already-completed'); END IF;
  IF s."status" <> 'PROCESSING' THEN RETURN jsonb_build_object('outcome', 'not-processing'); END IF;

  SELECT "timezone", "previousTimezone", "timezoneChangedAt" INTO u FROM "User"
    WHERE "id" = s."userId" FOR NO KEY UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'No user %', s."userId"; END IF;
  day_start := sg_local_day_start(p_at,
    sg_effective_zone(u."timezone", u."previousTimezone", u."timezoneChangedAt", p_at));
  -- REPEAT_WINDOW_DAYS: any completed session of the user in the last 7 days with the same
  -- normalised USER messages (index (userId, contentHash)).
  repeated := EXISTS (
    SELECT 1 FROM "PracticeSession"
    WHERE "userId" = s."userId" AND "contentHash" = p->>'contentHash' AND "id" <> p_session
      AND "status" = 'COMPLETED' AND "completedAt" > p_at - interval '7 days');
  -- Session gems of the local day: the SESSION_REWARD ledger rows (level-up gems have their own),
  -- read through the partial index WalletLedgerEntry_sessionGems_idx.
  SELECT COALESCE(sum("gems"), 0) INTO gems_today FROM "WalletLedgerEntry"
    WHERE "userId" = s."userId" AND "kind" = 'SESSION_REWARD' AND "gems" > 0
      AND "createdAt" >= day_start;
  IF s."templateId" IS NOT NULL THEN
    bonus_wanted := (p->>'isSuccess')::boolean AND NOT repeated;
    bonus_paid := sg_mission_record(s."userId", s."templateId", (p->>'score')::integer,
      (p->>'isSuccess')::boolean, bonus_wanted, day_start, p_at);
  END IF;
  r := sg_fair_play_rewards(p->'summary'->'rewards', repeated, bonus_wanted AND NOT bonus_paid,
    gems_today);

  PERFORM sg_streak_record(s."userId", p_at);
  PERFORM sg_stats_record(s."userId", (p->>'score')::float8, (p->>'messageScore')::float8,
    (p->>'isSuccess')::boolean, p->'metrics', p_at);
  INSERT INTO "ChatMessage" ("id", "sessionId", "index", "role", "content", "score", "rarity",
      "grade", "xpDelta", "coinsDelta", "gemsDelta", "traits", "createdAt")
    SELECT gen_random_uuid()::text, p_session, m."index", m."role"::"MessageRole", m."content",
      m."score", m."rarity", m."grade", COALESCE((f."reward"->>'xp')::integer, 0),
      COALESCE((f."reward"->>'coins')::integer, 0), COALESCE((f."reward"->>'gems')::integer, 0),
      m."traits", p_at
    FROM jsonb_to_recordset(p->'messages') AS m("index" integer, "role" text, "content" text,
      "score" integer, "rarity" text, "grade" text, "traits" jsonb)
    LEFT JOIN jsonb_array_elements(r->'messages') AS f("reward")
      ON (f."reward"->>'index')::integer = m."index";
  -- The wallet last: the row every session of a user contends for is held the shortest time.
  SELECT * INTO w FROM sg_wallet_grant(s."userId", p_session, (r->>'xpGained')::integer,
    (r->>'coinsGained')::integer, (r->>'gemsGained')::integer, p_at);
  gems_total := (r->>'gemsGained')::integer + w.level_up_gems;

  UPDATE "PracticeSession" SET
    "status" = 'COMPLETED',
    "score" = (p->>'score')::integer,
    "messageScore" = (p->>'messageScore')::float8,
    "isSuccess" = (p->>'isSuccess')::boolean,
    "outcome" = c->>'outcome',
    "xpGained" = (r->>'xpGained')::integer,
    "coinsGained" = (r->>'coinsGained')::integer,
    "gemsGained" = gems_total,
    "contentHash" = p->>'contentHash',
    "charismaIndex" = (c->>'charismaIndex')::integer,
    "confidenceScore" = (c->>'confidenceScore')::integer,
    "clarityScore" = (c->>'clarityScore')::integer,
    "humorScore" = (c->>'humorScore')::integer,
    "tensionScore" = (c->>'tensionScore')::integer,
    "emotionalWarmth" = (c->>'emotionalWarmth')::integer,
    "dominanceScore" = (c->>'dominanceScore')::integer,
    "fillerWordsCount" = (c->>'fillerWordsCount')::integer,
    "totalMessages" = (c->>'totalMessages')::integer,
    "totalWords" = (c->>'totalWords')::integer,
    "wordsPerMinute" = (c->>'wordsPerMinute')::integer,
    "aiCoreVersion" = c->>'aiCoreVersion',
    "aiProvider" = c->>'aiProvider',
    -- Level-up gems are part of what the session earned (wallet = Σ ledger = Σ session rewards).
    "aiSummary" = jsonb_set(p->'summary', '{rewards}', r || jsonb_build_object(
      'gemsGained', gems_total, 'levelUpGems', w.level_up_gems,
      'levelBefore', w.level_before, 'levelAfter', w.level_after)),
    "aiCorePayload" = p->'corePayload',
    "errorCode" = NULL,
    "errorMessage" = NULL,
    "completedAt" = p_at
  WHERE "id" = p_session;

  RETURN jsonb_build_object('outcome', 'applied', 'levelBefore', w.level_before,
    'levelAfter', w.level_after, 'levelUpGems', w.level_up_gems);
END $$;
