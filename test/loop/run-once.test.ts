// One loop iteration (asyncio's BaseEventLoop._run_once) and the virtual clock it drives.
// Every expected trace below was printed by the quoted Python program on the oracle
// (CPython 3.13.2, virtual clock). Times are compared as numbers; Python printed them as
// floats (`0.30000000000000004`), and the same IEEE doubles are expected here.

import { describe, expect, it } from 'vitest';
import { EventLoop } from '../../src/index.js';

type Trace = [number, string][];

function recorder(loop: EventLoop): { trace: Trace; rec: (event: string) => void } {
  const trace: Trace = [];
  return { trace, rec: (event) => void trace.push([loop.time(), event]) };
}

describe('EventLoop iteration', () => {
  it('runs only the callbacks that were ready when the iteration started', () => {
    // def a(): rec('a'); loop.call_soon(c)
    // loop.call_soon(a); loop.call_soon(b)
    // loop.stop(); loop.run_forever(); rec('first run done')
    // loop.stop(); loop.run_forever(); rec('second run done')
    const loop = new EventLoop();
    const { trace, rec } = recorder(loop);
    loop.callSoon(() => {
      rec('a');
      loop.callSoon(() => rec('c'));
    });
    loop.callSoon(() => rec('b'));
    loop.stop();
    loop.runForever();
    rec('first run done');
    loop.stop();
    loop.runForever();
    rec('second run done');
    loop.close();
    expect(trace).toEqual([[0, 'a'], [0, 'b'], [0, 'first run done'], [0, 'c'], [0, 'second run done']]);
  });

  it('runs a due timer after the ready callbacks, and what it schedules in the next iteration', () => {
    // test__run_once_schedule_handle
    // def t1(): rec('t1'); loop.call_soon(s1)
    // loop.call_later(0, t1); loop.call_soon(x)
    // loop.stop(); loop.run_forever(); rec('iteration 1 done')
    // loop.stop(); loop.run_forever(); rec('iteration 2 done')
    const loop = new EventLoop();
    const { trace, rec } = recorder(loop);
    loop.callLater(0, () => {
      rec('t1');
      loop.callSoon(() => rec('s1'));
    });
    loop.callSoon(() => rec('x'));
    loop.stop();
    loop.runForever();
    rec('iteration 1 done');
    loop.stop();
    loop.runForever();
    rec('iteration 2 done');
    loop.close();
    expect(trace).toEqual([[0, 'x'], [0, 't1'], [0, 'iteration 1 done'], [0, 's1'], [0, 'iteration 2 done']]);
  });

  it('runs timers due before now + clockResolution in the same iteration', () => {
    // loop._clock_resolution = 0.5
    // for w, n in [(1.0,'a'), (1.4,'b'), (1.5,'c'), (1.6,'d'), (2.2,'e')]: loop.call_at(w, rec, n)
    // loop.call_at(3.0, loop.stop); loop.run_forever()
    const loop = new EventLoop({ clockResolution: 0.5 });
    const { trace, rec } = recorder(loop);
    for (const [w, n] of [[1.0, 'a'], [1.4, 'b'], [1.5, 'c'], [1.6, 'd'], [2.2, 'e']] as const) loop.callAt(w, rec, n);
    loop.callAt(3.0, () => loop.stop());
    loop.runForever();
    expect(trace).toEqual([[1, 'a'], [1, 'b'], [1.5, 'c'], [1.5, 'd'], [2.2, 'e']]);
    expect(loop.time()).toBe(3);
    loop.close();
  });

  it('runs a timer less than 1e-9 s in the future now with the default resolution', () => {
    // loop.call_at(1.0, rec, 'a'); loop.call_at(1.0 + 5e-10, rec, 'b')
    // loop.call_at(1.0 + 1e-9, rec, 'c'); loop.call_at(1.0 + 2e-9, rec, 'd'); loop.call_at(2, loop.stop)
    const loop = new EventLoop();
    const { trace, rec } = recorder(loop);
    loop.callAt(1.0, rec, 'a');
    loop.callAt(1.0 + 5e-10, rec, 'b');
    loop.callAt(1.0 + 1e-9, rec, 'c');
    loop.callAt(1.0 + 2e-9, rec, 'd');
    loop.callAt(2, () => loop.stop());
    loop.runForever();
    loop.close();
    expect(trace).toEqual([[1.0, 'a'], [1.0, 'b'], [1.000000001, 'c'], [1.000000001, 'd']]);
  });
});

