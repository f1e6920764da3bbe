// aiosim's own coroutines (sleep, waitFor, Queue.get, Lock.acquire, TaskGroup's aenter, …)
// are tracked as coroutine(fn) ones are: one dropped without yield* is reported at the
// next collection point as "coroutine '<asyncio qualname>' was never awaited", in
// creation order, and one that a task, yield*, await, a context manager or a hand-driven
// next() started, or that was closed, is not. Every expectation is what the quoted
// Python program printed on CPython 3.13.2 (the oracle), with gc.collect() where aiosim
// has its collection point and warnings.simplefilter('always') unless said otherwise.

import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  asCompleted, asyncWith, Barrier, Condition, coroutine, createTask, eagerTaskFactory, ensureFuture, Event, EventLoop, gather, gcCollect,
  getRunningLoop, Lock, Queue, repr, run, Semaphore, sleep, TaskGroup, timeout, toThread, wait, waitFor, warnings, type Coro,
} from '../../src/index.js';
import { _restoreDefaultFilters } from '../../src/log/warnings.js';
import { normaliseSites } from '../_support/capture.js';

afterEach(() => {
  warnings.catchWarnings({ record: true }, () => gcCollect());
  _restoreDefaultFilters();
});

/** The warnings shown while `fn` runs, as 'file:line: Category: text' (every one, unless `filter` is false). */
function shown(fn: () => void, filter = true): string[] {
  const out: string[] = [];
  warnings.catchWarnings({}, () => {
    if (filter) warnings.simplefilter('always');
    warnings.showwarning = (m, c, file, line) => out.push(`${file}:${line}: ${c.name}: ${String(m)}`);
    fn();
  });
  return out;
}

/** Only the texts of the warnings shown. */
function texts(fn: () => void): string[] {
  return shown(fn).map((w) => w.replace(/^.*?: RuntimeWarning: /, ''));
}

const never = (name: string): string => `coroutine '${name}' was never awaited`;

