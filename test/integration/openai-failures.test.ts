import { describe, expect, it } from 'vitest';
import { completion } from '../helpers/fake-openai.js';
import { openAiStack, runOf, scoreText as scoreTextOn } from '../helpers/openai-stack.js';
import { configuredScoring, startScoringWorker } from '../helpers/worker.js';
import { expectConsistentRewards } from '../helpers/practice.js';

const s = openAiStack();

const scoreText = (messages?: unknown[], extra?: Record<string, unknown>) =>
  scoreTextOn(s, messages, extra);
const run = runOf;

describe('OpenAI failures', () => {
  it('waits out a 429 with retry-after in every worker, without using an attempt', async () => {
    // A second worker process on the same queue must not pick the job up during the pause.
    const second = startScoringWorker(s.deps.config, configuredScoring(s.deps.config));
    try {
      s.fake.queue('chat', {
        status: 429,
        headers: { 'retry-after': '2' },
        body: { error: { message: 'Rate limit reached', type: 'requests' } },
      });
      const { body, sessionId } = await scoreText();
      expect(body.result.aiCore.provider).toBe('openai');
      expect(run(body).fallbackReason).toBeNull();
      const calls = s.fake.of('chat');
      expect(calls).toHaveLength(2);
      expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(1900);
      const job = await s.deps.scoringQueue.getJob(`score-${sessionId}`);
      // Started twice, but only the successful run counts as an attempt (a failure would make it 2).
      expect(job?.attemptsStarted).toBe(2);
      expect(job?.attemptsMade).toBe(1);
      expect(job?.stacktrace).toEqual([]);
      // The paused start did not count as a claim of the session either.
      const row = await s.deps.prisma.practiceSession.findUniqueOrThrow({
        where: { id: sessionId },
      });
      expect(row.attempts).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('falls back at once when the quota is exhausted (a 429 no wait fixes)', async () => {
    s.fake.queue('chat', {
      status: 429,
      body: { error: { message: 'You exceeded your current quota', code: 'insufficient_quota' } },
    });
    const { body } = await scoreText();
    expect(run(body).fallbackReason).toBe('quota');
    expect(s.fake.of('chat')).toHaveLength(1);
  });

  it('falls back to the heuristic when the output violates the schema on every attempt', async () => {
    const broken = { status: 200, body: completion('{"messages": [{"index": "zero"}]}') };
    s.fake.queue('chat', broken, broken, broken);
    const { user, body } = await scoreText();
    expect(body.status).toBe('COMPLETED');
    expect(body.result.aiCore.provider).toBe('heuristic');
    expect(run(body)).toMatchObject({
      requestedProvider: 'openai',
      fallbackReason: 'invalid_output',
    });
    expect(s.fake.of('chat')).toHaveLength(3);
    await expectConsistentRewards(s.deps.prisma, user.id);
  });

  it('treats missing message indexes as an invalid answer', async () => {
    s.fake.judge = () => ({ messages: [] });
    const { body } = await scoreText();
    expect(run(body).fallbackReason).toBe('invalid_output');
  });

  it('falls back after refusals', async () => {
    const refusal = {
      status: 200,
      body: {
        ...completion(''),
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: null, refusal: 'I cannot help with that.' },
            finish_reason: 'stop',
            logprobs: null,
          },
        ],
      },
    };
    s.fake.queue('chat', refusal, refusal, refusal);
    const { body } = await scoreText();
    expect(run(body).fallbackReason).toBe('refusal');
  });

  it('falls back after a truncated answer', async () => {
    const cut = { status: 200, body: completion('{"messages": [', { finish_reason: 'length' }) };
    s.fake.queue('chat', cut, cut, cut);
    const { body } = await scoreText();
    expect(run(body).fallbackReason).toBe('truncated');
  });

  it('retries 500s, then scores with the heuristic and says why', async () => {
    const down = { status: 500, body: { error: { message: 'boom' } } };
    s.fake.queue('chat', down, down, down);
    const { user, body } = await scoreText();
    expect(body.result.aiCore.provider).toBe('heuristic');
    expect(run(body).fallbackReason).toBe('server');
    expect(s.fake.of('chat')).toHaveLength(3);
    const ledger = await s.deps.prisma.walletLedgerEntry.count({ where: { userId: user.id } });
    expect(ledger).toBe(1);
    await expectConsistentRewards(s.deps.prisma, user.id);
  });

  it('recovers when a later attempt succeeds', async () => {
    s.fake.queue('chat', { status: 503, body: { error: { message: 'busy' } } });
    const { body } = await scoreText();
    expect(body.result.aiCore.provider).toBe('openai');
    expect(s.fake.of('chat')).toHaveLength(2);
  });

  it('times out a hanging answer and falls back', async () => {
    s.fake.queue('chat', { hang: true }, { hang: true }, { hang: true });
    const { body } = await scoreText();
    expect(run(body).fallbackReason).toBe('timeout');
  });

  it('falls back at once when the key is refused (no retry can fix it)', async () => {
    s.fake.queue('chat', { status: 401, body: { error: { message: 'Incorrect API key' } } });
    const { body } = await scoreText();
    expect(run(body).fallbackReason).toBe('auth');
    expect(s.fake.of('chat')).toHaveLength(1);
  });
});
