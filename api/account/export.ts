import type { PrismaClient } from '../../shared/db.js';
import {
  accountRows,
  accountSessions,
  clipAudio,
  type AccountHead,
  type ExportPageSizes,
} from '../../shared/users/account-export.js';
import type { AccountExport } from './schemas.js';
import {
  clipAudioHeader,
  idempotencyKeyExport,
  ledgerEntryExport,
  missionExport,
  powerUpUsageExport,
  profileExport,
  refreshTokenExport,
  resetTokenExport,
  sessionExport,
  statsExport,
  walletExport,
} from './views.js';

/** Text handed to the response at once: rows are batched up to this many characters. */
const CHUNK_CHARS = 64 * 1024;
/** Audio bytes base64-encoded per piece: a multiple of 3, so the pieces join into one base64. */
const AUDIO_PIECE_BYTES = 3 * 64 * 1024;

type Intro = Pick<
  AccountExport,
  'ok' | 'format' | 'exportedAt' | 'profile' | 'wallet' | 'stats' | 'missionProgress'
>;

/**
 * The account export (schemas.ts AccountExportSchema) as JSON text, produced piece by piece as the
 * consumer reads it: the user's single rows first, then each table page by page (shared/users/
 * account-export.ts), then the audio of clips still stored, one clip at a time and encoded in
 * pieces. Memory stays bounded by a page, whatever the user's history.
 */
export async function* exportDocument(
  prisma: PrismaClient,
  userId: string,
  head: AccountHead,
  exportedAt: Date,
  sizes: ExportPageSizes = {},
): AsyncGenerator<string> {
  const rows = accountRows(prisma, userId, sizes);
  const intro: Intro = {
    ok: true,
    format: 'socialgym-export/1',
    exportedAt: exportedAt.toISOString(),
    profile: profileExport(head.profile),
    wallet: head.wallet ? walletExport(head.wallet) : null,
    stats: head.stats ? statsExport(head.stats) : null,
    missionProgress: head.missions.map(missionExport),
  };
  // The object stays open: the lists follow.
  yield JSON.stringify(intro).slice(0, -1);
  yield* batched(list('refreshTokens', rows.refreshTokens(), refreshTokenExport));
  yield* batched(list('passwordResetTokens', rows.passwordResetTokens(), resetTokenExport));
  yield* batched(list('idempotencyKeys', rows.idempotencyKeys(), idempotencyKeyExport));
  yield* batched(list('powerUpUsages', rows.powerUpUsages(), powerUpUsageExport));
  yield* batched(list('ledger', rows.ledger(), ledgerEntryExport));
  yield* batched(list('sessions', accountSessions(prisma, userId, sizes), sessionExport));
  yield ',"voiceClipAudio":[';
  let first = true;
  for await (const clip of clipAudio(prisma, userId)) {
    yield `${first ? '' : ','}${JSON.stringify(clipAudioHeader(clip)).slice(0, -1)},"audio":"`;
    first = false;
    const bytes = Buffer.from(clip.audio.buffer, clip.audio.byteOffset, clip.audio.byteLength);
    for (let at = 0; at < bytes.length; at += AUDIO_PIECE_BYTES) {
      yield bytes.subarray(at, at + AUDIO_PIECE_BYTES).toString('base64');
    }
    yield '"}';
  }
  yield ']}';
}

/** `,"name":[row,row,…]` with each row presented. */
async function* list<T>(
  name: string,
  rows: AsyncIterable<T>,
  present: (row: T) => unknown,
): AsyncGenerator<string> {
  yield `,${JSON.stringify(name)}:[`;
  let first = true;
  for await (const row of rows) {
    yield (first ? '' : ',') + JSON.stringify(present(row));
    first = false;
  }
  yield ']';
}

/** Joins small pieces into chunks of about CHUNK_CHARS (fewer writes to the socket). */
async function* batched(pieces: AsyncIterable<string>): AsyncGenerator<string> {
  let buffer = '';
  for await (const piece of pieces) {
    buffer += piece;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
