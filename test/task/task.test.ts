// Task: its constructor, set_result/set_exception refusals, thrown values that are not
// Errors, and deep await chains. How tasks step: task-step.test.ts. Every expectation is
// CPython 3.13.2's output for the equivalent Python program (run on the virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import {
  createTask, EventLoop, Future, logging, RecursionError, repr, RuntimeError, sleep, Task, ValueError, type Coro,
} from '../../src/index.js';
import { formatRecord } from '../../src/log/logging.js';
import { captureAsyncioLogs, normaliseSites } from '../_support/capture.js';
import { runScenario, withoutFrames, type Scene } from '../_support/scenario.js';
import { captureStderr } from '../_support/stderr.js';

describe('Task constructor', () => {
  it("throws TypeError 'a coroutine was expected, got …' for anything but a coroutine", () => {
    function fn(): void {}
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const bads: unknown[] = [42, 'abc', undefined, fn, loop.createFuture()];
      for (const bad of bads) {
        try {
          createTask(bad as Coro<void>);
        } catch (e) {
          if (!(e instanceof TypeError)) throw e;
          log(normaliseSites(e.message));
        }
      }
      try {
        loop.createTask(42 as unknown as Coro<void>);
      } catch (e) {
        if (!(e instanceof TypeError)) throw e;
        log(e.message);
      }
      try {
        new Task(42 as unknown as Coro<void>, { loop });
      } catch (e) {
        if (!(e instanceof TypeError)) throw e;
        log(e.message);
      }
    });
    expect(trace).toEqual([
      [0, 'a coroutine was expected, got 42'], [0, "a coroutine was expected, got 'abc'"],
      [0, 'a coroutine was expected, got None'], [0, 'a coroutine was expected, got <function fn at 0x?>'],
      [0, 'a coroutine was expected, got <Future pending>'], [0, 'a coroutine was expected, got 42'],
      [0, 'a coroutine was expected, got 42'], ['return', 'None'],
    ]);
  });
});

describe('Task.setResult and Task.setException', () => {
  it("throw RuntimeError 'Task does not support set_… operation', pending or done", () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<number>();
    function* w(): Coro<number> {
      return yield* fut;
    }
    const t = loop.createTask(w());
    expect(() => t.setResult(1)).toThrow(RuntimeError);
    expect(() => t.setResult(1)).toThrow(/^Task does not support set_result operation$/);
    expect(() => t.setException(new ValueError('x'))).toThrow(RuntimeError);
    expect(() => t.setException(new ValueError('x'))).toThrow(/^Task does not support set_exception operation$/);
    fut.setResult(3);
    expect(loop.runUntilComplete(t)).toBe(3);
    expect(() => t.setResult(1)).toThrow(/^Task does not support set_result operation$/);
    loop.close();
  });
});

// aiosim's rule (docs/divergences.md, "Thrown values"): any thrown value is an ordinary
// exception, carried as it is; undefined and null become Python's TypeError for `raise None`.
describe('Task: thrown values that are not Errors', () => {
  it('ends the task with the value itself, which the awaiter and result() get as it is', () => {
    const loop = new EventLoop();
    const thrown = { code: 7 };
    function* fails(value: unknown): Coro<void> {
      yield* sleep(0);
      throw value;
    }
    function* main(): Coro<unknown[]> {
      const caught: unknown[] = [];
      for (const value of ['not found', 42, thrown]) {
        try {
          yield* createTask(fails(value));
        } catch (e) {
          caught.push(e);
        }
      }
      return caught;
    }
    const caught = loop.runUntilComplete(main());
    expect(caught).toEqual(['not found', 42, thrown]);
    expect(caught[2]).toBe(thrown);
    const task = loop.createTask(fails('late'));
    expect(() => loop.runUntilComplete(task)).toThrow('late');
    expect(task.exception()).toBe('late');
    expect(normaliseSites(repr(task))).toMatch(/^<Task finished name='Task-\d+' coro=<fails\(\) done, defined at F:L> exception='late'>$/);
    loop.close();
  });

  it('stores throw null as TypeError, as throw undefined', () => {
    const loop = new EventLoop();
    function* fails(): Coro<void> {
      throw null;
    }
    const task = loop.createTask(fails());
    expect(() => loop.runUntilComplete(task)).toThrow(TypeError);
    expect(task.exception()).toBeInstanceOf(TypeError);
    expect((task.exception() as Error).message).toMatch(/^exceptions must derive from BaseException$/);
    loop.close();
  });

  it('throws TypeError into the coroutine when an awaited future-like result() throws undefined', () => {
    const loop = new EventLoop();
    class OddFuture extends Future<number> {
      override result(): number {
        if (this._exception !== undefined) throw undefined;
        return super.result();
      }
    }
    const fut = new OddFuture({ loop });
    function* waits(): Coro<string> {
      try {
        return `result ${yield* fut}`;
      } catch (e) {
        return `raised ${repr(e)}`;
      }
    }
    const task = loop.createTask(waits());
    loop.callSoon(() => fut.setException(new ValueError('hidden')));
    expect(loop.runUntilComplete(task)).toBe("raised TypeError('exceptions must derive from BaseException')");
    // The future's own exception was never retrieved through result() or exception(), nor raised:
    // no traceback block (as CPython prints an exception that has no __traceback__).
    expect(withoutFrames(captureStderr(() => loop.close()))).toBe(
      "OddFuture exception was never retrieved\nfuture: <OddFuture finished exception=ValueError('hidden')>\nValueError: hidden\n");
  });

  it("reports a never-retrieved string as 'str: …' in the traceback, without throwing", () => {
    const loop = new EventLoop();
    function* fails(): Coro<void> {
      throw 'boom';
    }
    loop.createTask(fails());
    const records = captureAsyncioLogs(() => {
      loop.runUntilComplete(sleep(0));
      loop.close();
    });
    expect(records).toHaveLength(1);
    expect(records[0]!.levelno).toBe(logging.ERROR);
    expect(records[0]!.excInfo).toBe('boom');
    const text = normaliseSites(formatRecord(records[0]!)).split('\n');
    expect(text[0]).toBe('Task exception was never retrieved');
    expect(text[1]).toMatch(/^future: <Task finished name='Task-\d+' coro=<fails\(\) done, defined at F:L> exception='boom'>$/);
    expect(text.slice(2)).toEqual(['Traceback (most recent call last):', 'str: boom']);
  });
});

