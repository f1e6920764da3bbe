// ByteBuffer: the bytearray operations StreamReader uses, with the results native
// CPython 3.13 gives for bytearray(b'abcabcX') (quoted next to the checks).

import { describe, expect, it } from 'vitest';
import { ByteBuffer } from '../../src/streams/byte-buffer.js';

const b = (s: string): Uint8Array => new TextEncoder().encode(s);

function filled(...chunks: string[]): ByteBuffer {
  const buf = new ByteBuffer();
  for (const c of chunks) buf.extend(b(c));
  return buf;
}

describe('ByteBuffer', () => {
  it('finds a separator at or after an offset as bytearray.find does', () => {
    const buf = filled('abc', 'abcX');
    // bytearray(b'abcabcX').find: (b'bc', 0) 1, (b'bc', 2) 4, (b'bc', 5) -1, (b'X', 6) 6, (b'X', 7) -1, (b'abcX', 0) 3
    expect([buf.find(b('bc'), 0), buf.find(b('bc'), 2), buf.find(b('bc'), 5), buf.find(b('X'), 6), buf.find(b('X'), 7), buf.find(b('abcX'), 0)])
      .toEqual([1, 4, -1, 6, -1, 3]);
  });

  it('answers startswith(sep, at) as bytearray.startswith does', () => {
    const buf = filled('abcabcX');
    // startswith: (b'cX', 5) True, (b'cX', 6) False, (b'X', 7) False
    expect([buf.startsWith(b('cX'), 5), buf.startsWith(b('cX'), 6), buf.startsWith(b('X'), 7)]).toEqual([true, false, false]);
  });

  it('takes and consumes from the front, and keeps its contents across compaction and growth', () => {
    const buf = filled('0123456789');
    expect(buf.take(4)).toEqual(b('0123'));
    buf.consume(2);
    expect(buf.bytes()).toEqual(b('6789'));
    buf.extend(b('abcdefghijklmnop'));
    expect(buf.length).toBe(20);
    expect(buf.find(b('ab'), 0)).toBe(4);
    expect(buf.take(100)).toEqual(b('6789abcdefghijklmnop'));
    expect(buf.length).toBe(0);
    buf.extend(b('xy'));
    buf.clear();
    expect(buf.bytes()).toEqual(b(''));
  });
});
