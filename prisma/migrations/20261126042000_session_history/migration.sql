-- Issue 11, session history. (1) A COMPLETED session keeps the wallet its apply left behind
-- (API.md: result.walletAfter), so history shows it without re-reading the wallet later (by then
-- other sessions have changed it): the wallet owner returns the row it just updated and the apply
-- stores it on the session row in the same statement. Sessions completed before this migration
-- keep walletAfter NULL. (2) An index for the session list's ?templateId= filter.

-- wallet owner: as in 20261126010000_fair_play, and also returns the wallet row as updated
-- (level-up gems included), as { xp, level, coins, gems, lifetimeXp }. A new OUT parameter changes
-- the result type, which CREATE OR REPLACE cannot do: drop and create (sg_apply_session, its only
-- caller, is replaced below in the same transaction).
DROP FUNCTION sg_wallet_grant(text, text, integer, integer, integer, timestamp);
CREATE FUNCTION sg_wallet_grant(
  p_user text, p_session text, p_xp integer, p_coins integer, p_gems integer, p_at timestamp,
  OUT level_before integer, OUT level_after integer, OUT level_up_gems integer,
  OUT wallet_after jsonb
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
  WHERE "userId" = p_user
  RETURNING jsonb_build_object('xp', "xp", 'level', "level", 'coins', "coins", 'gems', "gems",
    'lifetimeXp', "lifetimeXp") INTO wallet_after;
END $$;

-- sessions owner (shared/sessions/apply.ts): as in 20261126010000_fair_play, plus "walletAfter"
-- = the wallet the grant returned. Every effect of a scored session, exactly once. Lock order: the
-- session row; the user row (serialises the user's applies: the day rules below read the user's
-- other sessions, mission progress and ledger under it); mission progress; stats; messages; the
-- wallet last. `p` is built by apply.ts: the rewards of the session's own rules
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
    "walletAfter" = w.wallet_after,
    "errorCode" = NULL,
    "errorMessage" = NULL,
    "completedAt" = p_at
  WHERE "id" = p_session;

  RETURN jsonb_build_object('outcome', 'applied', 'levelBefore', w.level_before,
    'levelAfter', w.level_after, 'levelUpGems', w.level_up_gems);
END $$;

-- CreateIndex: GET /v1/practice/sessions?templateId= (a mission's attempts, newest first). A
-- template is one of dozens and most sessions have none, so walking the user's (userId, createdAt)
-- index for a page of one template reads most of the user's history (measured: 20 000 sessions,
-- 30 templates: 8.7 ms and 332 buffers for a template with no sessions; 0.03 ms with this index).
-- Partial: sessions without a template, and their status updates, never touch it. (Prisma's
-- schema language cannot express a partial index; see the note in schema.prisma.) The other
-- filters use the existing indexes: ?status= (userId, status) for the few QUEUED, PROCESSING or
-- FAILED rows, (userId, createdAt) for COMPLETED ones; ?mode= (3 values, each a main feature)
-- walks (userId, createdAt) — its worst case, a mode used only long ago, read 20 000 rows in
-- 2.7 ms, bounded by the user's history, which did not justify another index on every status
-- update of every session.
CREATE INDEX "PracticeSession_userId_templateId_createdAt_idx"
  ON "PracticeSession"("userId", "templateId", "createdAt")
  WHERE "templateId" IS NOT NULL;
