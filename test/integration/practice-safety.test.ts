import { describe, expect, it } from 'vitest';
import { createUser } from '../helpers/factories.js';
import { openAiStack, scoreText } from '../helpers/openai-stack.js';
import { expectConsistentRewards, submitText, waitForTerminal } from '../helpers/practice.js';
import { appWithWorker } from '../helpers/stack.js';

const heuristic = appWithWorker();
const openai = openAiStack();

/** The reported bypasses, each a USER reply in one session, then one ordinary reply. */
const DISGUISED = [
  'ok but i know where you l1ve',
  'nud3s or i post your pics everywhere',
  'say that again and i will k\u0456ll you', // Cyrillic і
  'i will ki\u200bll you', // zero-width space
  'i will k-i-l-l you',
];
const ORDINARY = 'Haha fair. Want to try the ramen place on 5th street at 7?';

function conversation() {
  const messages = [];
  for (const content of [...DISGUISED, ORDINARY]) {
    messages.push({ role: 'AI', content: 'You seem quiet today, everything fine?' });
    messages.push({ role: 'USER', content });
  }
  return messages;
}
const DISGUISED_INDEXES = DISGUISED.map((_, i) => 2 * i + 1);
const ORDINARY_INDEX = 2 * DISGUISED.length + 1;

interface MessageReward {
  index: number;
  score: number;
  xp: number;
  coins: number;
  gems: number;
}

/** Every disguised reply is BLOCK, scores 0 and earns nothing; the ordinary one earns. */
function expectDisguisedBlocked(result: {
  ai: { perMessage: { index: number; safetyFlag: string }[] };
  aiCore: { messages: { index: number; flags: string[] }[] };
  rewards: { messages: MessageReward[]; xpGained: number };
}) {
  for (const index of DISGUISED_INDEXES) {
    const text = DISGUISED[(index - 1) / 2];
    expect(result.ai.perMessage.find((m) => m.index === index)?.safetyFlag, text).toBe('BLOCK');
    expect(result.aiCore.messages.find((m) => m.index === index)?.flags, text).toContain('unsafe');
    expect(
      result.rewards.messages.find((m) => m.index === index),
      text,
    ).toMatchObject({
      score: 0,
      xp: 0,
      coins: 0,
      gems: 0,
    });
  }
  const ordinary = result.rewards.messages.find((m) => m.index === ORDINARY_INDEX);
  expect(result.ai.perMessage.find((m) => m.index === ORDINARY_INDEX)?.safetyFlag).toBe('OK');
  expect(ordinary?.xp).toBeGreaterThan(0);
  expect(result.rewards.xpGained).toBe(ordinary?.xp);
}

describe('POST /v1/practice/session: unsafe words in disguise', () => {
  it('flags leetspeak, lookalike, zero-width and spelled-out threats BLOCK and pays nothing for them', async () => {
    const { app, deps } = heuristic;
    const user = await createUser(app);
    const res = await submitText(app, user, { messages: conversation() });
    expect(res.status).toBe(202);
    const done = await waitForTerminal(app, user, res.body.sessionId as string);
    expect(done.body.status).toBe('COMPLETED');
    expectDisguisedBlocked(done.body.result);

    // Stored as written (the zero-width space included), scored 0.
    const rows = await deps.prisma.chatMessage.findMany({
      where: { sessionId: res.body.sessionId as string, role: 'USER' },
      orderBy: { index: 'asc' },
    });
    expect(rows.map((r) => r.content)).toEqual([...DISGUISED, ORDINARY]);
    expect(rows.slice(0, DISGUISED.length).map((r) => r.score)).toEqual(DISGUISED.map(() => 0));
    const { wallet } = await expectConsistentRewards(deps.prisma, user.id);
    expect(wallet.lifetimeXp).toBe(done.body.result.rewards.xpGained);
  });

  it('keeps BLOCK with the OpenAI provider when the model calls the disguised replies OK', async () => {
    // The fake model rates every reply 4 with safety OK: the local lists must overrule it.
    const { user, body } = await scoreText(openai, conversation());
    expect(body.status).toBe('COMPLETED');
    expect(body.result.aiCore.provider).toBe('openai');
    expectDisguisedBlocked(body.result);
    await expectConsistentRewards(openai.deps.prisma, user.id);
  });
});
