// Where asyncio uses contexts, beyond handles (in-context.test.ts): done callbacks,
// Runner.run, executors and threads, eager tasks, and what aiosim refuses. Expected values
// are CPython 3.13's (the oracle, native 3.13 for threads), for programs such as:
//   v.set('main'); await loop.run_in_executor(None, job) -> job sees 'dflt' (a thread's
//   own empty context); await asyncio.to_thread(job) -> 'main' (a copy of the caller's)
//   fut.add_done_callback(cb) -> cb sees the context current at registration;
//   fut.add_done_callback(cb, context=ctx) -> cb sees ctx
//   Runner().run(main(), context=ctx) -> main runs in ctx, its writes stay there

import { afterEach, describe, expect, it } from 'vitest';
import {
  contextvars, createEagerTaskFactory, createTask, currentTask, eagerTaskFactory, EventLoop, Future, getRunningLoop, Runner, run, RuntimeError, sleep, Task,
  runCoroutineThreadsafe, threading, toThread, withContext, world, wrapFuture, type ConcurrentFuture, type Coro,
} from '../../src/index.js';
import { captureAsyncioLogs, thrown } from '../_support/capture.js';

const { Context, ContextVar, copyContext } = contextvars;

// The test runs in a fresh empty context (CPython's @isolated_context).
function isolated(fn: () => void): () => void {
  return () => new Context().run(fn);
}

afterEach(() => {
  world._reset();
});

describe('done callbacks', () => {
  it('run in the context current when they were added, or the one given', isolated(() => {
    const v = new ContextVar<string>('v', { default: 'dflt' });
    const seen: string[] = [];
    run((function* main(): Coro<void> {
      const ctx = copyContext();
      ctx.run(() => v.set('ctx'));
      v.set('main');
      const fut = new Future<number>();
      fut.addDoneCallback(() => seen.push(`done cb sees ${v.get()}`));
      fut.addDoneCallback(() => seen.push(`done cb ctx sees ${v.get()}`), { context: ctx });
      fut.addDoneCallback(() => seen.push(`done cb null sees ${v.get()}`), { context: null });
      v.set('main2');
      fut.setResult(1);
      yield* sleep(0);
      // Added to a done future: scheduled at once, in the same way.
      fut.addDoneCallback(() => seen.push(`late cb sees ${v.get()}`));
      fut.addDoneCallback(() => seen.push(`late cb ctx sees ${v.get()}`), { context: ctx });
      yield* sleep(0);
    })());
    expect(seen).toEqual([
      'done cb sees main', 'done cb ctx sees ctx', 'done cb null sees main', 'late cb sees main2', 'late cb ctx sees ctx',
    ]);
  }));

  it("a done callback's writes stay in its copy", isolated(() => {
    const v = new ContextVar<string>('v', { default: 'dflt' });
    const result = run((function* main(): Coro<string> {
      const fut = new Future<void>();
      fut.addDoneCallback(() => v.set('cb'));
      fut.setResult(undefined);
      yield* fut;
      yield* sleep(0);
      return v.get();
    })());
    expect(result).toBe('dflt');
  }));
});

describe('Runner', () => {
  it('run(coro, { context }) runs the task in that context', isolated(() => {
    const v = new ContextVar<number>('v', { default: -1 });
    function* f(val: number): Coro<number> {
      const old = v.get();
      yield* sleep(0);
      v.set(val);
      return old;
    }
    const ctx = new Context();
    withContext(new Runner(), (runner) => {
      expect(runner.run(f(1), { context: ctx })).toBe(-1);
      expect(ctx.get(v)).toBe(1);
      // The runner's own context is untouched by a run in another.
      expect(runner.run(f(2))).toBe(-1);
      expect(runner.run(f(3), { context: null })).toBe(2);
      expect(runner.run(f(4), { context: ctx })).toBe(1);
    });
    expect(v.get()).toBe(-1);
  }));

  it('run() gives each call a fresh copy of the caller context', isolated(() => {
    const v = new ContextVar<string>('v', { default: 'dflt' });
    v.set('caller');
    function* f(): Coro<string> {
      const seen = v.get();
      v.set('task');
      return seen;
    }
    expect(run(f())).toBe('caller');
    expect(run(f())).toBe('caller');
    expect(v.get()).toBe('caller');
  }));
});