describe('aiosim coroutine functions', () => {
  it("report each coroutine dropped without yield* under asyncio's qualified name, in creation order", () => {
    // async def main():
    //     q, lock, ev, cond, sem, bar = Queue(), Lock(), Event(), Condition(), Semaphore(), Barrier(1)
    //     asyncio.sleep(1); q.get(); q.put(1); lock.acquire(); ev.wait(); cond.wait(); sem.acquire()
    //     bar.wait(); bar.reset(); bar.abort(); asyncio.wait([])
    //     tg = TaskGroup(); tg.__aenter__(); tg.__aexit__(None, None, None)
    //     t = asyncio.timeout(1); t.__aenter__(); t.__aexit__(None, None, None)
    //     lock.__aenter__(); lock.__aexit__(None, None, None); bar.__aenter__(); q.join()
    //     cond.wait_for(lambda: True); asyncio.to_thread(print); next(asyncio.as_completed([f]))
    //     loop.shutdown_asyncgens(); loop.shutdown_default_executor(); print('main ends')
    const main = function* main(): Coro<void> {
      const q = new Queue();
      const lock = new Lock();
      const ev = new Event();
      const cond = new Condition();
      const sem = new Semaphore();
      const bar = new Barrier(1);
      sleep(1);
      q.get();
      q.put(1);
      lock.acquire();
      ev.wait();
      cond.wait();
      sem.acquire();
      bar.wait();
      bar.reset();
      bar.abort();
      wait([]);
      const tg = new TaskGroup();
      tg.aenter();
      tg.aexit();
      const t = timeout(1);
      t.aenter();
      t.aexit();
      lock.aenter();
      lock.aexit();
      bar.aenter();
      q.join();
      cond.waitFor(() => true);
      toThread(() => undefined);
      const f = getRunningLoop().createFuture();
      asCompleted([f]).next();
      f.setResult(undefined);
      const loop = getRunningLoop() as EventLoop;
      loop.shutdownAsyncgens();
      loop.shutdownDefaultExecutor();
      said.push('main ends');
    };
    const said: string[] = [];
    const warned = texts(() => run(main()));
    expect(said).toEqual(['main ends']);
    expect(warned).toEqual([
      'sleep', 'Queue.get', 'Queue.put', 'Lock.acquire', 'Event.wait', 'Condition.wait', 'Semaphore.acquire', 'Barrier.wait',
      'Barrier.reset', 'Barrier.abort', 'wait', 'TaskGroup.__aenter__', 'TaskGroup.__aexit__', 'Timeout.__aenter__',
      'Timeout.__aexit__', '_ContextManagerMixin.__aenter__', '_ContextManagerMixin.__aexit__', 'Barrier.__aenter__',
      'Queue.join', 'Condition.wait_for', 'to_thread', '_AsCompletedIterator._wait_for_one',
      'BaseEventLoop.shutdown_asyncgens', 'BaseEventLoop.shutdown_default_executor',
    ].map(never));
  });

  it('report Condition.acquire as Lock.acquire and BoundedSemaphore.acquire as Semaphore.acquire, as Python names them', () => {
    // c = asyncio.Condition(); c.acquire(); asyncio.BoundedSemaphore().acquire(); asyncio.PriorityQueue().get()
    const warned = texts(() =>
      run((function* main(): Coro<void> {
        new Condition().acquire();
        new Semaphore().acquire();
        new (class extends Queue {})().get();
      })()),
    );
    expect(warned).toEqual([never('Lock.acquire'), never('Semaphore.acquire'), never('Queue.get')]);
  });

  it('report a coroutine held as an argument by another right after it, as CPython frees the holder first', () => {
    // async def main():
    //     asyncio.wait_for(asyncio.sleep(1), 1)      # → wait_for, sleep
    //     q = asyncio.Queue(); c = asyncio.sleep(2); w = asyncio.wait_for(c, 1); d = q.get()
    //     → at main's end: wait_for, sleep, Queue.get
    const warned = texts(() =>
      run((function* main(): Coro<void> {
        waitFor(sleep(1), 1);
        const q = new Queue();
        const c = sleep(2);
        waitFor(c, 1);
        q.get();
      })()),
    );
    expect(warned).toEqual([never('wait_for'), never('sleep'), never('wait_for'), never('sleep'), never('Queue.get')]);
  });

  it('report nothing for coroutines awaited, scheduled, gathered, entered, closed, cancelled before they start or driven by hand', () => {
    // async def main():
    //     await asyncio.sleep(0); await q.put(1); print(await asyncio.create_task(q.get()))
    //     print(await asyncio.gather(asyncio.sleep(0, 'g'), asyncio.ensure_future(asyncio.sleep(0, 'e'))))
    //     async with lock: pass
    //     asyncio.sleep(1).close()
    //     t2 = asyncio.create_task(asyncio.sleep(5)); t2.cancel(); await t2 → CancelledError
    //     c = q.join(); c.send(None)                 # suspends: started
    //     loop.set_task_factory(asyncio.eager_task_factory)
    //     print(await asyncio.create_task(asyncio.sleep(0, 'eager'))); print('main ends')
    // → 1 / ['g', 'e'] / eager / main ends, and no warning
    const said: unknown[] = [];
    const warned = texts(() =>
      run((function* main(): Coro<void> {
        const q = new Queue<number>();
        const lock = new Lock();
        yield* sleep(0);
        yield* q.put(1);
        said.push(yield* createTask(q.get()));
        said.push(yield* gather(sleep(0, 'g'), ensureFuture(sleep(0, 'e'))));
        yield* asyncWith(lock, function* () {});
        sleep(1).return(undefined);
        const t2 = createTask(sleep(5));
        t2.cancel();
        try {
          yield* t2;
        } catch {
          said.push('cancelled before it started');
        }
        q.join().next();
        (getRunningLoop() as EventLoop).setTaskFactory(eagerTaskFactory);
        said.push(yield* createTask(sleep(0, 'eager')));
        said.push('main ends');
      })()),
    );
    expect(said).toEqual([1, ['g', 'e'], 'cancelled before it started', 'eager', 'main ends']);
    expect(warned).toEqual([]);
  });

  it('report the coroutine of a task that never ran after the task, at loop.close()', () => {
    // loop = asyncio.new_event_loop(); t = loop.create_task(asyncio.sleep(1)); loop.close(); del t; gc.collect()
    // → "Task was destroyed but it is pending!", then "coroutine 'sleep' was never awaited"
    const events: string[] = [];
    const loop = new EventLoop();
    loop.setExceptionHandler((_l, ctx) => events.push(String(ctx.message)));
    loop.createTask(sleep(1));
    events.push(...texts(() => loop.close()));
    expect(events).toEqual(['Task was destroyed but it is pending!', never('sleep')]);
  });

  it('leave the coroutine of a task that has not run yet alone at gcCollect(): the task will run it', () => {
    // async def main():
    //     t = asyncio.create_task(asyncio.sleep(0, 'ran')); u = asyncio.create_task(q.get())
    //     gc.collect(); print(await t); u.cancel()
    // → ran, and no warning
    const said: unknown[] = [];
    const one = coroutine(function* one(): Coro<string> {
      return 'one';
    });
    const warned = texts(() =>
      run((function* main(): Coro<void> {
        const t = createTask(sleep(0, 'ran'));
        const u = createTask(new Queue().get());
        const v = createTask(one());
        gcCollect();
        said.push(yield* t, yield* v);
        u.cancel();
      })()),
    );
    expect(said).toEqual(['ran', 'one']);
    expect(warned).toEqual([]);
  });

  it('name the coroutine in reprs as Python does', () => {
    // t = asyncio.create_task(q.get()); print(repr(t)); print(repr(asyncio.sleep(1)))
    // → <Task pending name='Task-2' coro=<Queue.get() running at …/queues.py:183>>
    //   <coroutine object sleep at 0x…>
    const reprs: string[] = [];
    run((function* main(): Coro<void> {
      const q = new Queue();
      const t = createTask(q.get(), { name: 'T' });
      reprs.push(normaliseSites(repr(t)));
      const s = sleep(1);
      const a = new Lock().acquire();
      reprs.push(normaliseSites(repr(s)), normaliseSites(String(a)));
      s.return(undefined);
      a.return(true);
      t.cancel();
      gcCollect();
    })());
    expect(reprs).toEqual([
      "<Task pending name='T' coro=<Queue.get() running at F:L>>",
      '<coroutine object sleep at 0x?>',
      '<coroutine object Lock.acquire at 0x?>',
    ]);
  });
});

