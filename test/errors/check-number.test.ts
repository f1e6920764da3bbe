// checkNumber: the check every number of the simulator's own API goes through (a
// TypeError for what is not a number, a ValueError for a number out of range, both
// naming the rule and the value as Python prints it).

import { describe, expect, it } from 'vitest';
import { checkNumber, finiteNonNegative } from '../../src/errors/check-number.js';
import { ValueError } from '../../src/index.js';
import { thrown } from '../_support/capture.js';

const RULE = 'x must be a finite number of seconds >= 0';

describe('checkNumber', () => {
  it('returns a number the rule accepts', () => {
    expect(checkNumber(0, RULE, finiteNonNegative)).toBe(0);
    expect(checkNumber(2.5, RULE, finiteNonNegative)).toBe(2.5);
  });

  it('raises ValueError naming the rule and the value for NaN, infinities and numbers out of range', () => {
    for (const [value, text] of [[NaN, 'nan'], [Infinity, 'inf'], [-Infinity, '-inf'], [-1, '-1'], [-0.5, '-0.5']] as const) {
      const e = thrown(() => checkNumber(value, RULE, finiteNonNegative));
      expect(e).toBeInstanceOf(ValueError);
      expect((e as Error).message).toMatch(new RegExp(`^x must be a finite number of seconds >= 0, got ${text.replace('.', '\\.')}$`));
    }
  });

  it('raises TypeError for what is not a number: strings, booleans, None, objects', () => {
    for (const [value, text] of [['1', "'1'"], [true, 'True'], [null, 'None'], [undefined, 'None'], [[1], '[1]']] as const) {
      const e = thrown(() => checkNumber(value, RULE, finiteNonNegative));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toBe(`${RULE}, got ${text}`);
    }
  });
});
