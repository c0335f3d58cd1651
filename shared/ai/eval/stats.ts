/**
 * Statistics for pairwise evaluation: accuracy with ties counted two ways, a bootstrap interval
 * that resamples whole contexts (pairs sharing a partner line are not independent), and the
 * trivial baselines every quality figure is shown beside (STYLE.md 16).
 */

/** How one pair came out: the better reply scored higher, the same, or lower. */
export type Outcome = 'win' | 'tie' | 'loss';

export interface Scored {
  context: string;
  outcome: Outcome;
}

export interface Accuracy {
  /** Ties count as half a correct answer (a coin flip would break them). */
  tiesHalf: number;
  /** Ties count as misses. */
  tiesMiss: number;
  ties: number;
}

export interface Interval {
  low: number;
  high: number;
}

export function outcomeOf(better: number, worse: number): Outcome {
  return better > worse ? 'win' : better === worse ? 'tie' : 'loss';
}

export function accuracyOf(items: readonly Scored[]): Accuracy {
  let wins = 0;
  let ties = 0;
  for (const s of items) {
    if (s.outcome === 'win') wins++;
    else if (s.outcome === 'tie') ties++;
  }
  const n = items.length;
  return n === 0
    ? { tiesHalf: 0, tiesMiss: 0, ties: 0 }
    : { tiesHalf: (wins + ties / 2) / n, tiesMiss: wins / n, ties };
}

/** mulberry32: a small seeded PRNG, so the interval is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Resamples used for the interval: enough for two stable decimals, still instant. */
const BOOTSTRAP_RESAMPLES = 2000;
const BOOTSTRAP_SEED = 20240607;

/**
 * 95% percentile-bootstrap interval of the ties-as-half accuracy, resampling contexts with
 * replacement and taking all the pairs of each drawn context.
 */
export function bootstrapInterval(items: readonly Scored[], seed = BOOTSTRAP_SEED): Interval {
  const groups = new Map<string, { points: number; n: number }>();
  for (const s of items) {
    const g = groups.get(s.context) ?? { points: 0, n: 0 };
    g.points += s.outcome === 'win' ? 1 : s.outcome === 'tie' ? 0.5 : 0;
    g.n++;
    groups.set(s.context, g);
  }
  const list = [...groups.values()];
  if (list.length === 0) return { low: 0, high: 0 };
  const random = seededRandom(seed);
  const stats: number[] = [];
  for (let r = 0; r < BOOTSTRAP_RESAMPLES; r++) {
    let points = 0;
    let n = 0;
    for (let i = 0; i < list.length; i++) {
      const g = list[Math.floor(random() * list.length)];
      if (g === undefined) continue;
      points += g.points;
      n += g.n;
    }
    stats.push(n === 0 ? 0 : points / n);
  }
  stats.sort((a, b) => a - b);
  const at = (q: number): number =>
    stats[Math.min(stats.length - 1, Math.floor(q * stats.length))] ?? 0;
  return { low: at(0.025), high: at(0.975) };
}

export interface ReplyPair {
  context: string;
  better: string;
  worse: string;
}

export interface Baseline {
  name: string;
  accuracy: Accuracy;
  interval: Interval;
}

const wordCount = (s: string): number => s.split(/\s+/).filter((w) => w !== '').length;
const asksQuestion = (s: string): number => (s.includes('?') ? 1 : 0);

/** "The longer reply wins" and "the reply with a question wins", on the same pairs. */
export function baselines(pairs: readonly ReplyPair[]): Baseline[] {
  const rules: [string, (reply: string) => number][] = [
    ['longer reply wins', wordCount],
    ['reply with a question wins', asksQuestion],
  ];
  return rules.map(([name, rule]) => {
    const items = pairs.map((p) => ({
      context: p.context,
      outcome: outcomeOf(rule(p.better), rule(p.worse)),
    }));
    return { name, accuracy: accuracyOf(items), interval: bootstrapInterval(items) };
  });
}
