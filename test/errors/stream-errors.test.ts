// IncompleteReadError and LimitOverrunError: their messages, args and attributes, as
// native CPython 3.13 prints them (values quoted next to the checks).

import { describe, expect, it } from 'vitest';
import { EOFError, IncompleteReadError, LimitOverrunError } from '../../src/index.js';
import { repr } from '../../src/format/py-repr.js';

const b = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('IncompleteReadError', () => {
  it('says how many bytes were read of how many expected; its only arg is the message', () => {
    const e = new IncompleteReadError(b('abc'), 10);
    expect(e.message).toBe('3 bytes read on a total of 10 expected bytes');
    expect(e.args).toEqual(['3 bytes read on a total of 10 expected bytes']);
    expect(e.partial).toEqual(b('abc'));
    expect(e.expected).toBe(10);
    expect(repr(new IncompleteReadError(b(''), 0))).toBe("IncompleteReadError('0 bytes read on a total of 0 expected bytes')");
  });

  it('says "undefined expected bytes" without an expected count (None), and is an EOFError', () => {
    const e = new IncompleteReadError(b('abc'), null);
    // CPython: IncompleteReadError('3 bytes read on a total of undefined expected bytes'), partial b'abc', expected None
    expect(repr(e)).toBe("IncompleteReadError('3 bytes read on a total of undefined expected bytes')");
    expect(e.expected).toBeUndefined();
    expect(e).toBeInstanceOf(EOFError);
    expect(e).toBeInstanceOf(Error);
  });
});

describe('LimitOverrunError', () => {
  it('keeps the message as its only arg and the count in consumed', () => {
    const e = new LimitOverrunError('Separator is not found, and chunk exceed the limit', 9);
    expect(repr(e)).toBe("LimitOverrunError('Separator is not found, and chunk exceed the limit')");
    expect(e.args).toEqual(['Separator is not found, and chunk exceed the limit']);
    expect(e.consumed).toBe(9);
    expect(e).toBeInstanceOf(Error);
  });
});
