import { Prisma, type PracticeMissionTemplate, type PrismaClient } from '../db.js';

/** The caller's progress on one template; zeros, false and null for a template never played. */
export interface MissionProgressView {
  attempts: number;
  bestScore: number;
  passed: boolean;
  lastPlayedAt: Date | null;
  /** A passing session now would be paid the template's mission bonus (see `listMissions`). */
  bonusAvailableToday: boolean;
}

/** The template columns a catalog view shows (`/v1/templates`, and each mission). */
export type TemplateRow = Pick<
  PracticeMissionTemplate,
  | 'id'
  | 'code'
  | 'title'
  | 'description'
  | 'category'
  | 'difficulty'
  | 'personaId'
  | 'timeLimitSec'
  | 'maxMessages'
  | 'wordLimit'
  | 'passScore'
  | 'rewardXp'
  | 'rewardCoins'
  | 'rewardGems'
>;

/** An active template with the user's progress on it. */
export type MissionRow = TemplateRow & MissionProgressView;

/**
 * The active templates (in the catalog's order) with the user's progress, in one query: the
 * templates LEFT JOINed with the user's MissionProgress rows (unique (userId, templateId)).
 *
 * `bonusAvailableToday` is decided as the apply decides it (sg_mission_record in the fair_play
 * migration): the bonus is paid unless one was paid since the start of the user's local day, the
 * day counted in the zone in effect at `now` (sg_effective_zone: the previous zone until 24 hours
 * after a timezone change, shared/fair-play/zone.ts). The same SQL functions compute the day start
 * here, so the read agrees with what an apply at `now` would pay. (A template without rewards
 * "pays" a zero bonus; a repeated-content session is paid nothing whatever this says.)
 */
export function listMissions(
  prisma: PrismaClient,
  userId: string,
  now: Date,
  opts: { category?: PracticeMissionTemplate['category'] | undefined } = {},
): Promise<MissionRow[]> {
  const at = Prisma.sql`(${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
  const byCategory = opts.category
    ? Prisma.sql`AND t."category" = ${opts.category}::"MissionCategory"`
    : Prisma.empty;
  return prisma.$queryRaw<MissionRow[]>`
    SELECT t."id", t."code", t."title", t."description", t."category"::text AS "category",
      t."difficulty", t."personaId", t."timeLimitSec", t."maxMessages", t."wordLimit",
      t."passScore", t."rewardXp", t."rewardCoins", t."rewardGems",
      COALESCE(p."attempts", 0) AS "attempts", COALESCE(p."bestScore", 0) AS "bestScore",
      COALESCE(p."passed", false) AS "passed", p."lastPlayedAt",
      COALESCE(p."lastBonusAt" IS NULL OR p."lastBonusAt" < (
        SELECT sg_local_day_start(${at}, sg_effective_zone(u."timezone", u."previousTimezone",
          u."timezoneChangedAt", ${at}))
        FROM "User" u WHERE u."id" = ${userId}), false) AS "bonusAvailableToday"
    FROM "PracticeMissionTemplate" t
    LEFT JOIN "MissionProgress" p ON p."templateId" = t."id" AND p."userId" = ${userId}
    WHERE t."active" ${byCategory}
    ORDER BY t."category", t."difficulty", t."code"`;
}
