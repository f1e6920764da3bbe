// CPython 3.13's test_asyncio/test_futures.py, BaseFutureDoneCallbackTests
// (CFutureDoneCallbackTests, CSubFutureDoneCallbackTests and PyFutureDoneCallbackTests in
// CPython): one `it` per test method, titled after it. Module notes and shared helpers:
// ./_support.ts.

import { describe, expect, it } from 'vitest';
import { EventLoop, Future, RuntimeError } from '../../../src/index.js';
import { runBriefly } from '../_support.js';
import { loopPerTest } from './_support.js';

let loop: EventLoop;
loopPerTest((l) => (loop = l));

describe('BaseFutureDoneCallbackTests', () => {
  /** A callback that appends `thing` to `bag`. */
  const makeCallback = (bag: unknown[], thing: unknown) => function bag_appender(_future: unknown): void {
    bag.push(thing);
  };

  // test_callbacks_remove_*: callbacks cb1, cb2, cb3 (appending 42, 17, 100) are added, then
  // removed in the order `removed` names them; the result is set. Returns what ran, in order.
  function runAfterRemoving(removed: ('cb1' | 'cb2' | 'cb3')[]): unknown[] {
    const bag: unknown[] = [];
    const f = new Future<string>({ loop });
    const cbs = { cb1: makeCallback(bag, 42), cb2: makeCallback(bag, 17), cb3: makeCallback(bag, 100) };
    f.addDoneCallback(cbs.cb1);
    f.addDoneCallback(cbs.cb2);
    f.addDoneCallback(cbs.cb3);
    for (const name of removed) f.removeDoneCallback(cbs[name]);
    expect(bag).toEqual([]);
    f.setResult('foo');
    runBriefly(loop);
    expect(f.result()).toBe('foo');
    return bag;
  }

  it('test_callbacks_remove_first_callback — removed callbacks never run; the rest run in order', () => {
    expect(runAfterRemoving(['cb1', 'cb1'])).toEqual([17, 100]);
  });

  it('test_callbacks_remove_first_and_second_callback — only the third callback runs', () => {
    expect(runAfterRemoving(['cb1', 'cb2', 'cb1'])).toEqual([100]);
  });

  it('test_callbacks_remove_third_callback — the first two callbacks run', () => {
    expect(runAfterRemoving(['cb3', 'cb3'])).toEqual([42, 17]);
  });

  it('test_callbacks_invoked_on_set_result — callbacks run in registration order, on a later iteration', () => {
    const bag: unknown[] = [];
    const f = new Future<string>({ loop });
    f.addDoneCallback(makeCallback(bag, 42));
    f.addDoneCallback(makeCallback(bag, 17));
    expect(bag).toEqual([]);
    f.setResult('foo');
    expect(bag).toEqual([]);
    runBriefly(loop);
    expect(bag).toEqual([42, 17]);
    expect(f.result()).toBe('foo');
  });

  it('test_callbacks_invoked_on_set_exception — callbacks run when an exception is set', () => {
    const bag: unknown[] = [];
    const f = new Future({ loop });
    f.addDoneCallback(makeCallback(bag, 100));
    expect(bag).toEqual([]);
    const exc = new RuntimeError();
    f.setException(exc);
    runBriefly(loop);
    expect(bag).toEqual([100]);
    expect(f.exception()).toBe(exc);
  });

  it('test_remove_done_callback — removeDoneCallback removes every registration and returns the count', () => {
    const bag: unknown[] = [];
    const f = new Future<string>({ loop });
    const [cb1, cb2, cb3] = [makeCallback(bag, 1), makeCallback(bag, 2), makeCallback(bag, 3)];
    f.addDoneCallback(cb1);
    f.addDoneCallback(cb2);
    expect(f.removeDoneCallback(cb2)).toBe(1);
    expect(f.removeDoneCallback(cb3)).toBe(0);
    f.addDoneCallback(cb2);
    for (let i = 0; i < 5; i++) f.addDoneCallback(cb1);
    expect(f.removeDoneCallback(cb1)).toBe(6);
    expect(bag).toEqual([]);
    f.setResult('foo');
    runBriefly(loop);
    expect(bag).toEqual([2]);
    expect(f.result()).toBe('foo');
  });

  it('test_schedule_callbacks_list_mutation_1 — a callback removing others after completion removes nothing', () => {
    // Oracle: calls == [('mut', 0), 'rec', 'rec']: the callbacks were all scheduled at
    // set_result, so removing them then finds none and both still run.
    const calls: unknown[] = [];
    const rec = (_f: unknown): void => void calls.push('rec');
    const mut = (f: Future<number>): void => void calls.push(['mut', f.removeDoneCallback(rec)]);
    const fut = new Future<number>({ loop });
    fut.addDoneCallback(mut);
    fut.addDoneCallback(rec);
    fut.addDoneCallback(rec);
    fut.setResult(1);
    runBriefly(loop);
    expect(calls).toEqual([['mut', 0], 'rec', 'rec']);
  });
});
