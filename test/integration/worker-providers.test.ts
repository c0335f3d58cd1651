import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { freePort } from '../helpers/ports.js';
import { spawnWorkerProcess } from '../helpers/worker-process.js';
import { createUser } from '../helpers/factories.js';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';
import { submitText, waitForTerminal } from '../helpers/practice.js';

const t = createTestApp();
let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  await t.close();
  await fake.close();
});

/** worker/main.ts in its own process, on the test app's database and queue prefix. */
function startWorker(env: Record<string, string>) {
  const child = spawnWorkerProcess(t.deps.config, env, ['ignore', 'pipe', 'pipe']);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, stderr }));
  return { child, exited };
}

const openai = (extra: Record<string, string> = {}) => ({
  SCORING_PROVIDER: 'openai',
  OPENAI_API_KEY: 'sk-test-fake',
  OPENAI_BASE_URL: fake.url,
  ...extra,
});

describe('worker start with SCORING_PROVIDER=openai', () => {
  it('refuses to start without a key', async () => {
    const { exited } = startWorker({ SCORING_PROVIDER: 'openai' });
    const { code, stderr } = await exited;
    expect(code).toBe(1);
    expect(stderr).toContain('OPENAI_API_KEY: is required when SCORING_PROVIDER=openai');
  });

  it('refuses to start when the endpoint refuses the key', async () => {
    fake.queue('models', { status: 401, body: { error: { message: 'Incorrect API key' } } });
    const { exited } = startWorker(openai());
    const { code, stderr } = await exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/did not accept OPENAI_API_KEY \/ OPENAI_BASE_URL/);
  });

  it('refuses to start when the endpoint cannot be reached', async () => {
    const { exited } = startWorker(
      openai({ OPENAI_BASE_URL: `http://127.0.0.1:${await freePort()}/v1` }),
    );
    const { code, stderr } = await exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/did not accept OPENAI_API_KEY \/ OPENAI_BASE_URL/);
  });

  it('scores with the model and exports which providers run', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const { child, exited } = startWorker(openai({ WORKER_METRICS_PORT: String(port) }));
    try {
      const user = await createUser(t.app);
      const res = await submitText(t.app, user);
      const done = await waitForTerminal(t.app, user, res.body.sessionId as string);
      expect(done.body.result.aiCore.provider).toBe('openai');

      let metrics = '';
      await expect
        .poll(
          async () => {
            metrics = await fetch(`http://127.0.0.1:${port}/metrics`)
              .then((r) => r.text())
              .catch(() => '');
            return metrics.includes('scoring_provider_info');
          },
          { timeout: 10_000, interval: 100 },
        )
        .toBe(true);
      expect(metrics).toContain(
        'scoring_provider_info{scoring="openai",model="gpt-4o-mini",rubric="rubric-1",fallback="heuristic",transcription="openai",transcription_model="whisper-1"} 1',
      );
      // The worker's sweeper may also score sessions other tests left in this database.
      const calls = Number(
        /scoring_provider_calls_total\{provider="openai",stage="scoring",result="ok"\} (\d+)/.exec(
          metrics,
        )?.[1],
      );
      expect(calls).toBeGreaterThanOrEqual(1);
      expect(metrics).toContain(
        `scoring_tokens_total{model="gpt-4o-mini-2024-07-18",type="prompt"} ${String(900 * calls)}`,
      );
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});

describe('worker start with a misconfigured endpoint', () => {
  it('refuses a model the endpoint does not serve', async () => {
    const { exited } = startWorker(openai({ OPENAI_MODEL: 'gpt-4o-mimi' }));
    const { code, stderr } = await exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/OPENAI_MODEL=gpt-4o-mimi is not served/);
  });

  it('refuses a base URL without the OpenAI routes', async () => {
    const { exited } = startWorker(openai({ OPENAI_BASE_URL: fake.url.replace(/\/v1$/, '') }));
    const { code, stderr } = await exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/did not accept OPENAI_API_KEY \/ OPENAI_BASE_URL/);
  });
});
