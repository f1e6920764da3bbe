// Simulated threads (threading.Thread, get_ident, current_thread, main_thread).
// Expected values come from native CPython 3.13.0 where it is deterministic (names,
// error texts, the order of events in /tmp probes run on a virtual-clock loop whose
// selector lets threads run only while the loop waits); the timeline of atomic and
// generator bodies follows aiosim's documented simulation semantics (src/executor/thread.ts).

import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  blockingSleep, EventLoop, getEventLoop, getRunningLoop, repr, run, RuntimeError, setEventLoop, sleep, threading, ValueError,
  world, type Coro,
} from '../../src/index.js';
import { _getCurrentLoop } from '../../src/events/running-loop.js';
import { _setCurrentThreadIdent, MAIN_THREAD_IDENT } from '../../src/runtime/thread-ident.js';
import { collectGarbage, nextJob } from '../_support/gc.js';
import { runScenario, type TraceEvent } from '../_support/scenario.js';
import { captureStderr } from '../_support/stderr.js';

const { Thread } = threading;

afterEach(() => {
  world._reset();
  _setCurrentThreadIdent(MAIN_THREAD_IDENT);
  vi.restoreAllMocks();
});

/** The N of a default `Thread-N …` name. */
function threadNumber(name: string): number {
  const m = /^Thread-(\d+)/.exec(name);
  if (m === null) throw new Error(`not a default thread name: ${name}`);
  return Number(m[1]);
}

