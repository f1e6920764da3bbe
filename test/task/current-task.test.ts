// currentTask() and allTasks(): which task is running on a loop, and which tasks of
// a loop are not done yet. Every expectation is CPython 3.13.2's output for the
// equivalent Python program (default task names given relative to the main task).

import { describe, expect, it } from 'vitest';
import { allTasks, createTask, currentTask, EventLoop, RuntimeError, type Coro, type Future, type Task } from '../../src/index.js';
import { relName, runScenario, taskNumber, type Scene } from '../_support/scenario.js';

function* quick(): Coro<number> {
  return 1;
}

function* hang(fut: Future<unknown>): Coro<void> {
  yield* fut;
}

describe('currentTask', () => {
  it('follows the running step across interleaving tasks and is undefined in plain callbacks', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const base = taskNumber(currentTask() as Task<unknown>);
      const name = (): string => relName(currentTask(), base);
      function* worker(n: string, fut: Future<unknown>): Coro<void> {
        const me = currentTask();
        log(`${n} step 1 current=${name()} is_me=${currentTask() === me ? 'True' : 'False'}`);
        yield;
        log(`${n} step 2 current=${name()}`);
        yield* fut;
        log(`${n} step 3 current=${name()}`);
      }
      const fut = loop.createFuture();
      const cb = (): void => log(`callback current=${name()}`);
      loop.callSoon(cb);
      const a = createTask(worker('a', fut), { name: 'A' });
      const b = createTask(worker('b', fut), { name: 'B' });
      log(`main current=${name()}`);
      loop.callLater(1, cb);
      loop.callLater(1, () => fut.setResult(undefined));
      yield* a;
      log(`main after a current=${name()}`);
      yield* b;
      log(`explicit loop: ${relName(currentTask(loop), base)}`);
    });
    expect(trace).toEqual([
      [0, 'main current=Task+0'], [0, 'callback current=None'], [0, 'a step 1 current=A is_me=True'],
      [0, 'b step 1 current=B is_me=True'], [0, 'a step 2 current=A'], [0, 'b step 2 current=B'],
      [1, 'callback current=None'], [1, 'a step 3 current=A'], [1, 'b step 3 current=B'],
      [1, 'main after a current=Task+0'], [1, 'explicit loop: Task+0'], ['return', 'None'],
    ]);
  });

  it("throws RuntimeError 'no running event loop' outside a loop, and is undefined for a loop that is not running", () => {
    expect(() => currentTask()).toThrow(RuntimeError);
    expect(() => currentTask()).toThrow(/^no running event loop$/);
    const loop = new EventLoop();
    expect(currentTask(loop)).toBeUndefined();
    loop.close();
  });

  it('is undefined again once runUntilComplete has returned', () => {
    const loop = new EventLoop();
    let inside: unknown;
    function* main(): Coro<void> {
      inside = currentTask();
    }
    const t = loop.createTask(main());
    loop.runUntilComplete(t);
    expect(inside).toBe(t);
    expect(currentTask(loop)).toBeUndefined();
    loop.close();
  });
});

describe('allTasks', () => {
  it('holds the not-done tasks of the given loop (default: the running one) only', () => {
    const other = new EventLoop();
    let otherTask: Future<number> | undefined;
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<string> {
      const base = taskNumber(currentTask() as Task<unknown>);
      const names = (l?: EventLoop): string => JSON.stringify([...allTasks(l)].map((t) => relName(t, base)).sort());
      const fut = loop.createFuture();
      const done = createTask(quick(), { name: 'done' });
      const pending = createTask(hang(fut), { name: 'pending' });
      log(names());
      yield* done;
      log(names());
      otherTask = other.createTask(quick(), { name: 'other' });
      log(names());
      log(names(other));
      fut.setResult(undefined);
      yield* pending;
      log(names());
      return 'x';
    });
    expect(trace).toEqual([
      [0, '["Task+0","done","pending"]'], [0, '["Task+0","pending"]'], [0, '["Task+0","pending"]'],
      [0, '["other"]'], [0, '["Task+0"]'], ['return', "'x'"],
    ]);
    expect(other.runUntilComplete(otherTask!)).toBe(1);
    expect(allTasks(other).size).toBe(0);
    other.close();
  });

  it("throws RuntimeError 'no running event loop' without a loop outside a loop", () => {
    expect(() => allTasks()).toThrow(RuntimeError);
    expect(() => allTasks()).toThrow(/^no running event loop$/);
  });
});
