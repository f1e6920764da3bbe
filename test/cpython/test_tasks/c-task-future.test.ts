// CPython 3.13's test_asyncio/test_tasks.py, CTask_Future_Tests: one `it` per test method,
// titled after it. Module notes and shared helpers: ./_support.ts.

import { beforeEach, describe, expect, it } from 'vitest';
import { EventLoop, Future, setEventLoop, type Coro } from '../../../src/index.js';

// test_utils.TestCase.setUp: no current event loop (the tests pass theirs explicitly).
beforeEach(() => {
  setEventLoop(undefined);
});

describe('CTask_Future_Tests', () => {
  it('test_foobar — a task awaits a Future subclass whose get_loop is broken (the task uses the future\'s loop slot)', () => {
    class Fut<T> extends Future<T> {
      override getLoop(): never {
        throw new TypeError('get_loop is broken');
      }
    }
    function* coro(): Coro<string> {
      yield* fut;
      return 'spam';
    }
    const loop = new EventLoop();
    let res: string;
    const fut = new Fut<number>({ loop });
    try {
      loop.callLater(0.1, () => fut.setResult(1));
      const task = loop.createTask(coro());
      res = loop.runUntilComplete(task);
    } finally {
      loop.close();
    }
    expect(res).toBe('spam');
  });
});
