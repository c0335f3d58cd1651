import { parseArgs } from 'node:util';

/** What one chaos run does; every number is settable as --flag=value or CHAOS_FLAG (argv wins). */
export interface ChaosOptions {
  smoke: boolean;
  /** Run `npm run build` first (the processes start from dist/). */
  build: boolean;
  workers: number;
  /** Users, one client each. */
  users: number;
  /** Times the four faults are run, one after another. */
  rounds: number;
  /** Load before the first fault. */
  warmupSec: number;
  /** Load between a fault's recovery and the next fault. */
  settleSec: number;
  /** How long Redis and Postgres stay down. */
  outageSec: number;
  /** Longest wait for the API to be ready and scoring to resume after a fault. */
  recoverySec: number;
  /** After the load stops: longest retrying of unanswered submits, then of unfinished sessions. */
  drainSec: number;
  settleTimeoutSec: number;
}

const FULL: ChaosOptions = {
  smoke: false,
  build: true,
  workers: 2,
  users: 24,
  rounds: 2,
  warmupSec: 8,
  settleSec: 10,
  outageSec: 4,
  recoverySec: 60,
  drainSec: 30,
  settleTimeoutSec: 120,
};

/** Seconds-long: each fault once, with short gaps, for CI. */
const SMOKE: Partial<ChaosOptions> = {
  users: 8,
  rounds: 1,
  warmupSec: 3,
  settleSec: 2,
  outageSec: 2,
  recoverySec: 45,
  drainSec: 20,
  settleTimeoutSec: 60,
};

const numberFlags = [
  'workers',
  'users',
  'rounds',
  'warmupSec',
  'settleSec',
  'outageSec',
  'recoverySec',
  'drainSec',
  'settleTimeoutSec',
] as const;

const envName = (flag: string) => `CHAOS_${flag.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/** Parses argv and CHAOS_* variables over the full (or, with --smoke, the smoke) defaults. */
export function parseChaosOptions(
  argv: string[],
  env: Record<string, string | undefined>,
): ChaosOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      smoke: { type: 'boolean' },
      'no-build': { type: 'boolean' },
      ...Object.fromEntries(numberFlags.map((f) => [f, { type: 'string' as const }])),
    },
    strict: true,
  });
  const smoke = values.smoke === true || env.CHAOS_SMOKE === '1';
  const options: ChaosOptions = {
    ...FULL,
    ...(smoke ? SMOKE : {}),
    smoke,
    build: values['no-build'] !== true && env.CHAOS_NO_BUILD !== '1',
  };
  for (const flag of numberFlags) {
    const raw = (values as Record<string, string | boolean | undefined>)[flag];
    const v = typeof raw === 'string' ? raw : env[envName(flag)];
    if (v === undefined) continue;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag} must be a number ≥ 0, got ${v}`);
    options[flag] = n;
  }
  if (options.workers < 1 || options.users < 1 || options.rounds < 1) {
    throw new Error('need workers ≥ 1, users ≥ 1 and rounds ≥ 1');
  }
  return options;
}
