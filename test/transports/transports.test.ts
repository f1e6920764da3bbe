import { describe, expect, it } from 'vitest';
import {
  BaseTransport, DatagramTransport, NotImplementedError, ReadTransport, RuntimeError, Transport, WriteTransport,
} from '../../src/index.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('BaseTransport', () => {
  it('answers getExtraInfo from its extra table, with the default for a missing name', () => {
    const t = new BaseTransport({ peername: ['127.0.0.1', 8888], empty: undefined });
    expect(t.getExtraInfo('peername')).toEqual(['127.0.0.1', 8888]);
    expect(t.getExtraInfo('sockname')).toBeUndefined();
    expect(t.getExtraInfo('sockname', 'd')).toBe('d');
    expect(t.getExtraInfo('empty', 'd')).toBeUndefined();
    expect(new BaseTransport(null).getExtraInfo('x', 1)).toBe(1);
  });

  it('raises NotImplementedError (a RuntimeError) from every abstract method', () => {
    const calls: [string, () => unknown][] = [
      ['isClosing', () => new BaseTransport().isClosing()],
      ['close', () => new BaseTransport().close()],
      ['getProtocol', () => new BaseTransport().getProtocol()],
      ['pauseReading', () => new ReadTransport().pauseReading()],
      ['write', () => new WriteTransport().write(bytes('x'))],
      ['getWriteBufferSize', () => new WriteTransport().getWriteBufferSize()],
      ['abort', () => new Transport().abort()],
      ['isReading', () => new Transport().isReading()],
      ['sendto', () => new DatagramTransport().sendto(bytes('x'))],
    ];
    for (const [, call] of calls) {
      expect(call).toThrow(NotImplementedError);
      expect(call).toThrow(RuntimeError);
    }
  });
});

describe('WriteTransport.writelines', () => {
  it('writes the concatenation of the chunks in one write()', () => {
    const written: string[] = [];
    class Recorder extends WriteTransport {
      override write(data: Uint8Array): void {
        written.push(new TextDecoder().decode(data));
      }
    }
    new Recorder().writelines([bytes('ab'), bytes(''), bytes('cd')]);
    new Recorder().writelines(new Set([bytes('one')]));
    expect(written).toEqual(['abcd', 'one']);
  });
});

describe('Transport', () => {
  it('is both a ReadTransport and a WriteTransport, as Python\'s multiple inheritance makes it', () => {
    const t = new Transport();
    expect(t).toBeInstanceOf(WriteTransport);
    expect(t).toBeInstanceOf(ReadTransport);
    expect(new ReadTransport()).toBeInstanceOf(ReadTransport);
    expect(new WriteTransport()).not.toBeInstanceOf(ReadTransport);
    expect(new DatagramTransport()).not.toBeInstanceOf(ReadTransport);
  });
});
