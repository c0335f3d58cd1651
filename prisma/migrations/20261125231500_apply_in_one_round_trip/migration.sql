-- Applying a scored session in one database round trip (issue 8). Each function is the
-- implementation of one owner module; `sg_apply_session` is the sessions module's and calls them
-- in lock order: session, user (streak), stats, messages, session row, wallet last.
-- Timestamps are UTC `timestamp(3)` values, as Prisma stores them, written explicitly (never a
-- column DEFAULT, which follows the session's TimeZone).

-- levels (shared/wallet/levels.ts): the largest L with 50·L·(L−1) ≤ xp; level 1 below 100 XP.
CREATE OR REPLACE FUNCTION sg_level_for_xp(p_xp bigint) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  xp bigint := GREATEST(0, p_xp);
  l integer := GREATEST(1, floor((1 + sqrt(1 + xp / 12.5)) / 2)::integer);
BEGIN
  WHILE 50::bigint * (l + 1) * l <= xp LOOP l := l + 1; END LOOP;
  WHILE l > 1 AND 50::bigint * l * (l - 1) > xp LOOP l := l - 1; END LOOP;
  RETURN l;
END $$;

-- streak calc (shared/streak/calc.ts localDayNumber): the local calendar date of a UTC instant;
-- a zone Postgres does not know counts as UTC, as in the TypeScript.
CREATE OR REPLACE FUNCTION sg_local_day(p_at timestamp, p_zone text) RETURNS date
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN ((p_at AT TIME ZONE 'UTC') AT TIME ZONE p_zone)::date;
EXCEPTION WHEN invalid_parameter_value THEN
  RETURN p_at::date;
END $$;

-- streak owner (shared/streak/owner.ts): advanceStreak of calc.ts on the locked user row.
CREATE OR REPLACE FUNCTION sg_streak_record(p_user text, p_at timestamp) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  u record;
  diff integer;
  cur integer;
BEGIN
  SELECT "timezone", "streakCurrent", "streakBest", "streakLastActiveAt" INTO u
    FROM "User" WHERE "id" = p_user FOR NO KEY UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION 'No user %', p_user; END IF;
  IF u."streakLastActiveAt" IS NULL THEN
    UPDATE "User" SET "streakCurrent" = 1, "streakBest" = GREATEST(u."streakBest", 1),
      "streakLastActiveAt" = p_at, "updatedAt" = now() AT TIME ZONE 'UTC' WHERE "id" = p_user;
    RETURN;
  END IF;
  diff := sg_local_day(p_at, u."timezone") - sg_local_day(u."streakLastActiveAt", u."timezone");
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

-- stats owner (shared/stats/updater.ts): counters and running means (mean + (v − mean) / n).
CREATE OR REPLACE FUNCTION sg_stats_record(
  p_user text, p_score double precision, p_message_score double precision, p_success boolean,
  p_metrics jsonb, p_at timestamp
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "UserStats" SET
    "sessionsCount" = "sessionsCount" + 1,
    "successCount" = "successCount" + CASE WHEN p_success THEN 1 ELSE 0 END,
    "failCount" = "failCount" + CASE WHEN p_success THEN 0 ELSE 1 END,
    "averageScore" = "averageScore" + (p_score - "averageScore") / ("sessionsCount" + 1),
    "averageMessageScore" = "averageMessageScore"
      + (p_message_score - "averageMessageScore") / ("sessionsCount" + 1),
    "avgCharismaIndex" = "avgCharismaIndex"
      + ((p_metrics->>'charismaIndex')::float8 - "avgCharismaIndex") / ("sessionsCount" + 1),
    "avgConfidence" = "avgConfidence"
      + ((p_metrics->>'confidence')::float8 - "avgConfidence") / ("sessionsCount" + 1),
    "avgClarity" = "avgClarity"
      + ((p_metrics->>'clarity')::float8 - "avgClarity") / ("sessionsCount" + 1),
    "avgHumor" = "avgHumor"
      + ((p_metrics->>'humor')::float8 - "avgHumor") / ("sessionsCount" + 1),
    "avgTension" = "avgTension"
      + ((p_metrics->>'tensionControl')::float8 - "avgTension") / ("sessionsCount" + 1),
    "avgWarmth" = "avgWarmth"
      + ((p_metrics->>'emotionalWarmth')::float8 - "avgWarmth") / ("sessionsCount" + 1),
    "avgDominance" = "avgDominance"
      + ((p_metrics->>'dominance')::float8 - "avgDominance") / ("sessionsCount" + 1),
    "avgFillerWords" = "avgFillerWords"
      + ((p_metrics->>'fillerWordsCount')::float8 - "avgFillerWords") / ("sessionsCount" + 1),
    "avgTotalWords" = "avgTotalWords"
      + ((p_metrics->>'totalWords')::float8 - "avgTotalWords") / ("sessionsCount" + 1),
    "avgTotalMessages" = "avgTotalMessages"
      + ((p_metrics->>'totalMessages')::float8 - "avgTotalMessages") / ("sessionsCount" + 1),
    "lastSessionAt" = p_at,
    "updatedAt" = now() AT TIME ZONE 'UTC'
  WHERE "userId" = p_user;
  IF NOT FOUND THEN RAISE EXCEPTION 'User % has no stats', p_user; END IF;
END $$;

-- wallet owner (shared/wallet/rewards.ts): the session's ledger entry (unique per session and
-- kind, so a second apply fails instead of double-counting), a LEVEL_UP entry for level-up gems,
-- then XP, coins, gems and the level together on the locked wallet row.
CREATE OR REPLACE FUNCTION sg_wallet_grant(
  p_user text, p_session text, p_xp integer, p_coins integer, p_gems integer,
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
      now() AT TIME ZONE 'UTC');
  IF level_up_gems > 0 THEN
    INSERT INTO "WalletLedgerEntry" ("id", "userId", "sessionId", "kind", "gems", "createdAt")
      VALUES (gen_random_uuid()::text, p_user, p_session, 'LEVEL_UP', level_up_gems,
        now() AT TIME ZONE 'UTC');
  END IF;
  UPDATE "UserWallet" SET "xp" = "xp" + p_xp, "lifetimeXp" = "lifetimeXp" + p_xp,
    "coins" = "coins" + p_coins, "gems" = "gems" + p_gems + level_up_gems,
    "level" = level_after, "updatedAt" = now() AT TIME ZONE 'UTC'
  WHERE "userId" = p_user;
END $$;

-- sessions owner (shared/sessions/apply.ts): every effect of a scored session, exactly once. The
-- session row is locked; only a PROCESSING session is applied (a COMPLETED one is left alone, a
-- FAILED one stays FAILED). `p` is built by apply.ts: rewards, stats facts, message rows, result
-- columns and the stored JSON; the level-up facts are added here, where the wallet is known.
CREATE OR REPLACE FUNCTION sg_apply_session(p_session text, p jsonb, p_at timestamp)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  s record;
  w record;
  c jsonb := p->'columns';
  gems_total integer;
BEGIN
  SELECT "userId", "status" INTO s FROM "PracticeSession" WHERE "id" = p_session FOR UPDATE;
  IF NOT FOUND THEN RETURN jsonb_build_object('outcome', 'missing'); END IF;
  IF s."status" = 'COMPLETED' THEN RETURN jsonb_build_object('outcome', 'already-completed'); END IF;
  IF s."status" <> 'PROCESSING' THEN RETURN jsonb_build_object('outcome', 'not-processing'); END IF;

  PERFORM sg_streak_record(s."userId", p_at);
  PERFORM sg_stats_record(s."userId", (p->>'score')::float8, (p->>'messageScore')::float8,
    (p->>'isSuccess')::boolean, p->'metrics', p_at);
  INSERT INTO "ChatMessage" ("id", "sessionId", "index", "role", "content", "score", "rarity",
      "grade", "xpDelta", "coinsDelta", "gemsDelta", "traits", "createdAt")
    SELECT gen_random_uuid()::text, p_session, m."index", m."role"::"MessageRole", m."content",
      m."score", m."rarity", m."grade", m."xpDelta", m."coinsDelta", m."gemsDelta", m."traits",
      p_at
    FROM jsonb_to_recordset(p->'messages') AS m("index" integer, "role" text, "content" text,
      "score" integer, "rarity" text, "grade" text, "xpDelta" integer, "coinsDelta" integer,
      "gemsDelta" integer, "traits" jsonb);
  -- The wallet last: the row every session of a user contends for is held the shortest time.
  SELECT * INTO w FROM sg_wallet_grant(s."userId", p_session, (p->>'xp')::integer, (p->>'coins')::integer,
    (p->>'gems')::integer);
  gems_total := (p->>'gems')::integer + w.level_up_gems;

  UPDATE "PracticeSession" SET
    "status" = 'COMPLETED',
    "score" = (p->>'score')::integer,
    "messageScore" = (p->>'messageScore')::float8,
    "isSuccess" = (p->>'isSuccess')::boolean,
    "outcome" = c->>'outcome',
    "xpGained" = (p->>'xp')::integer,
    "coinsGained" = (p->>'coins')::integer,
    "gemsGained" = gems_total,
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
    "aiSummary" = jsonb_set(p->'summary', '{rewards}', (p->'summary'->'rewards') || jsonb_build_object(
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
