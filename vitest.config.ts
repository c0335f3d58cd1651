import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    // Two cores: a few forks keep Postgres and Redis busy without thrashing.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Creates one migrated database per test worker and drops them afterwards.
          globalSetup: ['test/helpers/global-setup.ts'],
        },
      },
    ],
  },
});
