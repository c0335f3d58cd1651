import { describe, expect, it } from 'vitest';
import { isAccountGone } from '../../shared/account-gone.js';
import { Prisma } from '../../shared/db.js';

const known = (code: string, meta: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError('x', { code, clientVersion: '7', meta });

describe('isAccountGone', () => {
  it('recognises a violated user foreign key from node-postgres and through Prisma', () => {
    expect(isAccountGone({ code: '23503', constraint: 'IdempotencyKey_userId_fkey' })).toBe(true);
    const cause = { originalCode: '23503', constraint: { index: 'PracticeSession_userId_fkey' } };
    expect(isAccountGone(known('P2010', { driverAdapterError: { cause } }))).toBe(true);
    expect(isAccountGone(known('P2025', { modelName: 'User' }))).toBe(true);
  });

  it('leaves other foreign keys and missing rows to the generic 500', () => {
    expect(isAccountGone({ code: '23503', constraint: 'PracticeSession_templateId_fkey' })).toBe(
      false,
    );
    expect(isAccountGone(known('P2025', { modelName: 'PracticeSession' }))).toBe(false);
    expect(isAccountGone(new Error('boom'))).toBe(false);
  });
});
