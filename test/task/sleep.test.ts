// Expected values come from running the same program on CPython 3.13.2 (pyodide).

import { describe, expect, it } from 'vitest';
import { CancelledError, createTask, EventLoop, sleep, ValueError, type Coro } from '../../src/index.js';

import { normaliseSites } from '../_support/capture.js';

describe('sleep', () => {
  it('yields once for zero or negative delays and waits on a timer otherwise', () => {
    const loop = new EventLoop();
    const trace: unknown[] = [];
    function* main(): Coro<void> {
      loop.callSoon(() => trace.push(['cb', loop.time()]));
      trace.push(['s0', yield* sleep(0, 10), loop.time()]);
      trace.push(['s1', yield* sleep(1.5, 'x'), loop.time()]);
      trace.push(['neg', yield* sleep(-1), loop.time()]);
      const t = createTask(sleep(5));
      yield* sleep(1);
      trace.push(normaliseSites(String(loop._scheduled[0])));
      t.cancel('stop');
      try {
        yield* t;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        trace.push(['cancelled', e.args, loop.time(), loop._scheduled.map((h) => h.cancelled())]);
      }
    }
    loop.runUntilComplete(main());
    expect(trace).toEqual([
      ['cb', 0],
      ['s0', 10, 0],
      ['s1', 'x', 1.5],
      ['neg', undefined, 1.5],
      '<TimerHandle when=6.5 _set_result_unless_cancelled() at F:L>',
      ['cancelled', ['stop'], 2.5, []],
    ]);
    loop.close();
  });

  it('rejects NaN and non-number delays with CPython messages', () => {
    const loop = new EventLoop();
    function* nan(): Coro<void> {
      yield* sleep(Number.NaN);
    }
    function* none(): Coro<void> {
      yield* sleep(undefined as unknown as number);
    }
    expect(() => loop.runUntilComplete(nan())).toThrow(new ValueError('Invalid delay: NaN (not a number)'));
    expect(() => loop.runUntilComplete(none())).toThrow(/^'<=' not supported between instances of 'NoneType' and 'int'$/);
    loop.close();
  });
});
