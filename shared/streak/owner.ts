import type { Tx } from '../db.js';
import { advanceStreak } from './calc.js';

/**
 * The only code that writes streak fields: records activity at `at` (a completed session) in the
 * user's own time zone, inside the caller's transaction with the user row locked (NO KEY UPDATE,
 * so inserts that merely reference the user are not blocked).
 */
export async function recordStreakActivity(tx: Tx, userId: string, at: Date): Promise<void> {
  const [user] = await tx.$queryRaw<
    {
      timezone: string;
      streakCurrent: number;
      streakBest: number;
      streakLastActiveAt: Date | null;
    }[]
  >`SELECT "timezone", "streakCurrent", "streakBest", "streakLastActiveAt"
    FROM "User" WHERE "id" = ${userId} FOR NO KEY UPDATE`;
  if (!user) throw new Error(`No user ${userId}`);
  const next = advanceStreak(
    { current: user.streakCurrent, best: user.streakBest, lastActiveAt: user.streakLastActiveAt },
    at,
    user.timezone,
  );
  await tx.user.update({
    where: { id: userId },
    data: {
      streakCurrent: next.current,
      streakBest: next.best,
      streakLastActiveAt: next.lastActiveAt,
    },
  });
}
