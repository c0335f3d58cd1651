import type { SessionFilter } from '../../shared/sessions/list.js';
import { MODE_TO_DB } from '../../shared/sessions/input.js';
import { decodeScopedCursor, invalidCursor, type Cursor } from '../shared/pagination.js';
import { SessionFilterSchema, type SessionFilterInput } from './schemas.js';

/** The filters as a cursor's scope: the given ones in a fixed order ('' for none). */
function scopeOf(f: SessionFilterInput): string {
  const entries: [string, string][] = [];
  if (f.mode) entries.push(['mode', f.mode]);
  if (f.status) entries.push(['status', f.status]);
  if (f.templateId) entries.push(['templateId', f.templateId]);
  return new URLSearchParams(entries).toString();
}

/** What one page of the session list reads: its filters, its position and the cursor scope. */
export interface SessionListRequest {
  filter: SessionFilter;
  after: Cursor | null;
  /** What the next page's cursor carries, so it continues these filters. */
  scope: string;
}

/**
 * A list request's filters and position. Without a cursor the query's filters apply. A cursor
 * carries the filters of the page it came from and continues them: sent alone it applies them,
 * sent with filters they must be the same ones (else 400 INVALID_CURSOR, since the position
 * belongs to the other list). The scope is parsed again, so a forged one is refused too.
 */
export function sessionListRequest(
  query: SessionFilterInput & { cursor?: string | undefined },
): SessionListRequest {
  const { cursor, ...asked } = query;
  const decoded = decodeScopedCursor(cursor);
  let filters = asked;
  if (decoded) {
    const carried = SessionFilterSchema.safeParse(
      Object.fromEntries(new URLSearchParams(decoded.scope)),
    );
    if (!carried.success) throw invalidCursor();
    if (scopeOf(asked) !== '' && scopeOf(asked) !== scopeOf(carried.data)) {
      throw invalidCursor('cursor belongs to a list with other filters: send the same filters');
    }
    filters = carried.data;
  }
  return {
    filter: {
      mode: filters.mode && MODE_TO_DB[filters.mode],
      status: filters.status,
      templateId: filters.templateId,
    },
    after: decoded?.position ?? null,
    scope: scopeOf(filters),
  };
}
