// PEP 479: a StopIteration escaping a coroutine becomes RuntimeError('coroutine raised
// StopIteration') caused by it, for tasks and for coroutine(fn) coroutines awaited inline.
// Expectations are CPython 3.13.2's output (the oracle) for the quoted programs; the
// frames of a plain generator's chain are a documented divergence (docs/divergences.md,
// "PEP 479 and plain generators").

import { describe, expect, it } from 'vitest';
import { coroutine, createTask, repr, run, RuntimeError, sleep, StopIteration, type Coro } from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';

function describeExc(e: unknown): string {
  const err = e as Error & { __context__?: unknown };
  return `${repr(e)} cause=${repr(err.cause)} context=${repr(err.__context__)}`;
}

describe('PEP 479', () => {
  it('turns a StopIteration raised by a coroutine into RuntimeError, inline and as a task', () => {
    // async def bad(): raise StopIteration(5)
    // async def main():
    //     try: await bad()
    //     except BaseException as e: print('inline', repr(e), repr(e.__cause__), repr(e.__context__), e.__suppress_context__)
    //     t = asyncio.create_task(bad())
    //     try: await t
    //     except BaseException as e: print('task', repr(e), repr(e.__cause__), repr(e.__context__), e.__suppress_context__)
    //     print(repr(t))
    // asyncio.run(main())
    // CPython 3.13.2:
    //   inline RuntimeError('coroutine raised StopIteration') StopIteration(5) StopIteration(5) True
    //   task RuntimeError('coroutine raised StopIteration') StopIteration(5) StopIteration(5) True
    //   <Task finished name='Task-2' coro=<bad() done, defined at …:2> exception=RuntimeError('coroutine raised StopIteration')>
    const out: string[] = [];
    const bad = coroutine(function* bad(): Coro<void> {
      throw new StopIteration(5);
    });
    run(coroutine(function* main(): Coro<void> {
      try {
        yield* bad();
      } catch (e) {
        expect(e).toBeInstanceOf(RuntimeError);
        expect((e as Error).message).toMatch(/^coroutine raised StopIteration$/);
        out.push(`inline ${describeExc(e)}`);
      }
      const t = createTask(bad());
      try {
        yield* t;
      } catch (e) {
        out.push(`task ${describeExc(e)}`);
      }
      out.push(normaliseSites(repr(t)));
    })());
    expect(out).toEqual([
      "inline RuntimeError('coroutine raised StopIteration') cause=StopIteration(5) context=StopIteration(5)",
      "task RuntimeError('coroutine raised StopIteration') cause=StopIteration(5) context=StopIteration(5)",
      "<Task finished name='Task-2' coro=<bad() done, defined at F:L> exception=RuntimeError('coroutine raised StopIteration')>",
    ]);
  });

  it('converts for a task whose coroutine is a plain generator, which its own frames see unconverted', () => {
    // The task's step converts what escapes the whole chain; a frame in between sees the
    // StopIteration (CPython's `mid` would see the RuntimeError).
    const seen: string[] = [];
    function* bad(): Coro<void> {
      throw new StopIteration(5);
    }
    function* mid(): Coro<void> {
      try {
        yield* bad();
      } catch (e) {
        seen.push(`mid saw ${repr(e)}`);
        throw e;
      }
    }
    const result = run(coroutine(function* main(): Coro<string> {
      const t = createTask(mid());
      try {
        yield* t;
      } catch (e) {
        return describeExc(e);
      }
      return 'no error';
    })());
    expect(seen).toEqual(['mid saw StopIteration(5)']);
    expect(result).toBe("RuntimeError('coroutine raised StopIteration') cause=StopIteration(5) context=StopIteration(5)");
  });

  it('converts a StopIteration a closing coroutine raises, and lets one thrown into an unstarted coroutine through', () => {
    // c = bad(); c.throw(StopIteration(1))   -> StopIteration(1) None
    // async def cl():
    //     try: await asyncio.sleep(0)
    //     finally: raise StopIteration(2)
    // c = cl(); c.send(None); c.close()      -> RuntimeError('coroutine raised StopIteration') StopIteration(2)
    const bad = coroutine(function* bad(): Coro<void> {
      throw new StopIteration(5);
    });
    const cl = coroutine(function* cl(): Coro<void> {
      try {
        yield* sleep(0);
      } finally {
        // eslint-disable-next-line no-unsafe-finally
        throw new StopIteration(2);
      }
    });
    const outcome = (fn: () => unknown): string => {
      try {
        fn();
        return 'no error';
      } catch (e) {
        return `${repr(e)} ${repr((e as Error).cause)}`;
      }
    };
    const c1 = bad();
    const c2 = cl();
    c2.next();
    expect([outcome(() => c1.throw(new StopIteration(1))), outcome(() => c2.return(undefined))]).toEqual([
      'StopIteration(1) None',
      "RuntimeError('coroutine raised StopIteration') StopIteration(2)",
    ]);
  });
});
