// Python's exceptions as aiosim builds them: `e.message` is Python's str(e), computed at
// construction, and constructing one never throws, whatever its arguments do when printed.

import { describe, expect, it } from 'vitest';
import { CancelledError, repr, RuntimeError, SystemExit, ValueError } from '../../src/index.js';

class Bad {
  toString(): string {
    throw new RuntimeError('no repr');
  }
}

describe('exception messages', () => {
  it("is '<exception str() failed>' when an argument cannot be printed, as a Python traceback shows it", () => {
    // class Bad: def __repr__(self): raise RuntimeError('no repr')
    // traceback of `raise ValueError(Bad())` ends 'ValueError: <exception str() failed>'; repr(e) raises
    for (const e of [new ValueError(new Bad()), new ValueError(1, new Bad()), new CancelledError(new Bad())]) {
      expect(e.message).toBe('<exception str() failed>');
      expect(() => repr(e)).toThrow(RuntimeError);
      expect(() => repr(e)).toThrow(/^no repr$/);
    }
    expect(new ValueError('fine').message).toBe('fine');
    expect(new ValueError(1, 'a').message).toBe("(1, 'a')");
  });
});

describe('SystemExit.code', () => {
  it('is None without arguments, the argument, or all the arguments', () => {
    // SystemExit().code, SystemExit(3).code, SystemExit('bye').code, SystemExit(1, 2).code
    // -> None 3 'bye' (1, 2)
    expect([new SystemExit(), new SystemExit(3), new SystemExit('bye'), new SystemExit(1, 2)].map((e) => e.code)).toEqual([
      undefined, 3, 'bye', [1, 2],
    ]);
  });
});

describe('OSError', () => {
  it("picks the subclass Python's OSError(errno, text) picks, with its str", async () => {
    const { osError, OSError, BlockingIOError, BrokenPipeError, ConnectionRefusedError, ConnectionResetError, ConnectionAbortedError, ConnectionError, TimeoutError } =
      await import('../../src/errors/exceptions.js');
    const cases: [number, Function][] = [
      [11, BlockingIOError], [115, BlockingIOError], [32, BrokenPipeError], [111, ConnectionRefusedError],
      [104, ConnectionResetError], [103, ConnectionAbortedError], [110, TimeoutError], [98, OSError],
    ];
    for (const [errno, cls] of cases) {
      const e = osError(errno, 'text');
      expect(e.constructor).toBe(cls);
      expect(e.message).toBe(`[Errno ${errno}] text`);
      expect(e.errno).toBe(errno);
      expect(e.strerror).toBe('text');
    }
    expect(osError(104, 'x')).toBeInstanceOf(ConnectionError);
    expect(repr(osError(111, 'Connection refused'))).toBe("ConnectionRefusedError(111, 'Connection refused')");
  });
});