describe('Thread', () => {
  it('is neither started nor alive before start() and has no ident', () => {
    // threading.Thread(target=work): name 'Thread-N (work)', ident None, is_alive() False,
    // repr '<Thread(Thread-N (work), initial)>'
    const t = new Thread({ target: function work() {} });
    expect(t.name).toMatch(/^Thread-\d+ \(work\)$/);
    expect(t.ident).toBe(undefined);
    expect(t.isAlive()).toBe(false);
    expect(String(t)).toBe(`<Thread(${t.name}, initial)>`);
    expect(String(new Thread({ name: 'd', daemon: true }))).toBe('<Thread(d, initial daemon)>');
  });

  it('numbers default names consecutively; an explicit name does not use a number', () => {
    // CPython 3.13: Thread(target=f), Thread(target=lambda: None), Thread(), Thread(name='w'),
    // Thread(target=boom) -> 'Thread-1 (f)', 'Thread-2 (<lambda>)', 'Thread-3', 'w', 'Thread-4 (boom)'
    const a = new Thread({ target: function f() {} });
    const n = threadNumber(a.name);
    const b = new Thread();
    const c = new Thread({ name: 'w' });
    const d = new Thread({ target: function boom() {} });
    expect([a.name, b.name, c.name, d.name]).toEqual([`Thread-${n} (f)`, `Thread-${n + 1}`, 'w', `Thread-${n + 2} (boom)`]);
  });

  it('runs its body when the loop next waits and is alive until the body ends', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const t = new Thread({ target: function work(a: number, b: number) { log(`work ${a + b} alive=${t.isAlive()}`); }, args: [1, 2] });
      loop.callSoon(log, 'callSoon');
      t.start();
      log(`started alive=${t.isAlive()}`);
      yield* sleep(0);
      log(`after sleep(0) alive=${t.isAlive()}`);
    });
    expect(trace).toEqual([
      [0, 'started alive=true'],
      [0, 'work 3 alive=true'],
      [0, 'callSoon'],
      [0, 'after sleep(0) alive=false'],
      ['return', 'None'],
    ]);
  });

  it('gives a started thread its own ident, seen by getIdent() and currentThread() inside it', () => {
    const seen: unknown[] = [];
    const t = new Thread({
      target: function body() {
        seen.push(threading.getIdent(), threading.currentThread());
      },
    });
    t.start();
    expect(typeof t.ident).toBe('number');
    expect(t.ident).not.toBe(threading.getIdent());
    expect(String(t)).toBe(`<Thread(${t.name}, started ${t.ident})>`);
    t.join();
    expect(seen[0]).toBe(t.ident);
    expect(seen[1]).toBe(t);
    expect(threading.currentThread()).toBe(threading.mainThread());
    expect(String(t)).toBe(`<Thread(${t.name}, stopped ${t.ident})>`);
  });

  it('runs a subclass run() method as the body', () => {
    const seen: string[] = [];
    class Worker extends Thread {
      override run(): void {
        seen.push(threading.currentThread().name);
      }
    }
    const w = new Worker({ name: 'worker' });
    w.start();
    w.join();
    expect(seen).toEqual(['worker']);
  });

  it('refuses a second start, a join before start and a join of the current thread', () => {
    const errors: unknown[] = [];
    const t = new Thread({
      target: function selfJoin() {
        try {
          threading.currentThread().join();
        } catch (e) {
          errors.push(e);
        }
      },
    });
    expect(() => t.join()).toThrow(RuntimeError);
    expect(() => t.join()).toThrow(/^cannot join thread before it is started$/);
    t.start();
    expect(() => t.start()).toThrow(RuntimeError);
    expect(() => t.start()).toThrow(/^threads can only be started once$/);
    t.join();
    expect(errors.map(repr)).toEqual(["RuntimeError('cannot join current thread')"]);
    expect(() => threading.mainThread().join()).toThrow(/^cannot join current thread$/);
  });

  it("refuses a join timeout that is not a number, or NaN, with CPython 3.13's errors", () => {
    // t = threading.Thread(target=lambda: None); t.start()
    // t.join('1') -> TypeError; t.join(float('nan')) -> ValueError; t.join(-1) returns
    const t = new Thread({ target: () => undefined });
    t.start();
    expect(() => t.join('1' as never)).toThrow(TypeError);
    expect(() => t.join('1' as never)).toThrow(/^'>' not supported between instances of 'int' and 'str'$/);
    expect(() => t.join(NaN)).toThrow(ValueError);
    expect(() => t.join(NaN)).toThrow(/^Invalid value NaN \(not a number\)$/);
    t.join(-1);
    t.join();
    expect(t.isAlive()).toBe(false);
  });

  it('lets an atomic body run at once while its sleeps delay its end and its later thread-safe calls', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const atomic = new Thread({
        target: function atomicBody() {
          log('atomic start');
          blockingSleep(1);
          log('atomic after blockingSleep(1)');
          loop.callSoonThreadsafe(log, 'atomic threadsafe');
        },
      });
      const gen = new Thread({
        target: function* generatorBody(): Generator<unknown, void, unknown> {
          log('generator start');
          yield* blockingSleep(1);
          log('generator after blockingSleep(1)');
          loop.callSoonThreadsafe(log, 'generator threadsafe');
        },
      });
      atomic.start();
      gen.start();
      yield* sleep(0.5);
      log(`alive ${atomic.isAlive()} ${gen.isAlive()}`);
      yield* sleep(1);
      log(`alive ${atomic.isAlive()} ${gen.isAlive()}`);
    });
    expect(trace).toEqual([
      [0, 'atomic start'],
      // loop.time() read in the thread includes what its atomic stretch has slept
      [1, 'atomic after blockingSleep(1)'],
      [0, 'generator start'],
      [0.5, 'alive true true'],
      [1, 'atomic threadsafe'],
      [1, 'generator after blockingSleep(1)'],
      [1, 'generator threadsafe'],
      [1.5, 'alive false false'],
      ['return', 'None'],
    ]);
  });

  it('interleaves generator bodies with each other at their blocking points', () => {
    const trace = runScenario(function* main({ log }): Coro<void> {
      const body = (tag: string, step: number) => function* interleaved(): Generator<unknown, void, unknown> {
        for (let i = 0; i < 3; i++) {
          log(`${tag}${i}`);
          yield* blockingSleep(step);
        }
      };
      const a = new Thread({ target: body('a', 1) });
      const b = new Thread({ target: body('b', 1.5) });
      a.start();
      b.start();
      yield* sleep(5);
    });
    expect(trace).toEqual([
      [0, 'a0'], [0, 'b0'], [1, 'a1'], [1.5, 'b1'], [2, 'a2'], [3, 'b2'], ['return', 'None'],
    ]);
  });

  it('prints an exception escaping the body as "Exception in thread NAME:" with a traceback, and the thread ends', () => {
    // CPython: "Exception in thread Thread-4 (boom):\nTraceback (most recent call last):\n ... \nValueError: boom\n"
    let t1: InstanceType<typeof Thread> | undefined;
    let t2: InstanceType<typeof Thread> | undefined;
    const trace: TraceEvent[] = [];
    const text = captureStderr(() => {
      trace.push(...runScenario(function* main({ log }): Coro<void> {
        t1 = new Thread({ target: function boom() { throw new TypeError('boom'); } });
        t2 = new Thread({
          name: 'gen',
          target: function* later(): Generator<unknown, void, unknown> {
            yield* blockingSleep(1);
            throw new RuntimeError('later');
          },
        });
        t1.start();
        t2.start();
        yield* sleep(2);
        log(`alive ${t1.isAlive()} ${t2.isAlive()}`);
      }));
    });
    expect(trace).toEqual([[2, 'alive false false'], ['return', 'None']]);
    const blocks = text.split(/(?=^Exception in thread )/m);
    expect(blocks).toHaveLength(2);
    const name = t1!.name.replace(/[()]/g, '\\$&');
    expect(blocks[0]).toMatch(new RegExp(`^Exception in thread ${name}:\\nTraceback \\(most recent call last\\):\\n(?:.*\\n)*TypeError: boom\\n$`));
    expect(blocks[1]).toMatch(/^Exception in thread gen:\nTraceback \(most recent call last\):\n(?:.*\n)*RuntimeError: later\n$/);
  });

  it('prints a thrown value that is not an Error as its type and str(), undefined as TypeError, an overflow as RecursionError', () => {
    // docs/divergences.md, "Thrown values": Python's format_exception_only(type(v), v) form.
    const recurse = (n: number): number => recurse(n + 1) + 1;
    const text = captureStderr(() => {
      runScenario(function* main(): Coro<void> {
        for (const [name, target] of [
          ['str', () => { throw 'text'; }], ['int', () => { throw 42; }], ['none', () => { throw undefined; }], ['deep', () => recurse(0)],
        ] as const) {
          new Thread({ name, target }).start();
        }
        yield* sleep(1);
      });
    });
    const lastLines = text.split(/(?=^Exception in thread )/m).map((block) => {
      const lines = block.trimEnd().split('\n');
      return `${lines[0]} ${lines.at(-1)}`;
    });
    expect(lastLines).toEqual([
      'Exception in thread str: str: text', 'Exception in thread int: int: 42',
      'Exception in thread none: TypeError: exceptions must derive from BaseException',
      'Exception in thread deep: RecursionError: maximum recursion depth exceeded',
    ]);
  });

  it('steps a generator body yielding bare 10^5 times in one turn, and the main thread is current again', () => {
    // Regression: each bare yield recursed, so such a body stopped silently after about
    // 6,500 steps, runUntilComplete threw RangeError and currentThread() named the dead thread.
    let n = 0;
    let trace: TraceEvent[] = [];
    const text = captureStderr(() => {
      trace = runScenario(function* main({ log }): Coro<void> {
        const t = new Thread({
          target: function* counter(): Generator<undefined, void, unknown> {
            for (let i = 0; i < 100_000; i++) {
              n++;
              yield;
            }
          },
        });
        t.start();
        yield* sleep(0);
        log(`n=${n} alive=${t.isAlive()} current=${threading.currentThread().name}`);
      });
    });
    expect(trace).toEqual([[0, 'n=100000 alive=false current=MainThread'], ['return', 'None']]);
    expect(text).toBe('');
  });

  it('lets run() finish after a thread whose body yields bare 10^5 times', () => {
    // Regression: run() then failed with "ValueError: signal only works in main thread…",
    // the dead thread being still current when it installed its SIGINT handler.
    let n = 0;
    const result = run((function* main(): Coro<number> {
      new Thread({
        target: function* counter(): Generator<undefined, void, unknown> {
          for (let i = 0; i < 100_000; i++) {
            n++;
            yield;
          }
        },
      }).start();
      yield* sleep(0);
      return n;
    })());
    expect(result).toBe(100_000);
    expect(run((function* again(): Coro<string> {
      return threading.currentThread().name;
    })())).toBe('MainThread');
  });

  it('reports a generator body that fails after 10^5 bare yields, then runs the main thread again', () => {
    let name = '';
    let trace: TraceEvent[] = [];
    const text = captureStderr(() => {
      trace = runScenario(function* main({ log }): Coro<void> {
        const t = new Thread({
          target: function* late(): Generator<undefined, void, unknown> {
            for (let i = 0; i < 100_000; i++) yield;
            throw new RuntimeError('late');
          },
        });
        name = t.name;
        t.start();
        yield* sleep(1);
        log(`alive=${t.isAlive()} current=${threading.currentThread().name}`);
      });
    });
    expect(trace).toEqual([[1, 'alive=false current=MainThread'], ['return', 'None']]);
    expect(name).toMatch(/^Thread-\d+ \(late\)$/);
    expect(text).toMatch(new RegExp(`^Exception in thread ${name.replace(/[()]/g, '\\$&')}:\\nTraceback \\(most recent call last\\):\\n(?:.*\\n)*RuntimeError: late\\n$`));
  });

  it('drops its target and arguments when its body ends, and forgets the finished thread', async () => {
    // CPython: Thread.run ends with `del self._target, self._args, self._kwargs`, and
    // threading.enumerate() lists only the threads alive.
    let payload: Uint8Array | undefined = new Uint8Array(1 << 16);
    let target: ((p: Uint8Array) => number) | undefined = function keep(p: Uint8Array) {
      return p.length;
    };
    const payloadRef = new WeakRef(payload);
    const targetRef = new WeakRef(target);
    const t = new Thread({ target, args: [payload] });
    payload = undefined;
    target = undefined;
    t.start();
    expect(threading.enumerate().map(String)).toEqual(['<Thread(MainThread, started 1)>', String(t)]);
    t.join();
    expect(threading.enumerate()).toHaveLength(1);
    expect(threading.enumerate()[0]).toBe(threading.mainThread());
    await nextJob();
    collectGarbage();
    expect([payloadRef.deref(), targetRef.deref()]).toEqual([undefined, undefined]);
    expect(String(t)).toBe(`<Thread(${t.name}, stopped ${t.ident})>`);
  });

  it("forgets a finished thread's current event loop, as its thread-local goes with it", () => {
    const loop = new EventLoop();
    const t = new Thread({ target: () => setEventLoop(loop) });
    t.start();
    t.join();
    _setCurrentThreadIdent(t.ident!);
    try {
      expect(_getCurrentLoop()).toBe(undefined);
    } finally {
      _setCurrentThreadIdent(MAIN_THREAD_IDENT);
      loop.close();
    }
  });

  it('blocks the main thread in join() until the body ends, or until the timeout', () => {
    const t = new Thread({ target: function* slow(): Generator<unknown, void, unknown> { yield* blockingSleep(2); } });
    t.start();
    t.join(0.5);
    expect([world.now, t.isAlive()]).toEqual([0.5, true]);
    t.join();
    expect([world.now, t.isAlive()]).toEqual([2, false]);
    t.join(1);
    expect(world.now).toBe(2);
  });

  it('lets a generator body wait in yield* t.join(timeout) while the loop runs its timers', () => {
    // CPython: a thread joining another does not hold the loop; virtual time never goes back.
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const g = new Thread({ target: function* slow(): Generator<unknown, void, unknown> { yield* blockingSleep(2); log('slow done'); } });
      const w = new Thread({
        target: function* joiner(): Generator<unknown, void, unknown> {
          log('joiner start');
          yield* g.join(0.5);
          log(`joiner after join(0.5) alive=${g.isAlive()}`);
          yield* g.join();
          log('joiner after join()');
        },
      });
      g.start();
      w.start();
      loop.callLater(0.25, log, 'timer 0.25');
      loop.callLater(1, log, 'timer 1');
      yield* sleep(3);
    });
    expect(trace).toEqual([
      [0, 'joiner start'],
      [0.25, 'timer 0.25'],
      [0.5, 'joiner after join(0.5) alive=true'],
      [1, 'timer 1'],
      [2, 'slow done'],
      [2, 'joiner after join()'],
      ['return', 'None'],
    ]);
  });

  it('lets a generator body wait for a thread with yield* thread', () => {
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const g = new Thread({ target: function* slow(): Generator<unknown, void, unknown> { yield* blockingSleep(2); log('slow done'); } });
      const w = new Thread({ target: function* joiner(): Generator<unknown, void, unknown> { yield* g; log('joined'); } });
      g.start();
      w.start();
      loop.callLater(1, log, 'timer 1');
      yield* sleep(3);
    });
    expect(trace).toEqual([[1, 'timer 1'], [2, 'slow done'], [2, 'joined'], ['return', 'None']]);
  });

  it('does not hold the loop while an atomic body blocks in join()', () => {
    // CPython 3.13.0 (t blocks in g.join(), g sleeps 2 s, the loop has a timer at 0.5):
    // the timer fires at 0.5, t goes on at 2.
    const trace = runScenario(function* main({ loop, log }): Coro<void> {
      const g = new Thread({ target: function* slow(): Generator<unknown, void, unknown> { yield* blockingSleep(2); log('slow done'); } });
      const t = new Thread({
        target: function atomicJoiner() {
          log('joiner start');
          g.join();
          loop.callSoonThreadsafe(log, 'joiner threadsafe');
        },
      });
      g.start();
      t.start();
      loop.callLater(0.5, log, 'timer 0.5');
      yield* sleep(3);
    });
    expect(trace).toEqual([
      [0, 'joiner start'],
      [0.5, 'timer 0.5'],
      [2, 'slow done'],
      [2, 'joiner threadsafe'],
      ['return', 'None'],
    ]);
  });
});

