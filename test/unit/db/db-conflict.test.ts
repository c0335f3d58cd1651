import { describe, expect, it } from 'vitest';
import { isTransactionConflict, retryOnConflict } from '../../../shared/db-conflict.js';
import { Prisma } from '../../../shared/db.js';

/** A raw-query failure as Prisma reports it through the pg driver adapter. */
const rawQueryError = (originalCode: string) =>
  new Prisma.PrismaClientKnownRequestError('Raw query failed', {
    code: 'P2010',
    clientVersion: '7',
    meta: { driverAdapterError: { cause: { originalCode, kind: 'TransactionWriteConflict' } } },
  });

describe('isTransactionConflict', () => {
  it('is true for deadlocks and serialization failures, in raw queries or Prisma’s own', () => {
    expect(isTransactionConflict(rawQueryError('40P01'))).toBe(true);
    expect(isTransactionConflict(rawQueryError('40001'))).toBe(true);
    const p2034 = new Prisma.PrismaClientKnownRequestError('write conflict', {
      code: 'P2034',
      clientVersion: '7',
    });
    expect(isTransactionConflict(p2034)).toBe(true);
  });

  it('is false for any other error', () => {
    expect(isTransactionConflict(rawQueryError('23505'))).toBe(false);
    expect(isTransactionConflict(new Error('40P01'))).toBe(false);
    expect(isTransactionConflict({ code: '40P01' })).toBe(false);
  });
});

describe('retryOnConflict', () => {
  it('reruns the transaction after conflicts and answers its result', async () => {
    let runs = 0;
    const result = await retryOnConflict(3, () => {
      runs++;
      return runs < 3 ? Promise.reject(rawQueryError('40P01')) : Promise.resolve('done');
    });
    expect({ result, runs }).toEqual({ result: 'done', runs: 3 });
  });

  it('throws the last conflict after the given number of runs', async () => {
    let runs = 0;
    const conflict = rawQueryError('40001');
    await expect(
      retryOnConflict(3, () => {
        runs++;
        return Promise.reject(conflict);
      }),
    ).rejects.toBe(conflict);
    expect(runs).toBe(3);
  });

  it('throws any other error at once', async () => {
    let runs = 0;
    const other = rawQueryError('23505');
    await expect(
      retryOnConflict(3, () => {
        runs++;
        return Promise.reject(other);
      }),
    ).rejects.toBe(other);
    expect(runs).toBe(1);
  });
});
