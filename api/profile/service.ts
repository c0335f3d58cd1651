import type { PreferencePath, PrismaClient, User } from '../../shared/db.js';
import { badRequest, notFound } from '../../shared/errors.js';
import { changeTimeZone, type UserZone } from '../../shared/fair-play/index.js';
import type { PreferencesInput } from './schemas.js';

/** preferencePath is derived from attractedTo, never set directly. */
const PATH_FOR: Record<NonNullable<PreferencesInput['attractedTo']>, PreferencePath> = {
  WOMEN: 'FEMALE_PATH',
  MEN: 'MALE_PATH',
  BOTH: 'DUAL_PATH',
  OTHER: 'OTHER_PATH',
  UNKNOWN: 'UNKNOWN_PATH',
};

export async function getProfile(prisma: PrismaClient, userId: string): Promise<User> {
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw notFound('USER_NOT_FOUND', 'No such user');
  return user;
}

/**
 * Updates the preferences. A new timezone is recorded with the zone in effect until then and the
 * time of the change (shared/fair-play/zone.ts): days count in the new zone only 24 hours later.
 * The user's row is locked while the change is computed, as the apply locks it.
 */
export async function updatePreferences(
  prisma: PrismaClient,
  userId: string,
  input: PreferencesInput,
  now: Date = new Date(),
): Promise<User> {
  const { gender, attractedTo, timezone, name } = input;
  if (
    gender === undefined &&
    attractedTo === undefined &&
    timezone === undefined &&
    name === undefined
  ) {
    throw badRequest('PREFS_EMPTY', 'Send at least one of gender, attractedTo, timezone, name');
  }
  const data = {
    ...(gender ? { gender } : {}),
    ...(name === undefined ? {} : { name }),
    ...(attractedTo ? { attractedTo, preferencePath: PATH_FOR[attractedTo] } : {}),
  };
  if (!timezone) return prisma.user.update({ where: { id: userId }, data });
  return prisma.$transaction(async (tx) => {
    const [zone] = await tx.$queryRaw<UserZone[]>`
      SELECT "timezone", "previousTimezone", "timezoneChangedAt" FROM "User"
      WHERE "id" = ${userId} FOR NO KEY UPDATE`;
    if (!zone) throw notFound('USER_NOT_FOUND', 'No such user');
    return tx.user.update({
      where: { id: userId },
      data: { ...data, ...changeTimeZone(zone, timezone, now) },
    });
  });
}
