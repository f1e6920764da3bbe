// Type behaviour of coroutines: `const x = yield* op` infers the result type of a
// Future, a Task or a coroutine (annotated or not) with no casts, and the task and
// loop entry points carry it through.

import { describe, expectTypeOf, it } from 'vitest';
import {
  createEagerTaskFactory, createTask, ensureFuture, EventLoop, Task, type Coro, type Future,
} from '../../src/index.js';

declare const loop: EventLoop;
declare const fut: Future<number>;
declare const task: Task<string>;

function* annotated(): Coro<{ id: number }> {
  return { id: 1 };
}

// Unannotated: TypeScript infers Generator<Future<unknown>, boolean, unknown>.
function* unannotated(f: Future<string>) {
  const s = yield* f;
  return s.length > 0;
}

describe('yield* in a coroutine', () => {
  it('infers T for a Future<T>', () => {
    function* main(): Coro<void> {
      const x = yield* fut;
      expectTypeOf(x).toEqualTypeOf<number>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });

  it('infers T for a Task<T>', () => {
    function* main(): Coro<void> {
      const x = yield* task;
      expectTypeOf(x).toEqualTypeOf<string>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });

  it('infers T for a Coro<T>-annotated generator', () => {
    function* main(): Coro<void> {
      const x = yield* annotated();
      expectTypeOf(x).toEqualTypeOf<{ id: number }>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });

  it('infers the return type of an unannotated generator function, which fits in a Coro', () => {
    function* main(): Coro<void> {
      const x = yield* unannotated(loop.createFuture<string>());
      expectTypeOf(x).toEqualTypeOf<boolean>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
    function* plain() {
      const n = yield* fut;
      const t = yield* task;
      return [n, t] as const;
    }
    function* outer() {
      return yield* plain();
    }
    expectTypeOf(outer).returns.toMatchTypeOf<Generator<unknown, readonly [number, string], unknown>>();
  });

  it('lets a Coro yield only a Future or nothing', () => {
    function* main(): Coro<void> {
      yield;
      yield fut;
      // @ts-expect-error a Coro may not yield a number (the runtime says 'Task got bad yield')
      yield 42;
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });
});

describe('createTask and friends', () => {
  it('createTask(coro) returns Task<T>', () => {
    expectTypeOf(createTask(annotated())).toEqualTypeOf<Task<{ id: number }>>();
    expectTypeOf(createTask(unannotated(fut as unknown as Future<string>))).toEqualTypeOf<Task<boolean>>();
    expectTypeOf(loop.createTask(annotated(), { name: 'x' })).toEqualTypeOf<Task<{ id: number }>>();
  });

  it('ensureFuture returns Future<T>', () => {
    expectTypeOf(ensureFuture(annotated())).toEqualTypeOf<Future<{ id: number }>>();
    expectTypeOf(ensureFuture(fut)).toEqualTypeOf<Future<number>>();
  });

  it('loop.runUntilComplete returns T for a coroutine, a Future and a Task', () => {
    expectTypeOf(loop.runUntilComplete(annotated())).toEqualTypeOf<{ id: number }>();
    expectTypeOf(loop.runUntilComplete(fut)).toEqualTypeOf<number>();
    expectTypeOf(loop.runUntilComplete(task)).toEqualTypeOf<string>();
    expectTypeOf(loop.runUntilComplete(unannotated(loop.createFuture<string>()))).toEqualTypeOf<boolean>();
  });

  it('createEagerTaskFactory accepts a Task subclass', () => {
    class MyTask<T> extends Task<T> {}
    expectTypeOf(createEagerTaskFactory).toBeCallableWith(MyTask);
    expectTypeOf(loop.setTaskFactory).toBeCallableWith(createEagerTaskFactory(MyTask));
  });
});
