import { afterEach, describe, expect, it } from 'vitest';
import { _getRunningLoop, _resetThreadLoops, _setRunningLoop, getEventLoop, setEventLoop } from '../../src/events/running-loop.js';
import type { AbstractEventLoop } from '../../src/events/abstract-loop.js';
// The policy's loop factory is bound when the concrete loop loads.
import '../../src/index.js';
import { _newProcess, _resetProcessIds, _setCurrentThreadIdent, MAIN_THREAD_IDENT } from '../../src/runtime/thread-ident.js';

const fakeLoop = (name: string): AbstractEventLoop => ({ name, callSoon() {}, getDebug: () => false }) as unknown as AbstractEventLoop;

function as<T>(ident: number, fn: () => T): T {
  _setCurrentThreadIdent(ident);
  try {
    return fn();
  } finally {
    _setCurrentThreadIdent(MAIN_THREAD_IDENT);
  }
}

afterEach(() => {
  _resetThreadLoops();
  _resetProcessIds();
  _setCurrentThreadIdent(MAIN_THREAD_IDENT);
});

describe('the running loop', () => {
  it('belongs to the thread that runs it: several threads each run their own', () => {
    const a = fakeLoop('a');
    const b = fakeLoop('b');
    as(2, () => _setRunningLoop(a));
    as(3, () => _setRunningLoop(b));
    expect([as(2, _getRunningLoop), as(3, _getRunningLoop), _getRunningLoop()]).toEqual([a, b, undefined]);
    as(3, () => _setRunningLoop(undefined));
    expect([as(2, _getRunningLoop), as(3, _getRunningLoop)]).toEqual([a, undefined]);
    _resetThreadLoops();
    expect(as(2, _getRunningLoop)).toBe(undefined);
  });
});

describe('getEventLoop', () => {
  it("refuses to make a loop in a thread that is not its process's main thread, naming the process's main as MainThread", () => {
    const pid = _newProcess(5);
    expect(pid).toBe(2);
    const made = as(5, () => getEventLoop());
    expect(as(5, () => getEventLoop())).toBe(made);
    expect(() => as(6, () => getEventLoop())).toThrow(/^There is no current event loop in thread /);
    as(5, () => setEventLoop(undefined));
    (made as unknown as { close(): void }).close();
    expect(() => as(5, () => getEventLoop())).toThrow(/^There is no current event loop in thread 'MainThread'\.$/);
  });
});
