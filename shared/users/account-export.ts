import type { Prisma, PrismaClient } from '../db.js';

/**
 * Reads everything stored about one user for the account export (API.md "Account"), in bounded
 * pages so one export never holds a user's whole history in memory. Credential verifiers are never
 * selected (User.passwordHash, RefreshToken.tokenHash, PasswordResetToken.tokenHash): the export
 * must not become a way to crack a password offline. Everything else the user's rows hold is read,
 * including the idempotency fingerprints and content hashes — digests of what the user submitted,
 * which grant no access.
 *
 * Not a snapshot: each page is read when the consumer asks for it (a slow client reads slowly and
 * holds no connection meanwhile), so rows written during the export may or may not appear.
 */

/**
 * Sessions per page: a session holds up to 60 messages of 2 000 characters twice (input and
 * ChatMessage rows) plus its result JSON, so 100 of them stay in the tens of megabytes at worst.
 */
export const SESSION_PAGE_SIZE = 100;
/** Rows per page of the small per-user tables (tokens, keys, ledger, power-ups). */
export const ROW_PAGE_SIZE = 500;

export interface ExportPageSizes {
  sessions?: number;
  rows?: number;
}

/** Every column of User but the password hash. */
const USER_FIELDS = {
  id: true,
  email: true,
  name: true,
  role: true,
  tier: true,
  sessionVersion: true,
  gender: true,
  attractedTo: true,
  preferencePath: true,
  timezone: true,
  previousTimezone: true,
  timezoneChangedAt: true,
  streakCurrent: true,
  streakBest: true,
  streakLastActiveAt: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.UserSelect;

/** The user's single rows: profile, wallet, stats and mission progress (one row per template). */
export async function loadAccountHead(prisma: PrismaClient, userId: string) {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: {
      ...USER_FIELDS,
      wallet: true,
      stats: true,
      missions: {
        orderBy: { id: 'asc' },
        include: { template: { select: { code: true, title: true } } },
      },
    },
  });
  if (!user) return null;
  const { wallet, stats, missions, ...profile } = user;
  return { profile, wallet, stats, missions };
}
export type AccountHead = NonNullable<Awaited<ReturnType<typeof loadAccountHead>>>;

/** Yields the rows `page` returns, page after page, in id order (keyset: `id > last`). */
async function* keyset<T extends { id: string }>(
  page: (after: { id?: { gt: string } }, take: number) => Promise<T[]>,
  size: number,
): AsyncGenerator<T> {
  let after: string | null = null;
  for (;;) {
    const rows = await page(after === null ? {} : { id: { gt: after } }, size);
    yield* rows;
    const last = rows.at(-1);
    if (!last || rows.length < size) return;
    after = last.id;
  }
}

const ROW_ORDER = { id: 'asc' } as const;

/**
 * The per-user tables read row by row; each yields in id order, the stable order the keyset pages
 * need — not creation order in general. Ids made by Prisma (`uuid(7)`: tokens, idempotency keys,
 * power-up usages, sessions) are UUIDv7, time-ordered to the millisecond (and across processes
 * only as far as their clocks agree); those made in SQL by the apply (sg_apply_session and the
 * functions it calls, with `gen_random_uuid()`: ledger entries, mission progress, chat messages)
 * are random UUIDv4. Each row carries its `createdAt` for chronology.
 */
export function accountRows(prisma: PrismaClient, userId: string, sizes: ExportPageSizes = {}) {
  const size = sizes.rows ?? ROW_PAGE_SIZE;
  return {
    refreshTokens: () =>
      keyset(
        (after, take) =>
          prisma.refreshToken.findMany({
            where: { userId, ...after },
            orderBy: ROW_ORDER,
            take,
            select: {
              id: true,
              familyId: true,
              createdAt: true,
              expiresAt: true,
              revokedAt: true,
              replacedBy: true,
            },
          }),
        size,
      ),
    passwordResetTokens: () =>
      keyset(
        (after, take) =>
          prisma.passwordResetToken.findMany({
            where: { userId, ...after },
            orderBy: ROW_ORDER,
            take,
            select: { id: true, createdAt: true, expiresAt: true, usedAt: true },
          }),
        size,
      ),
    idempotencyKeys: () =>
      keyset(
        (after, take) =>
          prisma.idempotencyKey.findMany({
            where: { userId, ...after },
            orderBy: ROW_ORDER,
            take,
          }),
        size,
      ),
    powerUpUsages: () =>
      keyset(
        (after, take) =>
          prisma.powerUpUsage.findMany({
            where: { userId, ...after },
            orderBy: ROW_ORDER,
            take,
            include: { powerUpType: { select: { code: true } } },
          }),
        size,
      ),
    ledger: () =>
      keyset(
        (after, take) =>
          prisma.walletLedgerEntry.findMany({
            where: { userId, ...after },
            orderBy: ROW_ORDER,
            take,
          }),
        size,
      ),
  };
}

/** What a session's stored clip is, without its bytes (those come one at a time: clipAudio). */
const CLIP_FIELDS = {
  id: true,
  mimeType: true,
  sizeBytes: true,
  transcribedAt: true,
  createdAt: true,
} satisfies Prisma.VoiceClipSelect;

/** The user's sessions with their chat messages and clip metadata, a page at a time. */
export function accountSessions(prisma: PrismaClient, userId: string, sizes: ExportPageSizes = {}) {
  return keyset(
    (after, take) =>
      prisma.practiceSession.findMany({
        where: { userId, ...after },
        orderBy: ROW_ORDER,
        take,
        include: {
          messages: { orderBy: { index: 'asc' } },
          voiceClip: { select: CLIP_FIELDS },
        },
      }),
    sizes.sessions ?? SESSION_PAGE_SIZE,
  );
}
export type ExportedSession =
  ReturnType<typeof accountSessions> extends AsyncGenerator<infer T> ? T : never;

/**
 * The clips of the user that still hold audio (not yet transcribed, or kept after a failure),
 * with their bytes: one clip per page, so at most one clip (≤ 25 MiB) is in memory at a time.
 */
export function clipAudio(prisma: PrismaClient, userId: string) {
  return keyset(
    async (after, take) =>
      (
        await prisma.voiceClip.findMany({
          where: { session: { userId }, audio: { not: null }, ...after },
          orderBy: ROW_ORDER,
          take,
          select: { id: true, sessionId: true, mimeType: true, audio: true },
        })
      ).map((c) => ({ ...c, audio: c.audio ?? new Uint8Array() })),
    1,
  );
}
