// readuntil()'s separators: sorted by length with a stable sort (as Python's sorted with
// key=len), and the match ending first winning.

import { describe, expect, it } from 'vitest';
import { ByteBuffer } from '../../src/streams/byte-buffer.js';
import { ValueError } from '../../src/index.js';
import { findSeparator, separatorList, sortSeparators } from '../../src/streams/separators.js';
import { expectThrows } from '../cpython/_support.js';

const b = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (bs: readonly Uint8Array[]): string[] => bs.map((x) => new TextDecoder().decode(x));

describe('sortSeparators', () => {
  it('sorts by length keeping the given order among equals', () => {
    // CPython: sorted((b'ab', b'c', b'de', b'f'), key=len) == [b'c', b'f', b'ab', b'de']
    expect(text(sortSeparators([b('ab'), b('c'), b('de'), b('f')]))).toEqual(['c', 'f', 'ab', 'de']);
    expect(text(sortSeparators(b('x')))).toEqual(['x']);
  });
});

describe('findSeparator', () => {
  it('returns the [start, end) of the match that ends first', () => {
    const buf = new ByteBuffer();
    buf.extend(b('ABCDEFG'));
    // test_readuntil_multi_separator: (b'DEF', b'BCDE') matches b'ABCDE'
    expect(findSeparator(buf, sortSeparators([b('DEF'), b('BCDE')]), 0)).toEqual([1, 5]);
    expect(findSeparator(buf, [b('Z')], 0)).toBeUndefined();
    expect(findSeparator(buf, [b('A')], 1)).toBeUndefined();
  });
});

describe('separatorList', () => {
  it('takes the argument, its options form or the default, and checks it (CPython 3.13.2 messages)', () => {
    const nl = b('\n');
    expect(text(separatorList(undefined, nl))).toEqual(['\n']);
    expect(text(separatorList({ separator: [b('ab'), b('c')] }, nl))).toEqual(['c', 'ab']);
    expectThrows(() => separatorList([], nl), ValueError, /^Separator should contain at least one element$/);
    expectThrows(() => separatorList([b('a'), b('')], nl), ValueError, /^Separator should be at least one-byte string$/);
  });
});
