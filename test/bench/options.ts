import { parseArgs } from 'node:util';

/** What one bench run does; every field is settable as --flag=value or BENCH_FLAG (argv wins). */
export interface BenchOptions {
  smoke: boolean;
  /** Only signup + closed loop + drain, with the processes under `node --cpu-prof`. */
  profile: boolean;
  /** Run `npm run build` first (the processes start from dist/). */
  build: boolean;
  workers: number;
  users: number;
  /** Closed-loop clients. */
  clients: number;
  closedSec: number;
  /** Open-loop submit rates, req/s. */
  rates: number[];
  openSec: number;
  /** Login burst: logins/s, the submit rate beside it, and how long; loginRate 0 skips it. */
  loginRate: number;
  loginSubmitRate: number;
  loginSec: number;
  /** bcrypt cost of the login users' hashes (production's default). */
  loginCost: number;
  /** pgbench client counts; the best is the ceiling. */
  ceilingClients: number[];
  ceilingSec: number;
  /** Closed-loop seconds of the framework floor (floor.ts); 0 skips it. */
  floorSec: number;
  /** Longest wait for the workers to complete every accepted session after a phase. */
  drainTimeoutSec: number;
  /** Most connections the open-loop client opens (beyond it, requests wait in the client). */
  maxConnections: number;
}

const FULL: BenchOptions = {
  smoke: false,
  profile: false,
  build: true,
  workers: 1,
  // Enough users that the per-user submit limit (30 a minute) is not what the bench measures:
  // 900 users allow 450 submits/s.
  users: 900,
  clients: 32,
  closedSec: 10,
  rates: [150, 300],
  openSec: 10,
  loginRate: 20,
  loginSubmitRate: 50,
  loginSec: 10,
  loginCost: 12,
  ceilingClients: [2, 4],
  ceilingSec: 10,
  floorSec: 10,
  drainTimeoutSec: 180,
  maxConnections: 1024,
};

/** Seconds-long and small: checks correctness (exactly once) on a 2-core CI box in < 60 s. */
const SMOKE: Partial<BenchOptions> = {
  users: 48,
  clients: 8,
  closedSec: 3,
  rates: [40],
  openSec: 2,
  loginRate: 0,
  ceilingClients: [2],
  ceilingSec: 3,
  floorSec: 2,
  drainTimeoutSec: 30,
};

const numberFlags = [
  'workers',
  'users',
  'clients',
  'closedSec',
  'openSec',
  'loginRate',
  'loginSubmitRate',
  'loginSec',
  'loginCost',
  'ceilingSec',
  'floorSec',
  'drainTimeoutSec',
  'maxConnections',
] as const;

const envName = (flag: string) => `BENCH_${flag.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

function positive(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0, got ${raw}`);
  return n;
}

/** Parses argv and BENCH_* variables over the full (or, with --smoke, the smoke) defaults. */
export function parseOptions(
  argv: string[],
  env: Record<string, string | undefined>,
): BenchOptions {
  const flags = [...numberFlags, 'rates', 'ceilingClients'] as const;
  const { values } = parseArgs({
    args: argv,
    options: {
      smoke: { type: 'boolean' },
      profile: { type: 'boolean' },
      'no-build': { type: 'boolean' },
      ...Object.fromEntries(flags.map((f) => [f, { type: 'string' as const }])),
    },
    strict: true,
  });
  const raw = (flag: string): string | undefined => {
    const v = (values as Record<string, string | boolean | undefined>)[flag];
    return typeof v === 'string' ? v : env[envName(flag)];
  };
  const smoke = values.smoke === true || env.BENCH_SMOKE === '1';
  const options: BenchOptions = {
    ...FULL,
    ...(smoke ? SMOKE : {}),
    smoke,
    profile: values.profile === true || env.BENCH_PROFILE === '1',
    build: values['no-build'] !== true && env.BENCH_NO_BUILD !== '1',
  };
  for (const flag of numberFlags) {
    const v = raw(flag);
    if (v !== undefined) options[flag] = positive(flag, v);
  }
  const rates = raw('rates');
  if (rates !== undefined) options.rates = rates.split(',').map((r) => positive('rates', r));
  const ceiling = raw('ceilingClients');
  if (ceiling !== undefined) {
    options.ceilingClients = ceiling.split(',').map((c) => positive('ceilingClients', c));
  }
  if (
    options.workers < 1 ||
    options.clients < 1 ||
    options.users < options.clients ||
    options.ceilingClients.some((c) => c < 1)
  ) {
    throw new Error('need workers ≥ 1, clients ≥ 1, users ≥ clients and ceiling clients ≥ 1');
  }
  return options;
}
