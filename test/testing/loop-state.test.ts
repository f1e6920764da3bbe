// loopState(loop): ready callbacks, live timers in firing order and pending tasks with
// what each waits for, as plain data and as text.

import { describe, expect, it } from 'vitest';
import { createTask, EventLoop, Event, sleep, type Coro } from '../../src/index.js';
import { formatLoopState, loopState, Trace, type LoopState } from '../../src/testing/index.js';

function* worker(n: number): Coro<number> {
  yield* sleep(n);
  return n;
}

describe('loopState', () => {
  it('lists pending tasks with what each waits for, and the timers that will wake them', () => {
    const loop = new EventLoop();
    const ev = new Event();
    let seen: LoopState | undefined;
    loop.createTask((function* main(): Coro<void> {
      const a = createTask(worker(2));
      createTask(worker(1), { name: 'short' });
      createTask((function* waiter(): Coro<void> {
        yield* ev.wait();
      })());
      yield;
      seen = loopState(loop);
      yield* a;
    })());
    loop.advance(0);
    expect(seen).toEqual({
      time: 0,
      ready: [],
      timers: [
        { when: 1, callback: '_set_result_unless_cancelled(future 2, None)' },
        { when: 2, callback: '_set_result_unless_cancelled(future 1, None)' },
      ],
      tasks: [
        { name: 'main', status: 'running' },
        { name: 'worker', status: 'waiting', waitsFor: 'future 1 (timer at 2.0)' },
        { name: 'short', status: 'waiting', waitsFor: 'future 2 (timer at 1.0)' },
        { name: 'waiter', status: 'waiting', waitsFor: 'future 3' },
      ],
    });
    loop.advance(1);
    expect(formatLoopState(loopState(loop))).toBe([
      'time 1.0',
      'ready: none',
      'timers:',
      '  2.0 _set_result_unless_cancelled(future 1, None)',
      'tasks:',
      '  main: waiting for worker',
      '  worker: waiting for future 1 (timer at 2.0)',
      '  waiter: waiting for future 2',
    ].join('\n'));
    ev.set();
    loop.runUntilIdle();
    expect(formatLoopState(loopState(loop))).toBe('time 2.0\nready: none\ntimers: none\ntasks: none');
    loop.close();
  });

  it('lists ready callbacks in order, a task woken by a future as such, without cancelled ones', () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<number>();
    const task = loop.createTask((function* main(): Coro<number> {
      return yield* fut;
    })());
    loop.advance(0);
    loop.callSoon(function first(n: number) {}, 1);
    loop.callSoon(function dropped() {}).cancel();
    fut.setResult(5);
    expect(loopState(loop).ready).toEqual(['first(1)', 'wake main (future 1 done)']);
    task.cancel();
    expect(loopState(loop).tasks).toEqual([{ name: 'main', status: 'waiting', waitsFor: 'future 1', cancelling: 1 }]);
    loop.runUntilIdle();
    loop.close();
  });

  it('lists timers in the order they will fire (equal deadlines in heapq order), without cancelled ones', () => {
    const loop = new EventLoop();
    const fired: string[] = [];
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const timers = names.map((name, i) => loop.callLater(i % 2 === 0 ? 1 : 2, function fire(n: string) { fired.push(n); }, name));
    timers[3]!.cancel();
    const listed = loopState(loop).timers.map((t) => t.callback);
    loop.runUntilIdle();
    expect(listed).toEqual(fired.map((n) => `fire('${n}')`));
    expect(listed).toHaveLength(5);
    loop.close();
  });

  it('prints times without float noise', () => {
    const loop = new EventLoop();
    loop.runUntilComplete(sleep(0.1));
    loop.runUntilComplete(sleep(0.2));
    loop.createTask(worker(0.6));
    loop.advance(0);
    expect(loop.time()).toBe(0.30000000000000004);
    expect(loopState(loop).tasks).toEqual([{ name: 'worker', status: 'waiting', waitsFor: 'future 1 (timer at 0.9)' }]);
    expect(formatLoopState(loopState(loop)).split('\n').slice(0, 4)).toEqual([
      'time 0.3', 'ready: none', 'timers:', '  0.9 _set_result_unless_cancelled(future 1, None)',
    ]);
    loop.runUntilIdle();
    loop.close();
  });

  it("names things as a trace does when given the trace's labels", () => {
    const loop = new EventLoop();
    const trace = new Trace().attach(loop);
    loop.createTask(worker(1));
    loop.createTask(worker(1));
    loop.advance(0.5);
    trace.detach();
    const state = loopState(loop, { labels: trace.labels });
    expect(state.tasks.map((t) => `${t.name} ${t.waitsFor}`)).toEqual(['worker sleep future 1 (timer at 1.0)', 'worker#2 sleep future 2 (timer at 1.0)']);
    expect(String(trace)).toContain('worker#2: await sleep future 2');
    loop.runUntilIdle();
    loop.close();
  });
});
