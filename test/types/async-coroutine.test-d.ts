// Type behaviour of async-function coroutines: asyncCoroutine keeps the function's
// parameters and result, an AsyncCoroutine is a coroutine (createTask, yield*, gather),
// awaiting a Future, a Task, an AsyncCoroutine or awaitable(coro) gives the result type.

import { describe, expectTypeOf, it } from 'vitest';
import { createTask, gather, sleep, type Coro, type Future, type Task } from '../../src/index.js';
import { asyncCoroutine, awaitable, runUntilCompleteAsync, type AsyncCoroutine } from '../../src/testing/index.js';
import type { EventLoop } from '../../src/index.js';

declare const loop: EventLoop;
declare const fut: Future<number>;

const worker = asyncCoroutine(async function worker(n: number, label: string): Promise<{ n: number; label: string }> {
  return { n, label };
});

describe('asyncCoroutine', () => {
  it('keeps the parameters and gives an AsyncCoroutine of the result', () => {
    expectTypeOf(worker).parameters.toEqualTypeOf<[number, string]>();
    expectTypeOf(worker(1, 'a')).toEqualTypeOf<AsyncCoroutine<{ n: number; label: string }>>();
  });

  it('is a coroutine for createTask, yield* and gather', () => {
    expectTypeOf(createTask(worker(1, 'a'))).toEqualTypeOf<Task<{ n: number; label: string }>>();
    function* main(): Coro<void> {
      const r = yield* worker(1, 'a');
      expectTypeOf(r).toEqualTypeOf<{ n: number; label: string }>();
      const [a, b] = yield* gather(worker(1, 'a'), sleep(1, 'x'));
      expectTypeOf(a).toEqualTypeOf<{ n: number; label: string }>();
      expectTypeOf(b).toEqualTypeOf<string>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });

  it('types each await and the driver', () => {
    asyncCoroutine(async function main() {
      expectTypeOf(await fut).toEqualTypeOf<number>();
      expectTypeOf(await createTask(worker(1, 'a'))).toEqualTypeOf<{ n: number; label: string }>();
      expectTypeOf(await worker(1, 'a')).toEqualTypeOf<{ n: number; label: string }>();
      expectTypeOf(await awaitable(sleep(1, 'x'))).toEqualTypeOf<string>();
    });
    expectTypeOf(runUntilCompleteAsync(loop, worker(1, 'a'))).toEqualTypeOf<Promise<{ n: number; label: string }>>();
  });
});
