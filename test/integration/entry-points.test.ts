import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Runs an entry point with exactly this environment (nothing inherited but PATH). Loading an
 * entry point through tsx takes seconds, many more on a busy machine.
 */
function run(entry: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const slow = { timeout: 150_000 };

describe('entry points', () => {
  it('exit at start naming every bad variable', slow, () => {
    const result = run('api/server.ts', {
      NODE_ENV: 'production',
      PORT: 'eighty',
      DATABASE_URL: 'nope',
    });
    expect(result.status).toBe(1);
    for (const key of ['PORT', 'DATABASE_URL', 'JWT_SECRET']) expect(result.stderr).toContain(key);
  });

  it(
    'refuse to start with NODE_ENV unset and no JWT_SECRET (no committed secret is used)',
    slow,
    () => {
      for (const entry of ['api/server.ts', 'worker/main.ts']) {
        const result = run(entry, {});
        expect(result.status, entry).toBe(1);
        expect(result.stderr).toContain('JWT_SECRET: is required unless NODE_ENV is development');
      }
    },
  );

  it('refuse a public example secret in production', slow, () => {
    const result = run('api/server.ts', {
      JWT_SECRET: 'change-me-to-a-long-random-secret-of-32-chars',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('JWT_SECRET: is a public example value');
  });
});

describe('deploy files', () => {
  it('run production and never supply a default secret', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    // The runtime stage: production, production dependencies only, never root, an init process,
    // a health check, and no tsx or npm between the signal and node.
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(runtime).toMatch(/^ENV NODE_ENV=production$/m);
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK /m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/api\/server.js"\]$/m);
    expect(runtime).not.toMatch(/tsx/);

    const procfile = readFileSync('Procfile', 'utf8').trim().split('\n');
    for (const line of procfile) {
      const commands = line.replace(/^\w+:\s*/, '').split('&&');
      for (const command of commands) {
        expect(command.trim()).toMatch(/^NODE_ENV=production node /);
      }
    }

    const compose = readFileSync('docker-compose.yml', 'utf8');
    expect(compose).toMatch(/NODE_ENV: production/);
    expect(compose).toMatch(/JWT_SECRET: \$\{JWT_SECRET:\?[^}]+\}/);
    expect(compose).not.toMatch(/JWT_SECRET: \$\{JWT_SECRET:-/);
  });
});
