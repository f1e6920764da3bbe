// Exception chaining as JavaScript spells it: `new X(msg, { cause })` is Python's
// `raise X(msg) from cause`, and what aiosim chains (causes, contexts) and Python's `args`
// are not own enumerable fields that test runners would print as data.

import { describe, expect, it } from 'vitest';
import { CancelledError, EventLoop, sleep, TimeoutError, ValueError, waitFor, type Coro } from '../../src/index.js';
import { LoopCheckError, loopFixture, type FixtureContext } from '../../src/testing/index.js';
import { captureStderr } from '../_support/stderr.js';

describe('exception chaining', () => {
  it("takes a last { cause } argument as the options of JavaScript's errors, not as one of Python's args", () => {
    const inner = new CancelledError();
    const e = new ValueError('outer', { cause: inner });
    expect([e.message, e.args, e.cause]).toEqual(['outer', ['outer'], inner]);
    // Any other object is one of the args, as in Python.
    const f = new ValueError('x', { cause: 1, other: 2 });
    expect([f.message, f.args.length, f.cause]).toEqual(["('x', {'cause': 1, 'other': 2})", 2, undefined]);
  });

  it("keeps args, and the cause and context aiosim sets, off the exception's own enumerable fields", () => {
    const loop = new EventLoop();
    const te = loop.runUntilComplete((function* main(): Coro<unknown> {
      try {
        yield* waitFor(sleep(5), 0.1);
      } catch (e) {
        return e;
      }
      return undefined;
    })()) as TimeoutError & { __context__?: unknown };
    loop.close();
    expect(te).toBeInstanceOf(TimeoutError);
    expect(te.cause).toBeInstanceOf(CancelledError);
    expect(te.__context__).toBe(te.cause);
    expect(Object.keys(te)).toEqual(['name']);
    expect(Object.getOwnPropertyNames(te)).not.toContain('args');
  });
});

describe('LoopCheckError', () => {
  function* fails(): Coro<void> {
    yield* sleep(0.1);
    throw new ValueError('oops', { cause: new CancelledError() });
  }

  it("fails a loopFixture test from vitest's end-of-test hook once, with a cause that is the exception's text and stack", async () => {
    let finished: ((context: FixtureContext) => void) | undefined;
    const fixture = loopFixture();
    await fixture({ task: {}, onTestFinished: (fn) => { finished = fn; } }, async (loop) => {
      loop.createTask(fails());
      loop.advance(1);
    });
    expect(finished).toBeTypeOf('function');
    let error: unknown;
    captureStderr(() => {
      try {
        finished!({ task: { result: { state: 'pass' } } });
      } catch (e) {
        error = e;
      }
    });
    expect(error).toBeInstanceOf(LoopCheckError);
    const check = error as LoopCheckError;
    expect(check.problems).toHaveLength(1);
    expect(check.problems[0]!.exception).toBeInstanceOf(ValueError);
    // The cause stands for the exception without its chain; the problem keeps the object.
    expect(check.cause).not.toBe(check.problems[0]!.exception);
    expect([(check.cause as Error).name, (check.cause as Error).message]).toEqual(['ValueError', 'oops']);
    expect((check.cause as Error).stack).toBe((check.problems[0]!.exception as Error).stack);
    expect(Object.getOwnPropertyNames(check).filter((k) => !['stack', 'message', 'name', 'cause'].includes(k))).toEqual([]);
  });

  it('still fails from the teardown without such a hook', async () => {
    const fixture = loopFixture();
    await expect(fixture({ task: { result: { state: 'pass' } } }, async (loop) => {
      loop.createTask(fails());
      loop.advance(1);
    })).rejects.toBeInstanceOf(LoopCheckError);
  });
});