describe('EventLoop.callLater', () => {
  it('orders negative delays by deadline, after callbacks already ready', () => {
    // test_call_later_negative_delays
    // loop.call_later(-1, rec, 'a'); loop.call_later(-2, rec, 'b'); loop.call_soon(rec, 's')
    // loop.call_later(0, rec, 'z'); loop.call_later(0.5, loop.stop); loop.run_forever()
    const loop = new EventLoop();
    const { trace, rec } = recorder(loop);
    loop.callLater(-1, rec, 'a');
    loop.callLater(-2, rec, 'b');
    loop.callSoon(rec, 's');
    loop.callLater(0, rec, 'z');
    loop.callLater(0.5, () => loop.stop());
    loop.runForever();
    loop.close();
    expect(trace).toEqual([[0, 's'], [0, 'b'], [0, 'a'], [0, 'z']]);
  });

  it('accumulates the float error of 0.1-second chains as CPython does', () => {
    // def f(n):
    //     rec(loop.time())
    //     if n < 10: loop.call_later(0.1, f, n + 1)
    //     else: loop.stop()
    // loop.call_later(0.1, f, 1); loop.run_forever()
    const loop = new EventLoop();
    const times: number[] = [];
    const f = (n: number): void => {
      times.push(loop.time());
      if (n < 10) loop.callLater(0.1, f, n + 1);
      else loop.stop();
    };
    loop.callLater(0.1, f, 1);
    loop.runForever();
    loop.close();
    expect(times).toEqual([
      0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6, 0.7, 0.7999999999999999, 0.8999999999999999, 0.9999999999999999,
    ]);
  });

  it('interleaves chains of different periods with exact float times', () => {
    // def g(name, d, n):
    //     rec(name)
    //     if n > 1: loop.call_later(d, g, name, d, n - 1)
    // loop.call_later(0.1, g, 'p', 0.1, 7); loop.call_later(0.3, g, 'q', 0.3, 3)
    // loop.call_later(0.7, g, 'r', 0.7, 1); loop.call_at(0.7, g, 's', 0, 1)
    // loop.call_later(1.0, loop.stop); loop.run_forever()
    const loop = new EventLoop();
    const { trace, rec } = recorder(loop);
    const g = (name: string, d: number, n: number): void => {
      rec(name);
      if (n > 1) loop.callLater(d, g, name, d, n - 1);
    };
    loop.callLater(0.1, g, 'p', 0.1, 7);
    loop.callLater(0.3, g, 'q', 0.3, 3);
    loop.callLater(0.7, g, 'r', 0.7, 1);
    loop.callAt(0.7, g, 's', 0, 1);
    loop.callLater(1.0, () => loop.stop());
    loop.runForever();
    loop.close();
    expect(trace).toEqual([
      [0.1, 'p'], [0.2, 'p'], [0.3, 'q'], [0.3, 'p'], [0.4, 'p'], [0.5, 'p'], [0.6, 'q'], [0.6, 'p'],
      [0.7, 's'], [0.7, 'r'], [0.7, 'p'], [0.8999999999999999, 'q'],
    ]);
  });

  it('accumulates float error from a large start time', () => {
    // loop = VirtualLoop(start=1e6)
    // def h(n): rec(loop.time()); if n < 5: loop.call_later(0.7, h, n + 1) else: loop.stop()
    const loop = new EventLoop({ start: 1e6 });
    const times: number[] = [];
    const h = (n: number): void => {
      times.push(loop.time());
      if (n < 5) loop.callLater(0.7, h, n + 1);
      else loop.stop();
    };
    loop.callLater(0.7, h, 1);
    loop.runForever();
    loop.close();
    expect(times).toEqual([1000000.7, 1000001.3999999999, 1000002.0999999999, 1000002.7999999998, 1000003.4999999998]);
  });

  it.each([
    // [start, delay, time at which the timer fires]
    [0, 200000, 200000.0],
    [0, 200000.3, 200000.3],
    [0.1, 200000.3, 200000.4],
    [0, 86400, 86400.0],
    [0, 86400.7, 86400.7],
    [0, 1e6 + 0.1, 1000000.1],
  ])('fires a timer far away (start %s, delay %s) through 86400-second waits at %s', (start, delay, expected) => {
    // loop = VirtualLoop(start=start)
    // loop.call_later(delay, lambda: (rec(loop.time()), loop.stop())); loop.run_forever()
    const loop = new EventLoop({ start });
    const times: number[] = [];
    loop.callLater(delay, () => {
      times.push(loop.time());
      loop.stop();
    });
    loop.runForever();
    expect(times).toEqual([expected]);
    expect(loop.time()).toBe(expected);
    loop.close();
  });
});

describe('EventLoop.callSoon', () => {
  it('runs callbacks first in, first out, sharing the queue with callSoonThreadsafe', () => {
    // for i in range(5):
    //     loop.call_soon(tr.append, ('soon', i)); loop.call_soon_threadsafe(tr.append, ('threadsafe', i))
    // loop.call_soon(loop.stop); loop.run_forever()
    const loop = new EventLoop();
    const trace: [string, number][] = [];
    const append = (x: [string, number]): void => void trace.push(x);
    for (let i = 0; i < 5; i++) {
      loop.callSoon(append, ['soon', i]);
      loop.callSoonThreadsafe(append, ['threadsafe', i]);
    }
    loop.callSoon(() => loop.stop());
    loop.runForever();
    loop.close();
    expect(trace).toEqual([
      ['soon', 0], ['threadsafe', 0], ['soon', 1], ['threadsafe', 1], ['soon', 2], ['threadsafe', 2],
      ['soon', 3], ['threadsafe', 3], ['soon', 4], ['threadsafe', 4],
    ]);
  });

  it('runs a threadsafe callback before a later callSoon one', () => {
    // test_call_soon_threadsafe_same_thread
    // loop.call_soon_threadsafe(tr.append, 'hello'); loop.call_soon(tr.append, 'world')
    const loop = new EventLoop();
    const trace: string[] = [];
    loop.callSoonThreadsafe((s: string) => trace.push(s), 'hello');
    loop.callSoon((s: string) => trace.push(s), 'world');
    loop.callSoon(() => loop.stop());
    loop.runForever();
    loop.close();
    expect(trace).toEqual(['hello', 'world']);
  });
});

