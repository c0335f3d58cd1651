import { describe, expect, it } from 'vitest';
import { withheldMessages } from '../../../shared/fair-play/index.js';

const msg = (index: number, text: string | null, flags: string[] = []) => ({ index, text, flags });

describe('withheldMessages', () => {
  it('withholds low-effort messages', () => {
    expect(
      withheldMessages([msg(0, 'k', ['low-effort']), msg(1, 'What got you into it?')]),
    ).toEqual(new Map([[0, 'LOW_EFFORT']]));
  });

  it('withholds a message repeating an earlier one of the session, however it is written', () => {
    const result = withheldMessages([
      msg(1, 'Where did you learn to cook?'),
      msg(3, 'Something else entirely'),
      msg(5, 'where did you LEARN to cook'),
      msg(7, 'Where did you learn to cook?!'),
    ]);
    expect(result).toEqual(
      new Map([
        [5, 'REPEATED_MESSAGE'],
        [7, 'REPEATED_MESSAGE'],
      ]),
    );
  });

  it('pays the first of two equal messages and names low effort first when both hold', () => {
    const result = withheldMessages([msg(0, 'ok', ['low-effort']), msg(1, 'OK!', ['low-effort'])]);
    expect(result).toEqual(
      new Map([
        [0, 'LOW_EFFORT'],
        [1, 'LOW_EFFORT'],
      ]),
    );
  });

  it('applies only the low-effort rule when the text is unknown', () => {
    expect(withheldMessages([msg(0, null), msg(1, null), msg(2, null, ['low-effort'])])).toEqual(
      new Map([[2, 'LOW_EFFORT']]),
    );
  });
});
