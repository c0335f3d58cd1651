import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { createTestApp, type TestApp } from './app.js';
import { createUser } from './factories.js';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai.js';
import { GOOD_CHAT, submitText, waitForTerminal } from './practice.js';
import { configuredScoring, startScoringWorker, type TestWorker } from './worker.js';

export interface OpenAiStack extends TestApp {
  fake: FakeOpenAi;
  worker: TestWorker;
}

/**
 * For a test file: a fake OpenAI endpoint on loopback, the app configured to use it
 * (`OPENAI_BASE_URL`), and a real scoring worker built by the same provider factory as
 * worker/main.ts. The fake is reset before each test. Read the fields inside tests (they exist
 * once `beforeAll` ran).
 */
export function openAiStack(env: Record<string, string> = {}): OpenAiStack {
  const stack = {} as OpenAiStack;
  beforeAll(async () => {
    const fake = await startFakeOpenAi();
    const t = createTestApp({
      SCORING_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test-fake',
      OPENAI_BASE_URL: fake.url,
      OPENAI_MAX_RETRIES: '0',
      OPENAI_TIMEOUT_MS: '2000',
      JOB_ATTEMPTS: '3',
      ...env,
    });
    const worker = startScoringWorker(t.deps.config, configuredScoring(t.deps.config));
    Object.assign(stack, t, { fake, worker });
  });
  beforeEach(() => {
    stack.fake.reset();
  });
  afterAll(async () => {
    await stack.worker.close();
    await stack.close();
    await stack.fake.close();
  });
  return stack;
}

/** Submits a text session as a new user and waits for it to finish. */
export async function scoreText(
  s: OpenAiStack,
  messages: unknown[] = GOOD_CHAT,
  extra: Record<string, unknown> = {},
) {
  const user = await createUser(s.app);
  const res = await submitText(s.app, user, { messages, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  const done = await waitForTerminal(s.app, user, res.body.sessionId as string);
  return { user, body: done.body, sessionId: res.body.sessionId as string };
}

/** How the result was produced (`aiCore.run`). */
export const runOf = (body: { result: { aiCore: { run: Record<string, unknown> } } }) =>
  body.result.aiCore.run;
