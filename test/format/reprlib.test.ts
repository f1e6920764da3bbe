// reprlib.repr: Python's repr clipped to reprlib's limits, as asyncio prints results and
// callback arguments. Every expected text is what CPython 3.13 printed for the equivalent
// Python value (`reprlib.repr(x)`), quoted as a comment where the JavaScript spelling
// differs.

import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/index.js';
import { Repr, reprlibRepr } from '../../src/format/reprlib.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Apply `fn` to every input and pair it with the output, so a failure shows every case. */
function table<I>(fn: (x: I) => string, inputs: readonly I[]): [I, string][] {
  return inputs.map((x) => [x, fn(x)]);
}

class Bad {
  toString(): string {
    throw new Error('no repr');
  }
}

describe('reprlibRepr', () => {
  it('clips strings longer than 30 characters around ...', () => {
    expect(table(reprlibRepr, ['x'.repeat(100), 'x'.repeat(30), 'x'.repeat(29), 'x'.repeat(28), "it's".repeat(10)])).toEqual([
      ['x'.repeat(100), "'xxxxxxxxxxxx...xxxxxxxxxxxxx'"],
      ['x'.repeat(30), "'xxxxxxxxxxxx...xxxxxxxxxxxxx'"],
      ['x'.repeat(29), "'xxxxxxxxxxxx...xxxxxxxxxxxxx'"],
      ['x'.repeat(28), `'${'x'.repeat(28)}'`],
      ["it's".repeat(10), `"it'sit'sit's...sit'sit'sit's"`],
    ]);
  });

  it('counts characters, not UTF-16 code units, when clipping', () => {
    // reprlib.repr('😀' * 40)
    expect(reprlibRepr('😀'.repeat(40))).toBe(`'${'😀'.repeat(12)}...${'😀'.repeat(13)}'`);
  });

  it('shows at most 6 list items', () => {
    expect([reprlibRepr(range(100)), reprlibRepr(range(6)), reprlibRepr(range(7)), reprlibRepr(['x'.repeat(100), 1])]).toEqual([
      '[0, 1, 2, 3, 4, 5, ...]', '[0, 1, 2, 3, 4, 5]', '[0, 1, 2, 3, 4, 5, ...]', "['xxxxxxxxxxxx...xxxxxxxxxxxxx', 1]",
    ]);
  });

  it('shows at most 4 dict entries, sorted by key', () => {
    expect([reprlibRepr({ b: 1, a: 2 }), reprlibRepr({ e: 5, d: 4, c: 3, b: 2, a: 1 }), reprlibRepr({})]).toEqual([
      "{'a': 2, 'b': 1}", "{'a': 1, 'b': 2, 'c': 3, 'd': 4, ...}", '{}',
    ]);
  });

  it('sorts the keys of a Map too', () => {
    // reprlib.repr({2: 'x', 1: 'y'})
    expect(reprlibRepr(new Map([[2, 'x'], [1, 'y']]))).toBe("{1: 'y', 2: 'x'}");
  });

  it('shows at most 6 set items, sorted', () => {
    // reprlib.repr({3, 1, 2}), reprlib.repr(set(range(10))), reprlib.repr(set())
    expect([reprlibRepr(new Set([3, 1, 2])), reprlibRepr(new Set(range(10))), reprlibRepr(new Set())]).toEqual([
      '{1, 2, 3}', '{0, 1, 2, 3, 4, 5, ...}', 'set()',
    ]);
  });

  it('replaces what lies deeper than 6 levels with ...', () => {
    const selfList: unknown[] = [];
    selfList.push(selfList);
    expect([
      reprlibRepr([[[[[[[1]]]]]]]),
      reprlibRepr([[[[[[1]]]]]]),
      reprlibRepr([[[[[[]]]]]]),
      reprlibRepr({ a: { b: { c: { d: { e: { f: { g: 1 } } } } } } }),
      reprlibRepr(selfList),
    ]).toEqual([
      '[[[[[[[...]]]]]]]', '[[[[[[1]]]]]]', '[[[[[[]]]]]]', "{'a': {'b': {'c': {'d': {'e': {'f': {...}}}}}}}", '[[[[[[[...]]]]]]]',
    ]);
  });

  it('clips integers longer than 40 characters', () => {
    // reprlib.repr(10**50), reprlib.repr(-10**50), reprlib.repr(10**39), reprlib.repr(10**40)
    expect([reprlibRepr(10n ** 50n), reprlibRepr(-(10n ** 50n)), reprlibRepr(10n ** 39n), reprlibRepr(10n ** 40n)]).toEqual([
      '100000000000000000...0000000000000000000',
      '-10000000000000000...0000000000000000000',
      `1${'0'.repeat(39)}`,
      '100000000000000000...0000000000000000000',
    ]);
  });

  it('clips the repr of any other object to 30 characters', () => {
    expect([reprlibRepr(new ValueError('a'.repeat(50))), reprlibRepr(undefined), reprlibRepr(true), reprlibRepr(1.5), reprlibRepr([])]).toEqual([
      "ValueError('a...aaaaaaaaaaaa')", 'None', 'True', '1.5', '[]',
    ]);
  });
});

