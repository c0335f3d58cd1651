import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('entry points', () => {
  it('exit at start naming every bad variable', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: 'eighty', DATABASE_URL: 'nope' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    for (const key of ['PORT', 'DATABASE_URL', 'JWT_SECRET']) expect(run.stderr).toContain(key);
  });
});