describe('where a dropped aiosim coroutine is reported', () => {
  it('adds where it was created when a debug loop was running', () => {
    // asyncio.run(main(), debug=True) where main does asyncio.sleep(1)
    // → "coroutine 'sleep' was never awaited\nCoroutine created at (most recent call last)\n  File …, in main"
    const warned = shown(() =>
      run((function* main(): Coro<void> {
        sleep(1);
        new Queue().get();
      })(), { debug: true }),
    );
    expect(warned).toHaveLength(2);
    for (const [w, name] of [[warned[0]!, 'sleep'], [warned[1]!, 'Queue.get']] as const) {
      const lines = w.split('\n');
      expect(lines[0]).toMatch(new RegExp(`^\\S*library-coroutine\\.test\\.ts:\\d+: RuntimeWarning: coroutine '${name}' was never awaited$`));
      expect(lines[1]).toBe('Coroutine created at (most recent call last)');
      expect(lines.at(-1)).toMatch(/^ {2}File "[^"]*library-coroutine\.test\.ts", line \d+, in main$/);
    }
  });

  it('attributes it to the line that reached the collection point outside debug mode, and the default filter shows each name once there', () => {
    // (aiosim: without debug mode its coroutines carry no creation site, docs/divergences.md)
    const line = (): number => Number(/:(\d+):\d+\)?\n/.exec(new Error().stack!.split('\n').slice(2).join('\n'))![1]);
    let at = 0;
    const warned = shown(() => {
      const main = function* main(): Coro<void> {
        sleep(1);
        sleep(2);
        new Lock().acquire();
      };
      at = line() + 1;
      run(main());
    }, false);
    expect(warned).toEqual([
      `test/task/library-coroutine.test.ts:${at}: RuntimeWarning: ${never('sleep')}`,
      `test/task/library-coroutine.test.ts:${at}: RuntimeWarning: ${never('Lock.acquire')}`,
    ]);
  });

  it('prints a report an error filter turns into an exception as unraisable, naming the coroutine', () => {
    // with warnings.catch_warnings(): warnings.simplefilter('error'); asyncio.run(main())  (main: asyncio.sleep(1))
    // → stderr "Exception ignored in: <coroutine object sleep at 0x…>" … "RuntimeWarning: coroutine 'sleep' was never awaited"
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      warnings.catchWarnings({}, () => {
        warnings.simplefilter('error');
        run((function* main(): Coro<void> {
          sleep(1);
        })());
      });
      const err = write.mock.calls.map((c) => String(c[0])).join('').trimEnd().split('\n');
      expect([normaliseSites(err[0]!), err.at(-1)]).toEqual(['Exception ignored in: <coroutine object sleep at 0x?>', `RuntimeWarning: ${never('sleep')}`]);
    } finally {
      write.mockRestore();
    }
  });
});

describe('aiosim coroutine functions in debug mode', () => {
  it('are refused as callbacks, as coroutine functions are', () => {
    // loop.set_debug(True); loop.call_soon(asyncio.sleep) → TypeError('coroutines cannot be used with call_soon()')
    // loop.call_soon(asyncio.Lock().acquire) → the same
    const loop = new EventLoop({ debug: true });
    try {
      expect(() => loop.callSoon(sleep as never)).toThrow(TypeError);
      expect(() => loop.callSoon(sleep as never)).toThrow(/^coroutines cannot be used with call_soon\(\)$/);
      expect(() => loop.callSoon(new Lock().acquire as never)).toThrow(/^coroutines cannot be used with call_soon\(\)$/);
      expect(() => loop.callSoon(waitFor as never)).toThrow(/^coroutines cannot be used with call_soon\(\)$/);
    } finally {
      loop.close();
    }
  });
});
