import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ratingsFor, startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(() => fake.close());

/** Two pairs of our own; the fake judge prefers replies that ask something back. */
const PAIRS = [
  {
    id: 'a',
    mode: 'text',
    context: 'I just got a puppy',
    better: 'What breed? Got a name yet?',
    worse: 'ok.',
    why: 'curious vs flat',
  },
  {
    id: 'b',
    mode: 'text',
    context: 'Long day at work',
    better: 'Rough one? What happened?',
    worse: 'same.',
    why: 'empathy vs flat',
  },
];

describe('npm run eval:scoring -- --provider openai', () => {
  it('runs the pairs through the endpoint and reports accuracy, tokens and latency', async () => {
    fake.judge = (req) => ({
      messages: req.messages
        .filter((m) => m.role === 'USER')
        .map((m) => ratingsFor(m, m.content.includes('?') ? 5 : 2)),
    });
    const dir = mkdtempSync(join(tmpdir(), 'sg-eval-'));
    const file = join(dir, 'pairs.jsonl');
    writeFileSync(file, PAIRS.map((p) => JSON.stringify(p)).join('\n'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'shared/ai/eval/cli.ts', file, '--provider', 'openai'],
      {
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          OPENAI_API_KEY: 'sk-test-fake',
          OPENAI_BASE_URL: fake.url,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, out).toBe(0);
    expect(out).toMatch(/provider: openai openai-rubric-1/);
    expect(out).toMatch(/1\.00/);
    expect(out).toContain('calls: 4; tokens: 3600 prompt + 1200 completion');
    expect(out).toMatch(/latency: mean [\d.]+ ms, p95 [\d.]+ ms/);
    expect(fake.of('chat')).toHaveLength(4);
  });
});
