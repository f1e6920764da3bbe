// CPython 3.13's test_asyncio/test_tasks.py, BaseTaskTests (a task's context: each task
// runs in a copy of its creator's context, or the one it is given): one `it` per test
// method, titled after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { contextvars, createTask, EventLoop, gather, sleep, Task, type Coro, type Future } from '../../../src/index.js';
import { coroutineFunction, loopPerTest, newFuture, newTaskTestLoop, type TestLoop } from './_support.js';

// BaseTaskTests.new_task(loop, coro, name='TestTask', context=None).
function newTask<T>(loop: EventLoop, coro: Coro<T>, context?: contextvars.Context): Task<T> {
  return new Task<T>(coro, { loop, name: 'TestTask', context });
}

// random.uniform / random.randint of test_context_3, made deterministic (an LCG).
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (1103515245 * x + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

// test_context_4/5/6: two tasks given the same context write to it in turn.
function sharedContextRun(loop: EventLoop, make: (coro: Coro<void>, ctx: contextvars.Context) => Future<void>): unknown[] {
  const cvar = new contextvars.ContextVar<number>('cvar');
  function* coro(val: number): Coro<void> {
    yield* sleep(0);
    cvar.set(val);
  }
  function* main(): Coro<unknown[]> {
    const ret: unknown[] = [];
    const ctx = contextvars.copyContext();
    ret.push(ctx.get(cvar));
    yield* make(coro(1), ctx);
    ret.push(ctx.get(cvar));
    yield* make(coro(2), ctx);
    ret.push(ctx.get(cvar));
    return ret;
  }
  return loop.runUntilComplete(newTask(loop, main()));
}

describe('BaseTaskTests', () => {
  let loop: TestLoop;
  loopPerTest(() => (loop = newTaskTestLoop()));

  it("test_context_1 — a subtask sees its creator's context as it was at creation; its writes stay its own", () => {
    const cvar = new contextvars.ContextVar<string>('cvar', { default: 'nope' });
    const seen: string[] = [];
    function* sub(): Coro<void> {
      yield* sleep(0.01);
      seen.push(cvar.get());
      cvar.set('something else');
    }
    function* main(): Coro<void> {
      seen.push(cvar.get());
      const subtask = newTask(l, sub());
      cvar.set('yes');
      seen.push(cvar.get());
      yield* subtask;
      seen.push(cvar.get());
    }
    const l = new EventLoop();
    try {
      l.runUntilComplete(newTask(l, main()));
    } finally {
      l.close();
    }
    expect(seen).toEqual(['nope', 'yes', 'nope', 'yes']);
  });

  it("test_context_2 — a done callback's writes do not reach the task; the task's wake-ups run in its context", () => {
    const cvar = new contextvars.ContextVar<string>('cvar', { default: 'nope' });
    const seen: string[] = [];
    function* main(): Coro<void> {
      // This change must not pollute the context of the main() task.
      const futOnDone = (): void => {
        cvar.set('something else');
      };
      seen.push(cvar.get());
      for (let j = 0; j < 2; j++) {
        const fut = newFuture<void>(l);
        fut.addDoneCallback(futOnDone);
        cvar.set(`yes${j}`);
        l.callSoon(() => fut.setResult(undefined));
        yield* fut;
        seen.push(cvar.get());
        for (let i = 0; i < 3; i++) {
          // The task passed its context to addDoneCallback.
          cvar.set(`yes${i}-${j}`);
          yield* sleep(0.001);
          seen.push(cvar.get());
        }
      }
    }
    const l = new EventLoop();
    try {
      l.runUntilComplete(newTask(l, main()));
    } finally {
      l.close();
    }
    expect(seen).toEqual(['nope', 'yes0', 'yes0-0', 'yes1-0', 'yes2-0', 'yes1', 'yes0-1', 'yes1-1', 'yes2-1']);
    expect(cvar.get()).toBe('nope');
  });

  it('test_context_3 — 100 tasks in parallel each keep their own value across sleeps', () => {
    const cvar = new contextvars.ContextVar<number>('cvar', { default: -1 });
    const random = lcg(42);
    let checks = 0;
    function* sub(num: number): Coro<void> {
      for (let i = 0; i < 10; i++) {
        cvar.set(num + i);
        yield* sleep(0.001 + random() * 0.049);
        expect(cvar.get()).toBe(num + i);
        checks += 1;
      }
    }
    function* main(): Coro<void> {
      const tasks: Task<void>[] = [];
      for (let i = 0; i < 100; i++) tasks.push(l.createTask(sub(Math.floor(random() * 11))));
      yield* gather(...tasks);
    }
    const l = new EventLoop();
    try {
      l.runUntilComplete(main());
    } finally {
      l.close();
    }
    expect(checks).toBe(1000);
    expect(cvar.get()).toBe(-1);
  });

  it('test_context_4 — Task(coro, context=ctx): the task writes into the context it was given', () => {
    const l = new EventLoop();
    try {
      expect(sharedContextRun(l, (coro, ctx) => newTask(l, coro, ctx))).toEqual([undefined, 1, 2]);
    } finally {
      l.close();
    }
  });

  it('test_context_5 — create_task(coro, context=ctx): the task writes into the context it was given', () => {
    const l = new EventLoop();
    try {
      expect(sharedContextRun(l, (coro, ctx) => createTask(coro, { context: ctx }))).toEqual([undefined, 1, 2]);
    } finally {
      l.close();
    }
  });

  it('test_context_6 — loop.create_task(coro, context=ctx): the task writes into the context it was given', () => {
    const l = new EventLoop();
    try {
      expect(sharedContextRun(l, (coro, ctx) => l.createTask(coro, { context: ctx }))).toEqual([undefined, 1, 2]);
    } finally {
      l.close();
    }
  });

  it('test_get_context — get_context() is the context the task was given', () => {
    const l = new EventLoop();
    const coro = coroutineFunction();
    const context = contextvars.copyContext();
    try {
      const task = newTask(l, coro, context);
      l.runUntilComplete(task);
      expect(task.getContext()).toBe(context);
    } finally {
      l.close();
    }
  });

  it('test_get_context — (aiosim) without one, get_context() is the same copy of the creator context every time', () => {
    const cvar = new contextvars.ContextVar<string>('cvar');
    // (In a context of its own: the test leaves the main thread's context as it was.)
    const task = new contextvars.Context().run(() => {
      cvar.set('outer');
      return newTask(loop, coroutineFunction());
    });
    const ctx = task.getContext();
    expect(task.getContext()).toBe(ctx);
    expect(ctx.get(cvar)).toBe('outer');
    loop.runUntilComplete(task);
    expect(task.getContext()).toBe(ctx);
  });
});
