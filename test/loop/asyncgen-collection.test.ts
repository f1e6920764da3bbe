// Async generators at the collection points and at shutdown (src/loop/asyncgen-collection.ts,
// src/loop/asyncgens.ts): where aiosim cannot see references, what it decides (docs/divergences.md,
// "Collection timing" and "Set order"). Expected orders come from the oracle (CPython 3.13.2).

import { describe, expect, it } from 'vitest';
import { _getAsyncgenHooks } from '../../src/task/asyncgen-hooks.js';
import {
  anext, asyncFor, asyncGenerator, emit, gcCollect, getRunningLoop, run, sleep, warnings, type AsyncGen, type AsyncGeneratorObject, type Coro,
} from '../../src/index.js';

function logged(): { log: string[]; gen: (name: string) => AsyncGeneratorObject<number> } {
  const log: string[] = [];
  const gen = asyncGenerator(function* gen(name: string): AsyncGen<number> {
    try {
      yield* emit(1);
      yield* emit(2);
    } finally {
      log.push(`${name} finally`);
      yield* sleep(0);
      log.push(`${name} closed`);
    }
  });
  return { log, gen };
}

describe('the loop\'s async generator hooks', () => {
  it('are installed while the loop runs, with BaseEventLoop\'s names', () => {
    const names = run((function* main(): Coro<(string | undefined)[]> {
      const hooks = _getAsyncgenHooks();
      return [hooks.firstiter?.name, hooks.finalizer?.name];
    })());
    expect(names).toEqual(['BaseEventLoop._asyncgen_firstiter_hook', 'BaseEventLoop._asyncgen_finalizer_hook']);
    expect(_getAsyncgenHooks()).toEqual({ firstiter: undefined, finalizer: undefined });
  });
});

describe('async generators at collection points', () => {
  it('frees an unfinished generator at gcCollect(), its aclose() scheduled by the loop finalizer hook, as CPython frees one dropped', () => {
    const { log, gen } = logged();
    function* main(): Coro<void> {
      const a = gen('a');
      yield* anext(a);
      gcCollect();
      log.push('collected');
      yield* sleep(0);
      log.push('slept');
      yield* sleep(0);
      log.push('slept2');
    }
    run(main());
    expect(log).toEqual(['collected', 'slept', 'a finally', 'slept2', 'a closed']);
  });

  it('frees it at gcCollect() even while the program still holds it (aiosim cannot see the reference)', () => {
    const { log, gen } = logged();
    function* main(): Coro<void> {
      const a = gen('a');
      yield* anext(a);
      gcCollect();
      yield* sleep(0);
      yield* sleep(0);
      yield* sleep(0);
      log.push(`next: ${String(yield* anext(a, 'exhausted'))}`);
    }
    run(main());
    expect(log).toEqual(['a finally', 'a closed', 'next: exhausted']);
  });

  it('does not free a generator an asyncFor loop iterates', () => {
    const { log, gen } = logged();
    function* main(): Coro<void> {
      yield* asyncFor(gen('a'), function* (i) {
        gcCollect();
        yield* sleep(0);
        log.push(`item ${i}`);
      });
    }
    run(main());
    expect(log).toEqual(['item 1', 'item 2', 'a finally', 'a closed']);
  });
});

describe('async generator awaitables never awaited', () => {
  it("reports each at the end of run(): coroutine method 'asend' of 'gen' was never awaited", () => {
    const gen = asyncGenerator(function* gen(): AsyncGen<number> {
      yield* emit(1);
    });
    const shown: string[] = [];
    function* main(): Coro<void> {
      const g = gen();
      g.asend(undefined);
      g.athrow(new Error());
      g.aclose();
    }
    warnings.catchWarnings({}, () => {
      warnings.simplefilter('always');
      warnings.showwarning = (m, c) => shown.push(`${c.name} ${String(m)}`);
      run(main());
    });
    expect(shown).toEqual([
      "RuntimeWarning coroutine method 'asend' of 'gen' was never awaited",
      "RuntimeWarning coroutine method 'athrow' of 'gen' was never awaited",
      "RuntimeWarning coroutine method 'aclose' of 'gen' was never awaited",
    ]);
  });
});

describe('async generators at shutdown', () => {
  it('closes the unfinished generators in the order they were first iterated', () => {
    const { log, gen } = logged();
    const keep: AsyncGeneratorObject<number>[] = [];
    function* main(): Coro<void> {
      const b = gen('b');
      const c = gen('c');
      yield* anext(c);
      yield* anext(b);
      keep.push(b, c);
    }
    run(main());
    expect(log).toEqual(['c finally', 'b finally', 'c closed', 'b closed']);
  });

  it("drops a finished generator from the loop's set when it finishes, even one the program holds (shutdown_asyncgens then closes nothing)", () => {
    const seen: string[] = [];
    const gen = asyncGenerator(function* gen(): AsyncGen<number> {
      yield* emit(1);
    });
    function cb(n: number): void {
      seen.push(`cb ${n}`);
      if (n < 6) getRunningLoop().callSoon(cb, n + 1);
    }
    const keep: AsyncGeneratorObject<number>[] = [];
    function* main(): Coro<void> {
      const ag = gen();
      yield* asyncFor(ag, function* () {});
      keep.push(ag);
      seen.push(`registered ${getRunningLoop()._asyncgens.size}`);
      getRunningLoop().callSoon(cb, 0);
    }
    run(main());
    // CPython, holding `ag`, still counts it (1) and runs cb 0..6 while shutdown_asyncgens
    // gathers its aclose(); dropped, as here, cb 0..4.
    expect(seen).toEqual(['registered 0', 'cb 0', 'cb 1', 'cb 2', 'cb 3', 'cb 4']);
  });
});