describe('reprlibRepr of hostile and huge values', () => {
  it('makes up <Class instance at 0x…> for a value whose repr throws, as repr_instance does', () => {
    // class Bad: def __repr__(self): raise ValueError('no repr')
    // reprlib.repr(Bad()), reprlib.repr([Bad(), 1]), reprlib.repr({1: Bad()})
    expect(reprlibRepr(new Bad())).toMatch(/^<Bad instance at 0x[0-9a-f]+>$/);
    expect(reprlibRepr([new Bad(), 1])).toMatch(/^\[<Bad instance at 0x[0-9a-f]+>, 1\]$/);
    expect(reprlibRepr(new Map([[1, new Bad()]]))).toMatch(/^\{1: <Bad instance at 0x[0-9a-f]+>\}$/);
    const getter = { get boom(): number { throw new Error('getter'); } };
    expect(reprlibRepr(getter)).toMatch(/^<Object instance at 0x[0-9a-f]+>$/);
    expect(reprlibRepr([getter])).toMatch(/^\[<Object instance at 0x[0-9a-f]+>\]$/);
  });

  it('prints a huge list, set, dict or string in a few dozen characters', () => {
    // reprlib.repr(list(range(10**6))), set(range(10**5)), {i: i for i in range(10**5)}, 'x' * 10**6,
    // ValueError('x' * 10**6)
    expect(reprlibRepr(range(1e6))).toBe('[0, 1, 2, 3, 4, 5, ...]');
    expect(reprlibRepr(new Set(range(1e5)))).toBe('{0, 1, 2, 3, 4, 5, ...}');
    expect(reprlibRepr(new Map(range(1e5).map((i) => [i, i])))).toBe('{0: 0, 1: 1, 2: 2, 3: 3, ...}');
    expect(reprlibRepr('x'.repeat(1e6))).toBe("'xxxxxxxxxxxx...xxxxxxxxxxxxx'");
    expect(reprlibRepr(new ValueError('x'.repeat(1e6)))).toBe("ValueError('x...xxxxxxxxxxxx')");
    expect(reprlibRepr([range(7), { k: 'v'.repeat(40) }])).toBe("[[0, 1, 2, 3, 4, 5, ...], {'k': 'vvvvvvvvvvvv...vvvvvvvvvvvvv'}]");
  });

  it('clips long strings of astral characters and escapes as the whole string would be clipped', () => {
    // reprlib.repr('ab' + '\U0001F600' * 100 + 'cd'), reprlib.repr('\n' * 200),
    // reprlib.repr('\x00' * 10), reprlib.repr('\x00' * 5)
    expect(table(reprlibRepr, [`ab${'😀'.repeat(100)}cd`, '\n'.repeat(200), '\x00'.repeat(10), '\x00'.repeat(5)])).toEqual([
      [`ab${'😀'.repeat(100)}cd`, `'ab${'😀'.repeat(10)}...${'😀'.repeat(11)}cd'`],
      ['\n'.repeat(200), `'${'\\n'.repeat(6)}...n${'\\n'.repeat(6)}'`],
      ['\x00'.repeat(10), "'\\x00\\x00\\x00...0\\x00\\x00\\x00'"],
      ['\x00'.repeat(5), `'${'\\x00'.repeat(5)}'`],
    ]);
  });

  it('lets a subclass show the values it does not take apart in its own way', () => {
    class Named extends Repr {
      override reprInstance(x: unknown, level: number): string {
        return x instanceof Bad ? 'a bad one' : super.reprInstance(x, level);
      }
    }
    expect(new Named().repr([new Bad(), 'x'.repeat(40), 1.5])).toBe("[a bad one, 'xxxxxxxxxxxx...xxxxxxxxxxxxx', 1.5]");
  });
});