describe('threading', () => {
  it('names the main thread MainThread; currentThread() on it is mainThread()', () => {
    const main = threading.mainThread();
    expect(main.name).toBe('MainThread');
    expect(threading.currentThread()).toBe(main);
    expect(main.ident).toBe(threading.getIdent());
    expect(main.isAlive()).toBe(true);
  });

  it('gives getIdent() the ident of the thread running the code', () => {
    const idents: number[] = [];
    const a = new Thread({ target: () => idents.push(threading.getIdent()) });
    const b = new Thread({ target: function* g(): Generator<unknown, void, unknown> { yield* blockingSleep(1); idents.push(threading.getIdent()); } });
    a.start();
    b.start();
    b.join();
    expect(idents).toEqual([a.ident, b.ident]);
    expect(new Set([a.ident, b.ident, threading.getIdent()]).size).toBe(3);
  });
});

describe('EventLoop thread checks from a worker thread', () => {
  it('raises from callSoon and callLater in a worker in debug mode, and not from callSoonThreadsafe', () => {
    // CPython 3.13.0, set_debug(True), run_in_executor job: call_soon / call_later raise
    // RuntimeError('Non-thread-safe operation invoked on an event loop other than the current one'),
    // call_soon_threadsafe runs its callback on the loop.
    const loop = new EventLoop({ debug: true });
    const trace: TraceEvent[] = [];
    const log = (e: string): void => {
      trace.push([loop.time(), e]);
    };
    function* main(): Coro<void> {
      const job = (): void => {
        for (const schedule of [() => loop.callSoon(log, 'soon'), () => loop.callLater(1, log, 'later')]) {
          try {
            schedule();
          } catch (e) {
            log(`${(e as Error).constructor.name}: ${(e as Error).message}`);
          }
        }
        loop.callSoonThreadsafe(log, 'threadsafe ok');
      };
      yield* loop.runInExecutor(undefined, job);
      yield* sleep(0);
    }
    loop.runUntilComplete(main());
    loop.close();
    expect(trace).toEqual([
      [0, 'RuntimeError: Non-thread-safe operation invoked on an event loop other than the current one'],
      [0, 'RuntimeError: Non-thread-safe operation invoked on an event loop other than the current one'],
      [0, 'threadsafe ok'],
    ]);
  });

  it('gives a worker no running loop, though loop.isRunning() is true there', () => {
    // CPython: get_running_loop() in a worker -> RuntimeError('no running event loop'); is_running() True
    const seen: string[] = [];
    const trace = runScenario(function* main({ loop }): Coro<void> {
      yield* loop.runInExecutor(undefined, () => {
        try {
          getRunningLoop();
        } catch (e) {
          seen.push(repr(e));
        }
        seen.push(`isRunning ${loop.isRunning()}`);
      });
    });
    expect(trace).toEqual([['return', 'None']]);
    expect(seen).toEqual(["RuntimeError('no running event loop')", 'isRunning true']);
  });

  it('gives a worker thread no current event loop', () => {
    // CPython 3.13.0: asyncio.get_event_loop() in a run_in_executor job raises
    // RuntimeError("There is no current event loop in thread 'asyncio_0'.")
    const seen: string[] = [];
    runScenario(function* main({ loop }): Coro<void> {
      yield* loop.runInExecutor(undefined, () => {
        try {
          seen.push(`returned ${String(getEventLoop())}`);
        } catch (e) {
          seen.push(repr(e));
        }
      });
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^RuntimeError\("There is no current event loop in thread 'asyncio_\d+'\."\)$/);
  });
});

describe('World', () => {
  /** The order in which four threads started at the same instant run, under `seed`. */
  function sameInstantOrder(seed: number | undefined): string {
    world._reset();
    world.setSchedulingSeed(seed);
    const order: string[] = [];
    for (const tag of ['a', 'b', 'c', 'd', 'e', 'f']) new Thread({ target: () => order.push(tag) }).start();
    blockingSleep(0);
    return order.join('');
  }

  it('runs thread steps due at the same instant in the order they were scheduled', () => {
    expect(sameInstantOrder(undefined)).toBe('abcdef');
    const trace = runScenario(function* main({ log }): Coro<void> {
      for (const [tag, d] of [['x', 2], ['y', 1], ['z', 2], ['w', 1]] as const) {
        new Thread({ target: function* step(): Generator<unknown, void, unknown> { yield* blockingSleep(d); log(tag); } }).start();
      }
      yield* sleep(3);
    });
    expect(trace).toEqual([[1, 'y'], [1, 'w'], [2, 'x'], [2, 'z'], ['return', 'None']]);
  });

  it('permutes same-instant steps with a scheduling seed, the same way for the same seed', () => {
    const orders = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => sameInstantOrder(seed));
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => sameInstantOrder(seed))).toEqual(orders);
    expect(new Set(orders).size).toBeGreaterThan(1);
    for (const o of orders) expect([...o].sort().join('')).toBe('abcdef');
    expect(sameInstantOrder(undefined)).toBe('abcdef');
  });

  it('refuses a scheduling seed that is not an integer (NaN or a fraction would be another seed)', () => {
    expect(() => world.setSchedulingSeed(NaN)).toThrow(ValueError);
    expect(() => world.setSchedulingSeed(NaN)).toThrow(/^the scheduling seed must be an integer, got nan$/);
    expect(() => world.setSchedulingSeed(1.5)).toThrow(/^the scheduling seed must be an integer, got 1\.5$/);
    expect(() => world.setSchedulingSeed('1' as never)).toThrow(TypeError);
    expect(sameInstantOrder(undefined)).toBe('abcdef');
  });

  it('keeps time order under a seed: only ties are permuted', () => {
    world._reset();
    world.setSchedulingSeed(42);
    const seen: number[] = [];
    for (const d of [3, 1, 2, 0.5]) {
      new Thread({ target: function* timed(): Generator<unknown, void, unknown> { yield* blockingSleep(d); seen.push(world.now); } }).start();
    }
    blockingSleep(5);
    expect(seen).toEqual([0.5, 1, 2, 3]);
  });
});
