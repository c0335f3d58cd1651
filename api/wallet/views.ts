import type { UserWallet, WalletLedgerEntry } from '../../shared/db.js';
import { walletView } from '../../shared/wallet/view.js';
import type { LedgerPage, WalletResponse } from './schemas.js';

export function walletMeView(wallet: UserWallet): WalletResponse {
  return {
    ok: true,
    wallet: { ...walletView(wallet), updatedAt: wallet.updatedAt.toISOString() },
  };
}

/** A page of the ledger, newest first. */
export function ledgerPageView(items: WalletLedgerEntry[], nextCursor: string | null): LedgerPage {
  return {
    ok: true,
    items: items.map((e) => ({
      id: e.id,
      kind: e.kind,
      xp: e.xp,
      coins: e.coins,
      gems: e.gems,
      sessionId: e.sessionId,
      createdAt: e.createdAt.toISOString(),
    })),
    nextCursor,
  };
}
