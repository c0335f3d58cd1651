import { afterAll, describe, expect, it } from 'vitest';
import { checkPassword, closePasswordPool, hashPassword } from '../../../api/auth/passwords.js';

describe('the password thread pool', () => {
  afterAll(closePasswordPool);

  it('adds no listener per hash or compare (no MaxListenersExceededWarning)', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      // Node warns past 10 listeners of one event; 12 hashes and 12 compares would be 24.
      for (let i = 0; i < 12; i++) {
        const hash = await hashPassword(`password-${i}`, 4);
        expect(await checkPassword(`password-${i}`, hash, 4)).toBe(true);
      }
      // process.emitWarning emits on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
  });
});
