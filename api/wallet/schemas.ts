import { z } from 'zod';
import { Timestamp, okWith, pageOf } from '../shared/responses.js';

const int = z.number().int();

/** The wallet as the app shows it (dashboard and /v1/wallet/me). */
export const WalletSchema = z
  .object({
    xp: int,
    level: int,
    coins: int,
    gems: int,
    lifetimeXp: int,
    xpIntoLevel: int,
    xpForNextLevel: int,
  })
  .meta({ id: 'Wallet' });

export const WalletResponse = okWith({
  wallet: WalletSchema.extend({ updatedAt: Timestamp }),
}).meta({ id: 'WalletResponse' });
export type WalletResponse = z.infer<typeof WalletResponse>;

export const LedgerEntrySchema = z
  .object({
    id: z.string(),
    kind: z.enum(['SESSION_REWARD', 'LEVEL_UP', 'POWERUP_PURCHASE']),
    xp: int,
    coins: int,
    gems: int,
    sessionId: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'LedgerEntry' });
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

export const LedgerPage = pageOf(LedgerEntrySchema).meta({ id: 'LedgerPage' });
export type LedgerPage = z.infer<typeof LedgerPage>;
