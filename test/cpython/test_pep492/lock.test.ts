// CPython 3.13's test_asyncio/test_pep492.py, LockTests: one `it` per test method, titled
// after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import {
  asyncWith, BoundedSemaphore, Condition, EventLoop, Lock, Semaphore, sleep, type Coro,
} from '../../../src/index.js';
import { loopPerTest } from './_support.js';

let loop: EventLoop;
loopPerTest((l) => (loop = l));

type Primitive = Lock | Condition | Semaphore | BoundedSemaphore;
const primitives = (): Primitive[] => [new Lock(), new Condition(), new Semaphore(), new BoundedSemaphore()];

describe('LockTests', () => {
  it('test_context_manager_async_with — async with acquires and releases, and binds None', () => {
    function* test(lock: Primitive): Coro<void> {
      yield* sleep(0.01);
      expect(lock.locked()).toBe(false);
      yield* asyncWith(lock, function* (acquired) {
        expect(acquired).toBeUndefined();
        expect(lock.locked()).toBe(true);
        yield* sleep(0.01);
        expect(lock.locked()).toBe(true);
      });
      expect(lock.locked()).toBe(false);
    }
    for (const primitive of primitives()) {
      loop.runUntilComplete(test(primitive));
      expect(primitive.locked()).toBe(false);
    }
    expect(loop.time()).toBeCloseTo(0.08, 12);
  });

  it("test_context_manager_with_await — awaiting a lock itself is a TypeError and acquires nothing", () => {
    // Python: `with await lock:` raises TypeError "can't be used in 'await' expression".
    // A lock is not awaitable in aiosim either; JavaScript words the TypeError itself.
    function* test(lock: Primitive): Coro<void> {
      yield* sleep(0.01);
      expect(lock.locked()).toBe(false);
      let raised: unknown;
      try {
        yield* (lock as unknown as Coro<void>); // await lock
      } catch (e) {
        raised = e;
      }
      expect(raised).toBeInstanceOf(TypeError);
      expect(lock.locked()).toBe(false);
    }
    for (const primitive of primitives()) {
      loop.runUntilComplete(test(primitive));
      expect(primitive.locked()).toBe(false);
    }
  });
});
