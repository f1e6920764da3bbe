// Python's repr() for JavaScript values: floats, strings, containers and exceptions
// (reprlib's clipped form: reprlib.test.ts). Every expected text is what CPython 3.13
// printed for the equivalent Python value (`repr(x)`), quoted as a comment where the
// JavaScript spelling differs.

import { describe, expect, it } from 'vitest';
import { CancelledError, RuntimeError, ValueError } from '../../src/index.js';
import { pyFloat, pyNumber, pyStrRepr, repr } from '../../src/format/py-repr.js';

/** Apply `fn` to every input and pair it with the output, so a failure shows every case. */
function table<I>(fn: (x: I) => string, inputs: readonly I[]): [I, string][] {
  return inputs.map((x) => [x, fn(x)]);
}

describe('pyFloat', () => {
  it('prints integral floats with .0 and others with the shortest round-tripping digits', () => {
    expect(table(pyFloat, [1, 0.1, 86400, 100, 123456789012345.6, 0.30000000000000004, 12345.678, -1.5, 0.001, 0.0001])).toEqual([
      [1, '1.0'], [0.1, '0.1'], [86400, '86400.0'], [100, '100.0'], [123456789012345.6, '123456789012345.6'],
      [0.30000000000000004, '0.30000000000000004'], [12345.678, '12345.678'], [-1.5, '-1.5'], [0.001, '0.001'],
      [0.0001, '0.0001'],
    ]);
  });

  it('keeps positional notation up to 16 digits', () => {
    expect(table(pyFloat, [1e15, 9999999999999998, 2 ** 53])).toEqual([
      [1e15, '1000000000000000.0'], [9999999999999998, '9999999999999998.0'], [2 ** 53, '9007199254740992.0'],
    ]);
  });

  it('switches to exponent notation below 1e-4 and from 1e16, with at least two exponent digits', () => {
    expect(table(pyFloat, [1e-5, 1.25e-5, 1.5e-7, -2.5e-10, 1e16, 1e21, 1e22, 1.5e300, 5e-324, 1.7976931348623157e308])).toEqual([
      [1e-5, '1e-05'], [1.25e-5, '1.25e-05'], [1.5e-7, '1.5e-07'], [-2.5e-10, '-2.5e-10'], [1e16, '1e+16'],
      [1e21, '1e+21'], [1e22, '1e+22'], [1.5e300, '1.5e+300'], [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
    ]);
  });

  it('prints infinities, nan and signed zeros', () => {
    expect(table(pyFloat, [Infinity, -Infinity, NaN, 0, -0])).toEqual([
      [Infinity, 'inf'], [-Infinity, '-inf'], [NaN, 'nan'], [0, '0.0'], [-0, '-0.0'],
    ]);
  });
});

describe('pyNumber', () => {
  it('prints integral numbers as Python ints and the others as floats', () => {
    // repr(86400), repr(2**64), repr(10**21), repr(1.5)
    expect(table(pyNumber, [86400, 2 ** 64, 1e21, 1.5])).toEqual([
      [86400, '86400'], [2 ** 64, '18446744073709551616'], [1e21, '1000000000000000000000'], [1.5, '1.5'],
    ]);
  });
});

describe('pyStrRepr', () => {
  it('uses single quotes unless the text holds a single quote and no double quote', () => {
    expect(table(pyStrRepr, ['abc', "it's", 'say "hi"', 'both \' and "', '', "'", '"'])).toEqual([
      ['abc', "'abc'"], ["it's", `"it's"`], ['say "hi"', `'say "hi"'`], ['both \' and "', `'both \\' and "'`],
      ['', "''"], ["'", `"'"`], ['"', `'"'`],
    ]);
  });

  it('escapes backslashes, \\n \\r \\t, and control characters as \\xNN', () => {
    expect(table(pyStrRepr, ['back\\slash', 'nl\ncr\rtab\t', '\x00\x1f\x7f\x80\x9f\xa0\xad'])).toEqual([
      ['back\\slash', "'back\\\\slash'"],
      ['nl\ncr\rtab\t', "'nl\\ncr\\rtab\\t'"],
      ['\x00\x1f\x7f\x80\x9f\xa0\xad', "'\\x00\\x1f\\x7f\\x80\\x9f\\xa0\\xad'"],
    ]);
  });

  it('escapes lone surrogates and line separators as \\uNNNN', () => {
    expect(table(pyStrRepr, ['\ud800', '\u2028\u2029'])).toEqual([
      ['\ud800', "'\\ud800'"], ['\u2028\u2029', "'\\u2028\\u2029'"],
    ]);
  });

  it('keeps printable non-ASCII characters as they are', () => {
    expect(pyStrRepr('é ü ß 中文 😀')).toBe("'é ü ß 中文 😀'");
  });

  it('escapes every other non-printable character as \\uNNNN or \\UNNNNNNNN', () => {
    // repr('\u200b'), repr('\ufeff'), repr('\u3000'), repr('\U000e0001')
    expect(table(pyStrRepr, ['\u200b', '\ufeff', '\u3000', '\u{e0001}'])).toEqual([
      ['\u200b', "'\\u200b'"], ['\ufeff', "'\\ufeff'"], ['\u3000', "'\\u3000'"], ['\u{e0001}', "'\\U000e0001'"],
    ]);
  });
});

describe('repr', () => {
  it('prints None, True and False', () => {
    expect([repr(undefined), repr(null), repr(true), repr(false)]).toEqual(['None', 'None', 'True', 'False']);
  });

  it('prints arrays as lists and plain objects and Maps as dicts, nested', () => {
    expect([
      repr([]),
      repr({}),
      repr([1, 'a', undefined, true, 2.5]),
      repr({ a: 1, 'b c': [1, 2], d: { e: undefined } }),
      repr(new Map([[1, 'x'], [2, 'y']])),
      repr([[1, [2, [3]]], { k: [] }]),
    ]).toEqual([
      '[]', '{}', "[1, 'a', None, True, 2.5]", "{'a': 1, 'b c': [1, 2], 'd': {'e': None}}", "{1: 'x', 2: 'y'}",
      "[[1, [2, [3]]], {'k': []}]",
    ]);
  });

  it('prints Sets as sets, the empty one as set()', () => {
    expect([repr(new Set([1, 2])), repr(new Set())]).toEqual(['{1, 2}', 'set()']);
  });

  it('prints big integers in full', () => {
    expect([repr(2n ** 64n), repr(10n ** 21n)]).toEqual(['18446744073709551616', '1000000000000000000000']);
  });

  it('prints an exception as its class called with its args', () => {
    expect([
      repr(new ValueError('x')),
      repr(new ValueError()),
      repr(new CancelledError('m')),
      repr(new RuntimeError('a', 1)),
      repr(new TypeError('bad')),
      repr(new ValueError("it's")),
      repr(new ValueError(undefined)),
      repr(new ValueError(42)),
    ]).toEqual([
      "ValueError('x')", 'ValueError()', "CancelledError('m')", "RuntimeError('a', 1)", "TypeError('bad')",
      `ValueError("it's")`, 'ValueError(None)', 'ValueError(42)',
    ]);
  });

  it("gives an exception Python's str() as its message", () => {
    // str(RuntimeError('a', 1)), str(ValueError(None)), str(ValueError(42))
    expect([new RuntimeError('a', 1).message, new ValueError(undefined).message, new ValueError(42).message]).toEqual([
      "('a', 1)", 'None', '42',
    ]);
  });

  it('prints a list or dict that contains itself with [...] and {...}', () => {
    // a = []; a.append(a); repr(a) == '[[...]]'; d = {}; d['k'] = d; repr(d) == "{'k': {...}}"
    const a: unknown[] = [];
    a.push(a);
    const d: Record<string, unknown> = {};
    d.k = d;
    expect([repr(a), repr(d)]).toEqual(['[[...]]', "{'k': {...}}"]);
  });
});

describe('repr of bytes', () => {
  it('prints a Uint8Array as Python prints bytes', () => {
    // b'hello\n', b"it's", b'\x00\xff\\', b'\'"'
    expect(repr(new TextEncoder().encode('hello\n'))).toBe("b'hello\\n'");
    expect(repr(new TextEncoder().encode("it's"))).toBe('b"it\'s"');
    expect(repr(new Uint8Array([0, 255, 92]))).toBe("b'\\x00\\xff\\\\'");
    expect(repr(new TextEncoder().encode('\'"'))).toBe("b'\\'\"'");
  });
});
