import { describe, expect, it } from 'vitest';
import { heuristicProvider } from '../../../shared/ai/heuristic/provider.js';
import { abOptionInput, compareAb } from '../../../shared/ai/scoring/ab.js';
import type { AiCoreProvider, CoreInput, CoreResult } from '../../../shared/ai/types.js';

const prompt = 'I swim laps every morning';
const good =
  'Impressive! What gets you out of bed that early, the water itself or breakfast after?';
const bad = 'send me pics';

describe('compareAb', () => {
  it('picks the better option and reports both scores', async () => {
    const cmp = await compareAb(heuristicProvider, { prompt, optionA: good, optionB: bad });
    expect(cmp.winner).toBe('A');
    expect(cmp.scoreA).toBeGreaterThan(cmp.scoreB);
    expect(cmp.winning).toBe(cmp.a);
  });

  it('has no position bias: swapping the options swaps the winner and the scores', async () => {
    const ab = await compareAb(heuristicProvider, { prompt, optionA: good, optionB: bad });
    const ba = await compareAb(heuristicProvider, { prompt, optionA: bad, optionB: good });
    expect(ba.winner).toBe('B');
    expect([ba.scoreA, ba.scoreB]).toEqual([ab.scoreB, ab.scoreA]);
    expect(ba.winning).toEqual(ab.winning);
  });

  it('calls a tie null and keeps option A as the winning result', async () => {
    const cmp = await compareAb(heuristicProvider, { prompt, optionA: good, optionB: good });
    expect(cmp.winner).toBeNull();
    expect(cmp.scoreA).toBe(cmp.scoreB);
    expect(cmp.winning).toBe(cmp.a);
  });

  it('scores each option alone, with the prompt as the preceding AI line', async () => {
    const seen: CoreInput[] = [];
    const recording: AiCoreProvider = {
      name: 'heuristic',
      version: 'test',
      analyze(input): Promise<CoreResult> {
        seen.push(input);
        return heuristicProvider.analyze(input);
      },
    };
    await compareAb(recording, { prompt, optionA: good, optionB: bad });
    expect(seen).toEqual([
      {
        mode: 'ab',
        messages: [
          { role: 'AI', content: prompt },
          { role: 'USER', content: good },
        ],
        context: null,
      },
      {
        mode: 'ab',
        messages: [
          { role: 'AI', content: prompt },
          { role: 'USER', content: bad },
        ],
        context: null,
      },
    ]);
  });

  it('works without a prompt', () => {
    expect(abOptionInput(null, good).messages).toEqual([{ role: 'USER', content: good }]);
    expect(abOptionInput('  ', good).messages).toEqual([{ role: 'USER', content: good }]);
  });

  it('uses the AiScoring message score, so BLOCK content scores 0', async () => {
    const cmp = await compareAb(heuristicProvider, {
      prompt: 'hey',
      optionA: "I know where you live and I'll hurt you",
      optionB: 'Hey! How was your day?',
    });
    expect(cmp.scoreA).toBe(0);
    expect(cmp.winner).toBe('B');
  });
});
