// Task stepping: how tasks interleave through bare yields and futures, results and
// errors reaching the awaiter, and the RuntimeErrors a step throws back into a
// coroutine that yields something it must not. Every expectation is CPython 3.13.2's
// output for the equivalent Python program (run on the virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import {
  createTask, currentTask, EventLoop, Future, repr, RuntimeError, sleep, Task, ValueError, type Coro,
} from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';
import { py } from '../_support/python.js';
import { runScenario, ticker, type Scene } from '../_support/scenario.js';

// Python: @types.coroutine def raw_yield(v): yield v — hands `v` to the task as is.
function* rawYield(v: unknown): Generator<unknown, void, unknown> {
  yield v;
}

describe('Task stepping', () => {
  it('interleaves tasks one step per iteration, in creation order, and wakes waiters in await order', () => {
    // Python: a/b/c tasks, a ticker of 5, b arms call_later(1.5, fut.set_result, 'F').
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<string[]> {
      const fut = loop.createFuture<string>();
      function* a(): Coro<string> {
        log('a start');
        yield;
        log('a after yield');
        const v = yield* fut;
        log(`a got ${v}`);
        yield;
        log('a end');
        return 'A';
      }
      function* b(): Coro<string> {
        log('b start');
        yield;
        log('b after yield 1');
        yield;
        log('b after yield 2');
        loop.callLater(1.5, (v: string) => fut.setResult(v), 'F');
        const v = yield* fut;
        log(`b got ${v}`);
        return 'B';
      }
      function* c(): Coro<string> {
        log('c start');
        return 'C';
      }
      ticker(loop, log, 5);
      const ta = createTask(a());
      const tb = createTask(b());
      const tc = createTask(c());
      log('main created tasks');
      const ra = yield* ta;
      log(`main got ${ra}`);
      const rb = yield* tb;
      log(`main got ${rb}`);
      const rc = yield* tc;
      log(`main got ${rc}`);
      const v = yield* fut;
      log(`main got done future ${v} without suspending`);
      return [ra, rb, rc];
    });
    expect(trace).toEqual([
      [0, 'main created tasks'], [0, 'tick 0'], [0, 'a start'], [0, 'b start'], [0, 'c start'],
      [0, 'tick 1'], [0, 'a after yield'], [0, 'b after yield 1'], [0, 'tick 2'], [0, 'b after yield 2'],
      [0, 'tick 3'], [0, 'tick 4'], [0, 'tick 5'], [1.5, 'a got F'], [1.5, 'b got F'], [1.5, 'a end'],
      [1.5, 'main got A'], [1.5, 'main got B'], [1.5, 'main got C'],
      [1.5, 'main got done future F without suspending'], ['return', "['A', 'B', 'C']"],
    ]);
  });

  it('resumes a task awaiting another task one iteration after it finishes, and runs an awaited coroutine inline', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<number> {
      function* leaf(): Coro<number> {
        log('leaf runs inline');
        return 1;
      }
      function* inner(): Coro<number> {
        log('inner start');
        yield;
        log('inner end');
        return 42;
      }
      function* outer(t: Task<number>): Coro<number> {
        log('outer awaits task');
        const v = yield* t;
        log(`outer got ${v}`);
        const w = yield* leaf();
        log(`outer got ${w} from a coroutine`);
        return v + w;
      }
      ticker(loop, log, 6);
      const ti = createTask(inner());
      const to = createTask(outer(ti));
      const r = yield* to;
      log(`main got ${r} ${ti.result()}`);
      return r;
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'inner start'], [0, 'outer awaits task'], [0, 'tick 1'], [0, 'inner end'],
      [0, 'tick 2'], [0, 'outer got 42'], [0, 'leaf runs inline'], [0, 'outer got 1 from a coroutine'],
      [0, 'tick 3'], [0, 'main got 43 42'], [0, 'tick 4'], ['return', '43'],
    ]);
  });

  it("wakes tasks in the future's callback order, among its other done callbacks, and hands over the very exception", () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      let exc: ValueError | undefined;
      function* w(name: string, fut: Future<string>): Coro<void> {
        try {
          const v = yield* fut;
          log(`${name} got ${v}`);
        } catch (e) {
          if (!(e instanceof ValueError)) throw e;
          log(`${name} caught ${repr(e)} same=${py(e === exc)}`);
        }
      }
      const fut = loop.createFuture<string>();
      fut.addDoneCallback(() => log('cb1'));
      const t1 = createTask(w('t1', fut));
      yield;
      fut.addDoneCallback(() => log('cb2'));
      const t2 = createTask(w('t2', fut));
      yield;
      fut.addDoneCallback(() => log('cb3'));
      fut.setResult('R');
      log('result set');
      yield* t1;
      yield* t2;
      const fut2 = loop.createFuture<string>();
      const t3 = createTask(w('t3', fut2));
      yield;
      exc = new ValueError('E');
      fut2.setException(exc);
      yield* t3;
    });
    expect(trace).toEqual([
      [0, 'result set'], [0, 'cb1'], [0, 't1 got R'], [0, 'cb2'], [0, 't2 got R'], [0, 'cb3'],
      [0, "t3 caught ValueError('E') same=True"], ['return', 'None'],
    ]);
  });

  it('returns the coroutine result from runUntilComplete and from result()', () => {
    const loop = new EventLoop();
    function* answer(): Coro<string> {
      yield;
      return 'abc';
    }
    function* nothing(): Coro<void> {
      yield;
    }
    const t = loop.createTask(answer());
    expect(loop.runUntilComplete(t)).toBe('abc');
    expect(t.result()).toBe('abc');
    expect(t.done()).toBe(true);
    expect(loop.runUntilComplete(nothing())).toBeUndefined();
    loop.close();
  });

  it('propagates an exception to the awaiting task and out of runUntilComplete', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<never> {
      function* failing(): Coro<never> {
        yield;
        throw new ValueError('boom');
      }
      function* middle(): Coro<never> {
        return yield* failing();
      }
      function* awaiter(t: Task<never>): Coro<string> {
        try {
          yield* t;
        } catch (e) {
          if (!(e instanceof ValueError)) throw e;
          log(`caught ${repr(e)} same=${e === t.exception() ? 'True' : 'False'}`);
        }
        try {
          yield* middle();
        } catch (e) {
          if (!(e instanceof ValueError)) throw e;
          log(`caught ${repr(e)} through a coroutine chain`);
        }
        return 'handled';
      }
      const t = createTask(failing());
      const r = yield* createTask(awaiter(t));
      log(`${r} ${py(t.done())} ${py(t.cancelled())} ${repr(t.exception())}`);
      return yield* failing();
    });
    expect(trace).toEqual([
      [0, "caught ValueError('boom') same=True"],
      [0, "caught ValueError('boom') through a coroutine chain"],
      [0, "handled True False ValueError('boom')"],
      ['raised', "ValueError('boom')"],
    ]);
  });

  it("throws RuntimeError 'Task got bad yield: …' into the coroutine on the next iteration", () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<string> {
      function* bad(): Coro<string> {
        log('bad yields 42');
        try {
          yield* rawYield(42) as Coro<void>;
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e;
          log(`caught ${e.message}`);
        }
        log('bad yields a string');
        try {
          yield* rawYield('x') as Coro<void>;
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e;
          log(`caught ${e.message}`);
        }
        return 'ok';
      }
      function* badUncaught(): Coro<void> {
        yield* rawYield(42) as Coro<void>;
      }
      ticker(loop, log, 4);
      const r = yield* createTask(bad());
      const t = createTask(badUncaught());
      try {
        yield* t;
      } catch (e) {
        if (!(e instanceof RuntimeError)) throw e;
        log(`main caught ${e.message}`);
      }
      log(repr(t.exception()));
      return r;
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'bad yields 42'], [0, 'tick 1'], [0, 'caught Task got bad yield: 42'],
      [0, 'bad yields a string'], [0, 'tick 2'], [0, "caught Task got bad yield: 'x'"], [0, 'tick 3'],
      [0, 'tick 4'], [0, 'main caught Task got bad yield: 42'],
      [0, "RuntimeError('Task got bad yield: 42')"], ['return', "'ok'"],
    ]);
  });

  it("throws RuntimeError 'Task cannot await on itself: <Task …>' at a task awaiting itself", () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<string> {
      function* selfwait(): Coro<string> {
        const t = currentTask()!;
        log('awaiting itself');
        try {
          yield* t;
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e;
          log(normaliseSites(e.message));
        }
        return 'survived';
      }
      ticker(loop, log, 3);
      return yield* createTask(selfwait(), { name: 'S' });
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'awaiting itself'], [0, 'tick 1'],
      [0, "Task cannot await on itself: <Task pending name='S' coro=<selfwait() running at F:L> cb=[Task.task_wakeup()]>"],
      [0, 'tick 2'], [0, 'tick 3'], ['return', "'survived'"],
    ]);
  });

  it("leaves a self-awaiting task marked as awaited, so a later await of it raises \"await wasn't used with future\"", () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* selfwait(): Coro<string> {
        const t = currentTask()!;
        try {
          yield* t;
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e;
          log('self-await refused');
        }
        yield;
        yield;
        return 'S done';
      }
      function* second(t: Task<string>): Coro<void> {
        try {
          log(`second got ${yield* t}`);
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e;
          log(`second: ${repr(e)}`);
        }
      }
      const s = createTask(selfwait(), { name: 'S' });
      yield;
      yield;
      yield* createTask(second(s));
      log(yield* s);
    });
    expect(trace).toEqual([
      [0, 'self-await refused'], [0, 'second: RuntimeError("await wasn\'t used with future")'], [0, 'S done'],
      ['return', 'None'],
    ]);
  });

  it('refuses a task yielding itself without yield* with the same self-await error', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<string> {
      function* selfwait(): Coro<string> {
        const t = currentTask()!;
        try {
          yield* rawYield(t) as Coro<void>;
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e;
          log(normaliseSites(e.message));
        }
        return 'survived';
      }
      return yield* createTask(selfwait(), { name: 'S' });
    });
    expect(trace).toEqual([
      [0, "Task cannot await on itself: <Task pending name='S' coro=<selfwait() running at F:L> cb=[Task.task_wakeup()]>"],
      ['return', "'survived'"],
    ]);
  });

  it("throws RuntimeError 'yield was used instead of yield from in task … with …' for a future yielded without yield*", () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<string> {
      function* rawfut(): Coro<string> {
        const f = loop.createFuture();
        log('yielding a future without await');
        try {
          yield f;
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e;
          log(normaliseSites(e.message));
        }
        log(repr(f));
        return 'survived';
      }
      ticker(loop, log, 3);
      return yield* createTask(rawfut(), { name: 'R' });
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'yielding a future without await'], [0, 'tick 1'],
      [0, "yield was used instead of yield from in task <Task pending name='R' coro=<rawfut() running at F:L> cb=[Task.task_wakeup()]> with <Future pending>"],
      [0, '<Future pending>'], [0, 'tick 2'], [0, 'tick 3'], ['return', "'survived'"],
    ]);
  });

  it("throws RuntimeError 'Task got bad yield: <coroutine object …>' for a coroutine yielded without yield*, with a hint", () => {
    // @types.coroutine
    // def rawcoro():
    //     c = asyncio.sleep(0)
    //     try: yield c
    //     except RuntimeError as e: print(e)
    //     c.close(); return 'survived'
    // async def viaawait(): return await rawcoro()
    // print(await asyncio.create_task(viaawait(), name='G'))
    // → Task got bad yield: <coroutine object sleep at 0x…> / survived
    // (aiosim: a generator function is an async def, so its objects are coroutines too)
    const trace = runScenario(function* main({ log }: Scene): Coro<string> {
      function* inner(): Coro<void> {}
      function* rawcoro(): Coro<string> {
        for (const c of [sleep(0), inner()]) {
          try {
            yield c as never;
          } catch (e) {
            if (!(e instanceof RuntimeError)) throw e;
            log(normaliseSites(e.message));
          }
          c.return(undefined);
        }
        return 'survived';
      }
      return yield* createTask(rawcoro(), { name: 'G' });
    });
    expect(trace).toEqual([
      [0, 'Task got bad yield: <coroutine object sleep at 0x?> (await a coroutine with yield*, not yield)'],
      [0, 'Task got bad yield: <coroutine object inner at 0x?> (await a coroutine with yield*, not yield)'],
      ['return', "'survived'"],
    ]);
  });

  it("throws RuntimeError 'Task … got Future … attached to a different loop' for another loop's future", () => {
    const other = new EventLoop();
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<string> {
      function* foreign(): Coro<string> {
        const f = other.createFuture();
        try {
          yield* f;
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e;
          log(normaliseSites(e.message));
        }
        return 'survived';
      }
      ticker(loop, log, 3);
      return yield* createTask(foreign(), { name: 'X' });
    });
    other.close();
    expect(trace).toEqual([
      [0, 'tick 0'], [0, 'tick 1'],
      [0, "Task <Task pending name='X' coro=<foreign() running at F:L> cb=[Task.task_wakeup()]> got Future <Future pending> attached to a different loop"],
      [0, 'tick 2'], [0, 'tick 3'], ['return', "'survived'"],
    ]);
  });

  it("takes the result of another loop's future that is already done, without suspending", () => {
    const other = new EventLoop();
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const d = other.createFuture<string>();
      d.setResult('done value');
      log(`done foreign future: ${yield* d}`);
    });
    other.close();
    expect(trace).toEqual([[0, 'done foreign future: done value'], ['return', 'None']]);
  });
});