// CPython raises RecursionError at about 990 nested awaits; aiosim where V8's stack
// gives out (docs/divergences.md, "Deep await chains").
describe('Task: deep await chains', () => {
  function* chain(n: number): Coro<number> {
    if (n === 0) {
      yield* sleep(1);
      return 0;
    }
    return 1 + (yield* chain(n - 1));
  }

  it('fails a 20,000-deep chain with RecursionError, not RangeError, and the loop goes on', () => {
    const loop = new EventLoop();
    const trace: string[] = [];
    loop.callLater(0.5, () => trace.push('timer at 0.5'));
    const task = loop.createTask(chain(20_000));
    expect(() => loop.runUntilComplete(task)).toThrow(RecursionError);
    const exc = task.exception();
    expect(exc).toBeInstanceOf(RecursionError);
    expect(exc).toBeInstanceOf(RuntimeError);
    expect((exc as Error).message).toMatch(/^maximum recursion depth exceeded$/);
    expect(repr(exc)).toBe("RecursionError('maximum recursion depth exceeded')");
    expect(loop.runUntilComplete(loop.createTask(chain(3)))).toBe(3);
    expect(trace).toEqual(['timer at 0.5']);
    loop.close();
  });

  it('runs a chain of the supported depth (2,500), and cancels one as deep as CPython allows (1,000)', () => {
    const loop = new EventLoop();
    expect(loop.runUntilComplete(loop.createTask(chain(2_500)))).toBe(2_500);
    function* cancelDeep(): Coro<string> {
      const task = createTask(chain(1_000));
      yield* sleep(0.5);
      task.cancel('stop');
      try {
        yield* task;
      } catch (e) {
        return `${(e as Error).constructor.name}: ${(e as Error).message}`;
      }
      return 'not cancelled';
    }
    expect(loop.runUntilComplete(cancelDeep())).toBe('CancelledError: stop');
    loop.close();
  });
});

describe('Task memory', () => {
  it('holds no step handle while it waits on a future, and makes one again for a bare yield', () => {
    const loop = new EventLoop();
    const fut = loop.createFuture<void>();
    const seen: (boolean | undefined)[] = [];
    function* waiter(): Coro<void> {
      yield* fut;
      yield* sleep(0);
      yield* sleep(0);
    }
    const task = loop.createTask(waiter());
    seen.push(task._stepHandle !== undefined);
    loop.runUntilComplete(sleep(0));
    // Waiting on `fut`: the wake-up will schedule its own handle.
    seen.push(task._stepHandle !== undefined);
    fut.setResult(undefined);
    loop.runUntilComplete(task);
    // The bare yields (sleep(0)) made a step handle again, and reused it.
    seen.push(task._stepHandle !== undefined);
    loop.close();
    expect(seen).toEqual([true, false, true]);
  });
});
