import type { UserWallet } from '../db.js';
import { levelProgress } from './levels.js';

/** The wallet as the app shows it (dashboard and /v1/wallet/me). */
export function walletView(w: UserWallet) {
  const progress = levelProgress(w.lifetimeXp);
  return {
    xp: w.xp,
    level: w.level,
    coins: w.coins,
    gems: w.gems,
    lifetimeXp: w.lifetimeXp,
    xpIntoLevel: progress.xpIntoLevel,
    xpForNextLevel: progress.xpForNextLevel,
  };
}
