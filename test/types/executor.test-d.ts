import { describe, expectTypeOf, it } from 'vitest';
import { ConcurrentFuture, EventLoop, Future, toThread, type Coro } from '../../src/index.js';

describe('executor types', () => {
  it('lets a ConcurrentFuture<number> stand for a ConcurrentFuture<unknown>', () => {
    expectTypeOf<ConcurrentFuture<number>>().toMatchTypeOf<ConcurrentFuture<unknown>>();
  });

  it('infers the job result of runInExecutor and toThread', () => {
    const loop = new EventLoop();
    expectTypeOf(loop.runInExecutor(undefined, (a: number) => a * 2, 1)).toEqualTypeOf<Future<number>>();
    function* main(): Coro<void> {
      const s = yield* toThread(() => 'x');
      expectTypeOf(s).toEqualTypeOf<string>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });
});
