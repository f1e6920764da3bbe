// Expected values come from running the same program on CPython 3.13.2 (pyodide).

import { describe, expect, it } from 'vitest';
import { CancelledError, createTask, EventLoop, repr, sleep, ValueError, type Coro } from '../../src/index.js';

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

  it("reprs a task running sleep() with a site in aiosim's sleep.ts, where CPython's points into asyncio/tasks.py", () => {
    // async def main():
    //     t = asyncio.create_task(asyncio.sleep(1)); await asyncio.sleep(0); print(t); print(t.get_coro())
    //     t.cancel(); await asyncio.sleep(0); print(t)
    //     t2 = asyncio.create_task(asyncio.sleep(0)); print(t2); await asyncio.sleep(0); print(t2); await t2
    // CPython 3.13.2:
    //   <Task pending name='Task-2' coro=<sleep() running at …/asyncio/tasks.py:718> wait_for=<Future pending cb=[Task.task_wakeup()]>>
    //   <coroutine object sleep at 0x…>
    //   <Task cancelled name='Task-2' coro=<sleep() done, defined at …/asyncio/tasks.py:703>>
    //   <Task pending name='Task-3' coro=<sleep() running at …/asyncio/tasks.py:703>>
    //   <Task pending name='Task-3' coro=<sleep() running at …/asyncio/tasks.py:706>>
    const loop = new EventLoop();
    const out: string[] = [];
    loop.runUntilComplete((function* main(): Coro<void> {
      const t = createTask(sleep(1));
      yield* sleep(0);
      out.push(repr(t), repr(t.getCoro()));
      t.cancel();
      yield* sleep(0);
      out.push(repr(t));
      const t2 = createTask(sleep(0));
      out.push(repr(t2));
      yield* sleep(0);
      out.push(repr(t2));
      yield* t2;
    })());
    loop.close();
    const defined = /^src\/task\/sleep\.ts:\d+$/;
    const sites = out.map((line) => / at (\S+?)>/.exec(line)?.[1] ?? '');
    expect(sites.every((site, i) => i === 1 || defined.test(site))).toBe(true);
    // Before it starts and once done, the definition of sleep(); while it runs, the method stepping it.
    expect(sites[2]).toBe(sites[3]);
    expect(sites[0]).toBe(sites[4]);
    expect(sites[0]).not.toBe(sites[2]);
    const norm = (line: string): string => line.replace(/ at src\/task\/sleep\.ts:\d+/, ' at S').replace(/0x[0-9a-f]+/, '0x?').replace(/Task-\d+/, 'Task-?');
    expect(out.map(norm)).toEqual([
      "<Task pending name='Task-?' coro=<sleep() running at S> wait_for=<Future pending cb=[Task.task_wakeup()]>>",
      '<coroutine object sleep at 0x?>',
      "<Task cancelled name='Task-?' coro=<sleep() done, defined at S>>",
      "<Task pending name='Task-?' coro=<sleep() running at S>>",
      "<Task pending name='Task-?' coro=<sleep() running at S>>",
    ]);
  });
});
