// percentFormat: Python's `msg % args` as logging's LogRecord.getMessage applies it.
// Every expected text is what CPython 3.13 printed for the same format and arguments.

import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/index.js';
import { percentFormat } from '../../src/format/percent-format.js';
import { thrown } from '../_support/capture.js';

describe('percentFormat', () => {
  it('formats %s %r %d %.3f and %%', () => {
    // '%s %r %d %.3f %%' % ('a', 'a', 3.7, 2/3)
    expect(percentFormat('%s %r %d %.3f %%', ['a', 'a', 3.7, 2 / 3])).toBe("a 'a' 3 0.667 %");
  });

  it('truncates %d and %i towards zero, prints %x in hex and %f with 6 decimals', () => {
    const cases: [string, unknown][] = [['%d', -3.7], ['%i', 42], ['%x', 255], ['%f', 1], ['%.3f', Infinity], ['%f', NaN], ['%d', true]];
    expect(cases.map(([fmt, arg]) => percentFormat(fmt, [arg]))).toEqual(['-3', '42', 'ff', '1.000000', 'inf', 'nan', '1']);
  });

  it("uses str() for %s and repr() for %r", () => {
    // '%s' % None, '%s' % ValueError('boom'), '%s' % [1, 'a'], '%r' % None, '%r' % 'x'
    expect([
      percentFormat('%s', [undefined]),
      percentFormat('%s', [new ValueError('boom')]),
      percentFormat('%s', [[1, 'a']]),
      percentFormat('%r', [undefined]),
      percentFormat('%r', ['x']),
    ]).toEqual(['None', 'boom', "[1, 'a']", 'None', "'x'"]);
  });

  it('rounds %f half-way cases to even on the exact binary value', () => {
    // '%.1f' % 0.25, '%.2f' % 0.125, '%.3f' % 0.0625, '%.0f' % 2.5, '%.2f' % 2.675
    const cases: [string, number][] = [['%.1f', 0.25], ['%.2f', 0.125], ['%.3f', 0.0625], ['%.0f', 2.5], ['%.2f', 2.675]];
    expect(cases.map(([fmt, arg]) => percentFormat(fmt, [arg]))).toEqual(['0.2', '0.12', '0.062', '2', '2.67']);
  });

  it('keeps the sign of -0.0 and never switches %f to exponent notation', () => {
    // '%.3f' % -0.0, '%.3f' % 1e21
    expect([percentFormat('%.3f', [-0]), percentFormat('%.3f', [1e21])]).toEqual(['-0.000', '1000000000000000000000.000']);
  });

  it('leaves a message without arguments untouched, as logging does', () => {
    // logging.LogRecord('n', 10, 'p', 1, '100%%', (), None).getMessage() == '100%%'
    expect(percentFormat('100%%', [])).toBe('100%%');
  });

  it('raises TypeError when arguments are missing', () => {
    const e = thrown(() => percentFormat('%s %s', ['a']));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/^not enough arguments for format string$/);
  });

  it('raises TypeError when arguments are left over', () => {
    // '%s' % ('a', 'b')
    const e = thrown(() => percentFormat('%s', ['a', 'b']));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/^not all arguments converted during string formatting$/);
  });
});
