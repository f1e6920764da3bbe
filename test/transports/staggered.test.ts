// Ports of CPython 3.13's test_staggered: staggered_race, the helper behind
// createConnection's happy eyeballs.

import { describe, expect, it } from 'vitest';
import { CancelledError, getRunningLoop, run, sleep, ValueError, type Coro } from '../../src/index.js';
import { staggeredRace, type StaggeredResult } from '../../src/transports/staggered.js';

function race(fns: (() => Coro<string>)[], delay: number | undefined): StaggeredResult<string> {
  return run((function* main() {
    return yield* staggeredRace(fns, delay, getRunningLoop());
  })());
}

function* coro(index: number, fail?: (i: number) => Coro<void>): Coro<string> {
  if (fail) yield* fail(index);
  return `Res: ${index}`;
}

describe('staggeredRace (test_staggered.StaggeredTests)', () => {
  it('returns no winner for no coroutine (test_empty)', () => {
    expect(race([], undefined)).toEqual([undefined, undefined, []]);
  });

  it('takes the first success and starts no other (test_one_successful)', () => {
    expect(race([() => coro(0), () => coro(1)], undefined)).toEqual(['Res: 0', 0, [undefined]]);
  });

  it('starts the next one when the previous failed (test_first_error_second_successful)', () => {
    // eslint-disable-next-line require-yield
    const [winner, index, excs] = race([0, 1].map((i) => () => coro(i, function* (j) {
      if (j === 0) throw new ValueError(j);
    })), undefined);
    expect([winner, index, excs.length]).toEqual(['Res: 1', 1, 2]);
    expect(excs[0]).toBeInstanceOf(ValueError);
    expect(excs[1]).toBeUndefined();
  });

  it('starts the next one after the delay and cancels the slow one (test_first_timeout_second_successful)', () => {
    const [winner, index, excs] = race([0, 1].map((i) => () => coro(i, function* (j) {
      if (j === 0) yield* sleep(10);
    })), 0.1);
    expect([winner, index, excs.length]).toEqual(['Res: 1', 1, 2]);
    expect(excs[0]).toBeInstanceOf(CancelledError);
    expect(excs[1]).toBeUndefined();
  });

  it('returns every exception when none succeeds (test_none_successful)', () => {
    // eslint-disable-next-line require-yield
    const [winner, index, excs] = race([0, 1].map((i) => () => coro(i, function* (j) {
      throw new ValueError(j);
    })), undefined);
    expect([winner, index, excs.length]).toEqual([undefined, undefined, 2]);
    expect(excs[0]).toBeInstanceOf(ValueError);
    expect(excs[1]).toBeInstanceOf(ValueError);
  });
});
