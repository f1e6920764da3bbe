// Type behaviour of the combinators: `yield* gather(...)` infers the tuple of results,
// returnExceptions widens it, waitFor/shield keep T, asCompleted hands out Coro<T>,
// wait() returns the (done, pending) pair of sets and run() returns main's result.

import { describe, expectTypeOf, it } from 'vitest';
import {
  asCompleted, gather, run, shield, wait, waitFor, type Coro, type Future, type GatheringFuture, type Task,
} from '../../src/index.js';

declare const fnum: Future<number>;
declare const fstr: Future<string>;
declare const tbool: Task<boolean>;
declare const tnum: Task<number>;
declare const tnum2: Task<number>;

function* annotated(): Coro<{ id: number }> {
  return { id: 1 };
}

// Unannotated: TypeScript infers the generator type from the body.
function* unannotated() {
  const s = yield* fstr;
  return s.length;
}

describe('gather', () => {
  it('infers the tuple of results of Futures, Tasks and coroutines, in argument order', () => {
    function* main(): Coro<void> {
      const futs = yield* gather(fnum, fstr);
      expectTypeOf(futs).toEqualTypeOf<[number, string]>();
      const tasks = yield* gather(tbool, tnum);
      expectTypeOf(tasks).toEqualTypeOf<[boolean, number]>();
      const coros = yield* gather(annotated(), unannotated());
      expectTypeOf(coros).toEqualTypeOf<[{ id: number }, number]>();
      const mixed = yield* gather(fnum, tbool, annotated());
      expectTypeOf(mixed).toEqualTypeOf<[number, boolean, { id: number }]>();
      const [a, b] = yield* gather(fstr, tnum);
      expectTypeOf(a).toEqualTypeOf<string>();
      expectTypeOf(b).toEqualTypeOf<number>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });

  it('returns a GatheringFuture of the tuple', () => {
    expectTypeOf(gather(fnum, tbool)).toEqualTypeOf<GatheringFuture<[number, boolean]>>();
  });

  it('infers an empty tuple for no awaitables', () => {
    function* main(): Coro<void> {
      const r = yield* gather();
      expectTypeOf(r).toEqualTypeOf<[]>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });

  it('widens every element to unknown with returnExceptions (an element may be an exception)', () => {
    function* main(): Coro<void> {
      const r = yield* gather(fnum, tbool, annotated(), { returnExceptions: true });
      expectTypeOf(r).toEqualTypeOf<[unknown, unknown, unknown]>();
      const narrow = yield* gather(fnum, tbool, { returnExceptions: false });
      expectTypeOf(narrow).toEqualTypeOf<[number, boolean]>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });

  it('infers the tuple for an array literal, and T[] for an array variable (the array form)', () => {
    const tasks: Task<number>[] = [tnum, tnum2];
    function* main(): Coro<void> {
      const lit = yield* gather([fnum, tbool, annotated()]);
      expectTypeOf(lit).toEqualTypeOf<[number, boolean, { id: number }]>();
      const many = yield* gather(tasks);
      expectTypeOf(many).toEqualTypeOf<number[]>();
      const empty = yield* gather([]);
      expectTypeOf(empty).toEqualTypeOf<[]>();
      const narrow = yield* gather([fstr, tnum], { returnExceptions: false });
      expectTypeOf(narrow).toEqualTypeOf<[string, number]>();
      const wide = yield* gather(tasks, { returnExceptions: true });
      expectTypeOf(wide).toEqualTypeOf<unknown[]>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
    expectTypeOf(gather([fnum, tbool])).toEqualTypeOf<GatheringFuture<[number, boolean]>>();
  });
});

describe('waitFor and shield', () => {
  it('waitFor infers T for a coroutine, a Future and a Task', () => {
    function* main(): Coro<void> {
      const a = yield* waitFor(annotated(), 1);
      expectTypeOf(a).toEqualTypeOf<{ id: number }>();
      const b = yield* waitFor(unannotated(), 1);
      expectTypeOf(b).toEqualTypeOf<number>();
      const c = yield* waitFor(fstr, undefined);
      expectTypeOf(c).toEqualTypeOf<string>();
      const d = yield* waitFor(tbool, { timeout: 2 });
      expectTypeOf(d).toEqualTypeOf<boolean>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });

  it('shield returns Future<T> and yield* on it infers T', () => {
    expectTypeOf(shield(tbool)).toEqualTypeOf<Future<boolean>>();
    function* main(): Coro<void> {
      const a = yield* shield(tbool);
      expectTypeOf(a).toEqualTypeOf<boolean>();
      const b = yield* shield(annotated());
      expectTypeOf(b).toEqualTypeOf<{ id: number }>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });
});

describe('asCompleted', () => {
  it('hands out Coro<T> whose yield* infers T', () => {
    function* main(): Coro<void> {
      for (const c of asCompleted([fnum, tnum])) {
        expectTypeOf(c).toEqualTypeOf<Coro<number>>();
        const r = yield* c;
        expectTypeOf(r).toEqualTypeOf<number>();
      }
      for (const c of asCompleted([annotated(), annotated()], { timeout: 1 })) {
        expectTypeOf(c).toEqualTypeOf<Coro<{ id: number }>>();
      }
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });

  it('gives the union of the result types for mixed awaitables', () => {
    function* main(): Coro<void> {
      for (const c of asCompleted([fnum, fstr, tbool])) {
        expectTypeOf(c).toEqualTypeOf<Coro<number | string | boolean>>();
      }
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });
});

describe('wait', () => {
  it('gives the (done, pending) pair of Set<Future<T>>', () => {
    function* main(): Coro<void> {
      const [done, pending] = yield* wait([tnum, tnum2]);
      expectTypeOf(done).toEqualTypeOf<Set<Future<number>>>();
      expectTypeOf(pending).toEqualTypeOf<Set<Future<number>>>();
      const pair = yield* wait([tnum, tnum2], { returnWhen: 'FIRST_COMPLETED' });
      expectTypeOf(pair).toEqualTypeOf<[Set<Future<number>>, Set<Future<number>>]>();
    }
    expectTypeOf(main).returns.toEqualTypeOf<Coro<void>>();
  });
});

describe('run', () => {
  it('returns the result type of main', () => {
    expectTypeOf(run(annotated())).toEqualTypeOf<{ id: number }>();
    expectTypeOf(run(unannotated())).toEqualTypeOf<number>();
    function* main() {
      const [n, s] = yield* gather(fnum, fstr);
      return { n, s };
    }
    expectTypeOf(run(main())).toEqualTypeOf<{ n: number; s: string }>();
  });
});