describe('EventLoop.stop', () => {
  it('makes a following runForever run exactly one iteration without moving the clock', () => {
    // test_run_forever_pre_stopped
    // def a(): rec('a'); loop.call_soon(rec, 'b')
    // loop.call_soon(a); loop.call_later(0.5, rec, 'c')
    // loop.stop(); loop.run_forever(); rec('run 1 returned')
    // loop.call_later(1, loop.stop); loop.run_forever(); rec('run 2 returned')
    const loop = new EventLoop();
    const { trace, rec } = recorder(loop);
    loop.callSoon(() => {
      rec('a');
      loop.callSoon(rec, 'b');
    });
    loop.callLater(0.5, rec, 'c');
    loop.stop();
    loop.runForever();
    rec('run 1 returned');
    loop.callLater(1, () => loop.stop());
    loop.runForever();
    rec('run 2 returned');
    loop.close();
    expect(trace).toEqual([[0, 'a'], [0, 'run 1 returned'], [0, 'b'], [0.5, 'c'], [1, 'run 2 returned']]);
  });

  it('returns at once from a stopped runForever with nothing ready', () => {
    // loop.call_later(0.5, rec, 'c'); loop.stop(); loop.run_forever(); rec('empty run returned')
    const loop = new EventLoop();
    const { trace, rec } = recorder(loop);
    loop.callLater(0.5, rec, 'c');
    loop.stop();
    loop.runForever();
    rec('empty run returned');
    loop.close();
    expect(trace).toEqual([[0, 'empty run returned']]);
  });

  it('lets the rest of the batch run when called from a callback', () => {
    // def stopper(): rec('stop'); loop.stop(); loop.call_soon(lambda: (rec('c'), loop.stop()))
    // loop.call_soon(rec, 'a'); loop.call_soon(stopper); loop.call_soon(rec, 'b')
    // loop.run_forever(); rec('run 1 returned'); loop.run_forever(); rec('run 2 returned')
    const loop = new EventLoop();
    const { trace, rec } = recorder(loop);
    loop.callSoon(rec, 'a');
    loop.callSoon(() => {
      rec('stop');
      loop.stop();
      loop.callSoon(() => {
        rec('c');
        loop.stop();
      });
    });
    loop.callSoon(rec, 'b');
    loop.runForever();
    rec('run 1 returned');
    loop.runForever();
    rec('run 2 returned');
    loop.close();
    expect(trace).toEqual([[0, 'a'], [0, 'stop'], [0, 'b'], [0, 'run 1 returned'], [0, 'c'], [0, 'run 2 returned']]);
  });

  it('lets timers due at the same time run when called from a timer', () => {
    // loop.call_later(1, lambda: (rec('t1'), loop.stop())); loop.call_later(1, rec, 't1b')
    // loop.call_later(2, lambda: (rec('t2'), loop.stop()))
    // loop.run_forever(); rec('run 1 returned'); loop.run_forever(); rec('run 2 returned')
    const loop = new EventLoop();
    const { trace, rec } = recorder(loop);
    loop.callLater(1, () => {
      rec('t1');
      loop.stop();
    });
    loop.callLater(1, rec, 't1b');
    loop.callLater(2, () => {
      rec('t2');
      loop.stop();
    });
    loop.runForever();
    rec('run 1 returned');
    loop.runForever();
    rec('run 2 returned');
    loop.close();
    expect(trace).toEqual([[1, 't1'], [1, 't1b'], [1, 'run 1 returned'], [2, 't2'], [2, 'run 2 returned']]);
  });
});

describe('EventLoop start option', () => {
  it('starts the clock at `start` and runs timers already due at once', () => {
    // loop = VirtualLoop(start=5.5); tr = [loop.time()]
    // loop.call_later(1.25, lambda: (tr.append(loop.time()), loop.stop()))
    // loop.call_at(6, lambda: tr.append(('at6', loop.time())))
    // loop.call_at(1, lambda: tr.append(('at1', loop.time())))
    const loop = new EventLoop({ start: 5.5 });
    const trace: unknown[] = [loop.time()];
    loop.callLater(1.25, () => {
      trace.push(loop.time());
      loop.stop();
    });
    loop.callAt(6, () => trace.push(['at6', loop.time()]));
    loop.callAt(1, () => trace.push(['at1', loop.time()]));
    loop.runForever();
    loop.close();
    expect(trace).toEqual([5.5, ['at1', 5.5], ['at6', 6.0], 6.75]);
  });

  it('starts at 0 by default', () => {
    const loop = new EventLoop();
    expect(loop.time()).toBe(0);
    loop.close();
  });
});
