// asyncGenerator(), asyncFor(), anext() and the generator's methods as a program uses them
// (issue 19): reprs, break/continue/return in asyncFor, "already running" from each
// method, anext's default, an exception in the loop's body. Expected values come from the
// same program run on the oracle (CPython 3.13.2).

import { describe, expect, it } from 'vitest';
import {
  anext, asyncFor, asyncGenerator, createTask, emit, getRunningLoop, KeyError, repr, run, RuntimeError, sleep, StopAsyncIteration,
  ValueError, warnings, type AsyncGen, type AsyncGeneratorObject, type Coro,
} from '../../src/index.js';

// `async def ticker(n)`: sleeps 1 s before each value; logs its finally.
function factory(log: string[]): (n: number) => AsyncGeneratorObject<number> {
  return asyncGenerator(function* ticker(n: number): AsyncGen<number> {
    try {
      for (let i = 0; i < n; i++) {
        yield* sleep(1);
        yield* emit(i);
      }
    } finally {
      log.push('ticker finally');
    }
  });
}

describe('async generators in a program', () => {
  it('behave as the same Python program does (reprs, break, continue, return, already running, anext default, errors)', () => {
    const log: string[] = [];
    const out: string[] = [];
    const ticker = factory(log);
    function* main(): Coro<void> {
      const ag = ticker(10);
      out.push(repr(ag).split(' at ')[0]!);
      out.push(repr(ag.asend(undefined)).split(' at ')[0]!);
      out.push(repr(ag.athrow(ValueError)).split(' at ')[0]!);
      const ag2 = ticker(1);
      ag2.asend(undefined).return();
      out.push(`closed unstarted asend: ${repr(yield* anext(ag2, 'done'))}`);

      function* loopBreak(): Coro<string> {
        yield* asyncFor(ag, function* (i) {
          if (i === 1) return asyncFor.CONTINUE;
          if (i === 2) return asyncFor.BREAK;
          log.push(`item ${i}`);
          return undefined;
        });
        return 'after';
      }
      out.push(`${yield* loopBreak()} ${repr(log)} ${repr(ag.agRunning)}`);

      function* loopReturn(): Coro<number | undefined> {
        const r = yield* asyncFor(ag, function* (i) {
          if (i === 4) return { return: i };
          log.push(`item ${i}`);
          return undefined;
        });
        if (r) return r.return;
        return undefined;
      }
      out.push(`${repr(yield* loopReturn())} ${repr(log)}`);

      function* consumer(): Coro<number> {
        return yield* anext(ag);
      }
      const t1 = createTask(consumer());
      yield* sleep(0);
      for (const [name, call] of [['aclose', () => ag.aclose()], ['anext', () => anext(ag)], ['athrow', () => ag.athrow(new ValueError('x'))]] as const) {
        try {
          yield* call();
        } catch (e) {
          if (!(e instanceof RuntimeError)) throw e;
          out.push(`${name}: ${e.message}`);
        }
      }
      out.push(`${repr(yield* t1)} ${repr(getRunningLoop().time())}`);
      out.push(`${repr(yield* ag.aclose())} ${repr(log)}`);
      out.push(repr(yield* anext(ag, 'dflt')));
      try {
        yield* anext(ag);
      } catch (e) {
        if (!(e instanceof StopAsyncIteration)) throw e;
        out.push(`stop ${repr(e)}`);
      }
      function* loopRaise(): Coro<void> {
        yield* asyncFor(ticker(3), function* (i) {
          throw new KeyError(i);
        });
      }
      try {
        yield* loopRaise();
      } catch (e) {
        if (!(e instanceof KeyError)) throw e;
        out.push(`raised ${repr(e)} ${repr(log)}`);
      }
    }
    warnings.catchWarnings({}, () => {
      warnings.simplefilter('ignore');
      run(main());
    });
    expect(out).toEqual([
      '<async_generator object ticker',
      '<async_generator_asend object',
      '<async_generator_athrow object',
      "closed unstarted asend: 'done'",
      "after ['item 0'] False",
      "4 ['item 0', 'item 3']",
      'aclose: aclose(): asynchronous generator is already running',
      'anext: anext(): asynchronous generator is already running',
      'athrow: athrow(): asynchronous generator is already running',
      '5 6', // CPython: 5 6.0 (JavaScript numbers do not tell floats from ints)
      "None ['item 0', 'item 3', 'ticker finally']",
      "'dflt'",
      'stop StopAsyncIteration()',
      "raised KeyError(0) ['item 0', 'item 3', 'ticker finally']",
    ]);
    // The generator the failing loop left unfinished is closed at run()'s end
    // (shutdown_asyncgens), as CPython's is by the time asyncio.run() returns.
    expect(log).toEqual(['item 0', 'item 3', 'ticker finally', 'ticker finally']);
  });
});
