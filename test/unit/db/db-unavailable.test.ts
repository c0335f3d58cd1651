import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../../shared/db-unavailable.js';
import { Prisma } from '../../../shared/db.js';

const pgError = (code: string) => Object.assign(new Error('pg'), { code });
const adapterError = (originalCode: string) =>
  new Prisma.PrismaClientKnownRequestError('x', {
    code: 'P2010',
    clientVersion: '7',
    meta: { driverAdapterError: { cause: { originalCode } } },
  });

describe('isDatabaseUnavailable', () => {
  it('counts lost connections, failover DNS and SQLSTATE class 08 as unavailable', () => {
    for (const code of ['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', '57P01']) {
      expect(isDatabaseUnavailable(pgError(code)), code).toBe(true);
    }
    expect(isDatabaseUnavailable(pgError('08006'))).toBe(true);
    expect(isDatabaseUnavailable(adapterError('08001'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('leaves query errors to the caller', () => {
    expect(isDatabaseUnavailable(pgError('23505'))).toBe(false);
    expect(isDatabaseUnavailable(pgError('22012'))).toBe(false);
    expect(isDatabaseUnavailable(adapterError('23503'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
  });
});
