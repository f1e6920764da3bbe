import { beforeEach, describe, expect, it } from 'vitest';
import {
  _endProcess, _joinProcess, _leaveProcess, _newProcess, _processMainIdent, _resetProcessIds, _setCurrentThreadIdent, _threadProcessId,
  getIdent, getProcessId, MAIN_PID, MAIN_THREAD_IDENT, ProcessCounter,
} from '../../src/runtime/thread-ident.js';

beforeEach(() => {
  _resetProcessIds();
  _setCurrentThreadIdent(MAIN_THREAD_IDENT);
});

// Run `fn` as the thread `ident`.
function as<T>(ident: number, fn: () => T): T {
  const previous = getIdent();
  _setCurrentThreadIdent(ident);
  try {
    return fn();
  } finally {
    _setCurrentThreadIdent(previous);
  }
}

describe('processes', () => {
  it('put every thread in the main process until a process is made', () => {
    expect([_threadProcessId(), _threadProcessId(42), getProcessId(), _processMainIdent()]).toEqual([MAIN_PID, MAIN_PID, 1, MAIN_THREAD_IDENT]);
  });

  it('give a new process its pid and main thread, and the threads that join it', () => {
    const pid = _newProcess(10);
    expect(pid).toBe(2);
    _joinProcess(11, pid);
    expect(as(10, () => [getProcessId(), _processMainIdent()])).toEqual([2, 10]);
    expect(as(11, () => [getProcessId(), _processMainIdent()])).toEqual([2, 10]);
    expect(as(12, () => [getProcessId(), _processMainIdent()])).toEqual([1, MAIN_THREAD_IDENT]);
    _leaveProcess(11);
    expect(_threadProcessId(11)).toBe(MAIN_PID);
    _endProcess(pid);
    expect(_threadProcessId(10)).toBe(MAIN_PID);
    expect(_newProcess(20)).toBe(3);
  });
});

describe('ProcessCounter', () => {
  it('counts in each process apart, and forgets a process that ended', () => {
    const counter = new ProcessCounter();
    const pid = _newProcess(10);
    expect([counter.next(), counter.next()]).toEqual([1, 2]);
    expect(as(10, () => [counter.next(), counter.next()])).toEqual([1, 2]);
    expect(counter.next()).toBe(3);
    _endProcess(pid);
    const again = _newProcess(10);
    expect(as(10, () => counter.next())).toBe(1);
    counter.reset();
    expect([counter.next(), as(10, () => counter.next())]).toEqual([1, 2]);
    // A reset forgets every process: thread 10 is the main process's again.
    _resetProcessIds();
    expect(again).toBe(3);
    expect(as(10, () => counter.next())).toBe(2);
  });
});
