import { badRequest } from '../../shared/errors.js';

/** An opaque keyset cursor over (createdAt, id), newest first. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

/**
 * `scope` names the subset of rows the page was taken from (a list's filters, e.g.
 * `mode=text`), so the next page continues the same subset; '' is the whole list.
 */
export function encodeCursor(row: Cursor, scope = ''): string {
  const scoped = scope ? `|${scope}` : '';
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}${scoped}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Cursor | null {
  return decodeScopedCursor(cursor)?.position ?? null;
}

/** A cursor's position and the scope it was issued for ('' when it has none). */
export function decodeScopedCursor(
  cursor: string | undefined,
): { position: Cursor; scope: string } | null {
  if (!cursor) return null;
  const [at, id, ...scope] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  const year = createdAt.getUTCFullYear();
  // Only cursors we could have issued: a plain id and a timestamp Postgres accepts.
  if (!id || !/^[\w-]{1,64}$/.test(id) || !(year >= 1970 && year <= 9999)) {
    throw invalidCursor();
  }
  return { position: { createdAt, id }, scope: scope.join('|') };
}

export const invalidCursor = (why = 'cursor is not valid') => badRequest('INVALID_CURSOR', why);

/** The Prisma `where` for rows strictly after the cursor in (createdAt desc, id desc) order. */
export function afterCursor(cursor: Cursor | null) {
  if (!cursor) return {};
  return {
    OR: [
      { createdAt: { lt: cursor.createdAt } },
      { createdAt: cursor.createdAt, id: { lt: cursor.id } },
    ],
  };
}

/** Splits a page fetched with `take: limit + 1` into items and the next cursor (in `scope`). */
export function page<T extends Cursor>(
  rows: T[],
  limit: number,
  scope = '',
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last, scope) : null };
}

export const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
