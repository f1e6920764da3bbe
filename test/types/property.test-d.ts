// Type behaviour of property scenarios: a scenario states its verdict with a boolean
// (returned, or returned by its coroutine or future); one that returns nothing (a
// forgotten `return`) is a type error, as it is a failed run at run time.

import { describe, expectTypeOf, it } from 'vitest';
import { sleep, type Coro, type EventLoop, type Future } from '../../src/index.js';
import { checkProperty, type Scenario } from '../../src/testing/index.js';

type M = { delay: number };

describe('Scenario', () => {
  it('takes a boolean, a coroutine of a boolean or a future of a boolean', () => {
    expectTypeOf<(m: M) => boolean>().toMatchTypeOf<Scenario<M>>();
    expectTypeOf<(m: M, loop: EventLoop) => Coro<boolean>>().toMatchTypeOf<Scenario<M>>();
    expectTypeOf<(m: M, loop: EventLoop) => Future<boolean>>().toMatchTypeOf<Scenario<M>>();
    // Unannotated generator functions are inferred, and checked, as well.
    checkProperty({}, function* main() {
      yield* sleep(1);
      return true;
    });
  });

  it('refuses a scenario that returns nothing, or something else than a boolean', () => {
    expectTypeOf<(m: M) => void>().not.toMatchTypeOf<Scenario<M>>();
    expectTypeOf<(m: M) => Coro<void>>().not.toMatchTypeOf<Scenario<M>>();
    expectTypeOf<(m: M) => Coro<string>>().not.toMatchTypeOf<Scenario<M>>();
    expectTypeOf<(m: M) => number>().not.toMatchTypeOf<Scenario<M>>();
    // @ts-expect-error: the generator forgets to return its verdict.
    checkProperty({}, function* main() {
      yield* sleep(1);
    });
  });
});
