import type { PreferencePath, PrismaClient, User } from '../../shared/db.js';
import { badRequest, notFound } from '../../shared/errors.js';
import type { PreferencesInput } from './schemas.js';

/** preferencePath is derived from attractedTo, never set directly. */
const PATH_FOR: Record<NonNullable<PreferencesInput['attractedTo']>, PreferencePath> = {
  WOMEN: 'FEMALE_PATH',
  MEN: 'MALE_PATH',
  BOTH: 'DUAL_PATH',
  OTHER: 'OTHER_PATH',
  UNKNOWN: 'UNKNOWN_PATH',
};

export function profileView(user: User) {
  return {
    userId: user.id,
    email: user.email,
    gender: user.gender,
    attractedTo: user.attractedTo,
    preferencePath: user.preferencePath,
    timezone: user.timezone,
    tier: user.tier,
    createdAt: user.createdAt.toISOString(),
  };
}

export async function getProfile(prisma: PrismaClient, userId: string): Promise<User> {
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw notFound('USER_NOT_FOUND', 'No such user');
  return user;
}

export async function updatePreferences(
  prisma: PrismaClient,
  userId: string,
  input: PreferencesInput,
): Promise<User> {
  const { gender, attractedTo, timezone } = input;
  if (gender === undefined && attractedTo === undefined && timezone === undefined) {
    throw badRequest('PREFS_EMPTY', 'Send at least one of gender, attractedTo, timezone');
  }
  return prisma.user.update({
    where: { id: userId },
    data: {
      ...(gender ? { gender } : {}),
      ...(attractedTo ? { attractedTo, preferencePath: PATH_FOR[attractedTo] } : {}),
      ...(timezone ? { timezone } : {}),
    },
  });
}
