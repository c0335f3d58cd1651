import type { Tx } from '../db.js';
import { applyXp } from './levels.js';

export interface SessionGrant {
  userId: string;
  sessionId: string;
  xp: number;
  coins: number;
  gems: number;
}

export interface GrantResult {
  levelBefore: number;
  levelAfter: number;
  levelUpGems: number;
}

/**
 * RewardsService: the only code that changes a wallet. Inside the caller's transaction it locks the
 * wallet row, writes the session's ledger entry (unique per session and kind, so a second apply
 * fails instead of double-counting) and a LEVEL_UP entry for level-up gems, then updates XP, coins,
 * gems and the level together.
 */
export async function grantSessionRewards(tx: Tx, grant: SessionGrant): Promise<GrantResult> {
  const [wallet] = await tx.$queryRaw<{ lifetimeXp: number }[]>`
    SELECT "lifetimeXp" FROM "UserWallet" WHERE "userId" = ${grant.userId} FOR UPDATE`;
  if (!wallet) throw new Error(`User ${grant.userId} has no wallet`);
  const levels = applyXp(wallet.lifetimeXp, grant.xp);
  const { userId, sessionId } = grant;
  await tx.walletLedgerEntry.create({
    data: {
      userId,
      sessionId,
      kind: 'SESSION_REWARD',
      xp: grant.xp,
      coins: grant.coins,
      gems: grant.gems,
    },
  });
  if (levels.levelUpGems > 0) {
    await tx.walletLedgerEntry.create({
      data: { userId, sessionId, kind: 'LEVEL_UP', gems: levels.levelUpGems },
    });
  }
  await tx.userWallet.update({
    where: { userId },
    data: {
      xp: { increment: grant.xp },
      lifetimeXp: { increment: grant.xp },
      coins: { increment: grant.coins },
      gems: { increment: grant.gems + levels.levelUpGems },
      level: levels.levelAfter,
    },
  });
  return {
    levelBefore: levels.levelBefore,
    levelAfter: levels.levelAfter,
    levelUpGems: levels.levelUpGems,
  };
}