describe('executors and threads', () => {
  it("toThread runs the job in a copy of the caller's context; runInExecutor in the worker's own", isolated(() => {
    const v = new ContextVar<string>('v', { default: 'dflt' });
    const seen: unknown[] = [];
    run((function* main(): Coro<void> {
      v.set('main');
      const job = (tag: string): string => {
        const got = `${tag} ${v.get()} ${threading.currentThread().name}`;
        v.set(`set by ${tag}`);
        return got;
      };
      seen.push(yield* toThread(job, 'tt'));
      seen.push(yield* getRunningLoop().runInExecutor(undefined, job, 'rie'));
      // A task's context is copied, not shared: the first job's write is not seen.
      seen.push(yield* createTask(toThread(job, 'tt2')));
      seen.push(v.get());
    })());
    expect(seen).toEqual(['tt main asyncio_0', 'rie dflt asyncio_0', 'tt2 main asyncio_0', 'main']);
  }));

  it("runCoroutineThreadsafe runs the coroutine in a copy of the calling thread's context", isolated(() => {
    const v = new ContextVar<string>('v', { default: 'dflt' });
    const results: string[] = [];
    run((function* main(): Coro<void> {
      const loop = getRunningLoop();
      v.set('main');
      function* co(tag: string): Coro<string> {
        return `${tag} ${v.get()}`;
      }
      const futures: ConcurrentFuture<string>[] = [];
      const t = new threading.Thread({
        target: () => {
          futures.push(runCoroutineThreadsafe(co('before set'), loop));
          v.set('thread');
          futures.push(runCoroutineThreadsafe(co('after set'), loop));
        },
      });
      t.start();
      t.join();
      for (const f of futures) results.push(yield* wrapFuture(f));
    })());
    expect(results).toEqual(['before set dflt', 'after set thread']);
  }));

  it('a simulated thread starts in an empty context', isolated(() => {
    const v = new ContextVar<string>('v', { default: 'dflt' });
    v.set('main');
    const seen: string[] = [];
    const t = new threading.Thread({ target: () => seen.push(v.get()) });
    t.start();
    t.join();
    expect(seen).toEqual(['dflt']);
  }));
});

describe('eager tasks', () => {
  it("run their first step in the task's context and give the creator's back", isolated(() => {
    const v = new ContextVar<string>('v', { default: 'dflt' });
    const seen: string[] = [];
    const loop = new EventLoop();
    loop.setTaskFactory(eagerTaskFactory);
    try {
      loop.runUntilComplete((function* main(): Coro<void> {
        v.set('main');
        const ctx = new Context();
        const t1 = loop.createTask((function* child(): Coro<void> {
          seen.push(`child ${v.get()}`);
          v.set('child');
          yield* sleep(0);
          seen.push(`child again ${v.get()}`);
        })());
        seen.push(`creator ${v.get()}`);
        const t2 = loop.createTask((function* inCtx(): Coro<void> {
          seen.push(`in ctx ${v.get()}`);
          v.set('in ctx');
        })(), { context: ctx });
        expect(t2.getContext()).toBe(ctx);
        expect(ctx.get(v)).toBe('in ctx');
        yield* t1;
        seen.push(`creator at end ${v.get()}`);
      })());
    } finally {
      loop.close();
    }
    expect(seen).toEqual(['child main', 'creator main', 'in ctx dflt', 'child again child', 'creator at end main']);
  }));

  it('(divergence) an eager start in a context already entered raises RuntimeError and leaves the current task as it was', isolated(() => {
    const loop = new EventLoop();
    loop.setTaskFactory(createEagerTaskFactory(Task));
    const seen: unknown[] = [];
    try {
      loop.runUntilComplete((function* main(): Coro<void> {
        const me = currentTask();
        const ctx = copyContext();
        ctx.run(() => {
          const e = thrown(() => loop.createTask((function* co(): Coro<void> {})(), { context: ctx }));
          seen.push(e instanceof RuntimeError && /^cannot enter context: <_contextvars\.Context object at 0x[0-9a-f]+> is already entered$/.test(e.message));
          seen.push(currentTask() === me);
        });
        yield* sleep(0);
      })());
    } finally {
      // The task that could not start is reported at the collection point.
      const records = captureAsyncioLogs(() => loop.close());
      seen.push(records.map((r) => r.getMessage().split('\n')[0]));
    }
    expect(seen).toEqual([true, true, ['Task was destroyed but it is pending!']]);
  }));
});

describe('what is not a Context (divergence: CPython accepts it and fails when a callback runs)', () => {
  it('is refused at once by Task, createTask, addDoneCallback and Runner.run', isolated(() => {
    const messages: string[] = [];
    const refuse = (fn: () => unknown): void => {
      const e = thrown(fn);
      expect(e).toBeInstanceOf(TypeError);
      messages.push((e as Error).message);
    };
    run((function* main(): Coro<void> {
      refuse(() => new Task((function* a(): Coro<void> {})(), { context: 1 as never }));
      refuse(() => createTask((function* b(): Coro<void> {})(), { context: { run() {} } as never }));
      refuse(() => new Future().addDoneCallback(() => undefined, { context: 'ctx' as never }));
      yield* sleep(0);
    })());
    withContext(new Runner(), (runner) => {
      const coro = (function* c(): Coro<void> {})();
      refuse(() => runner.run(coro, { context: 1 as never }));
      coro.return();
    });
    expect(messages).toEqual(Array(4).fill('an instance of Context was expected'));
  }));
});
