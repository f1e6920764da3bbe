// Pins every behaviour docs/divergences.md lists that no other test file pins.

import { describe, expect, it } from 'vitest';
import {
  allTasks, asyncWith, createTask, EventLoop, Future, getRunningLoop, logging, repr, run, sleep, timeout, timeoutAt, ValueError, wait,
  waitFor, type Coro,
} from '../src/index.js';
import { captureStderr } from './_support/stderr.js';

describe('divergences', () => {
  it('names a bound function after its target', () => {
    const loop = new EventLoop();
    function target(_a: number): void {}
    const handle = loop.callSoon(target.bind(null, 1));
    expect(String(handle)).toMatch(/^<Handle target\(\) at .+:\d+>$/);
    loop.close();
  });

  it('names an anonymous function <lambda>', () => {
    const loop = new EventLoop();
    const handle = loop.callSoon([() => 0][0]!);
    expect(String(handle)).toMatch(/^<Handle <lambda>\(\) at .+:\d+>$/);
    loop.close();
  });

  it('takes a generator object given to wait() as a coroutine', () => {
    const loop = new EventLoop();
    const f = loop.createFuture<number>();
    f.setResult(1);
    function* futures(): Generator<Future<number>, void, unknown> {
      yield f;
    }
    function* main(): Coro<void> {
      yield* wait(futures() as unknown as Future<number>[]);
    }
    expect(() => loop.runUntilComplete(main())).toThrow(new TypeError('expect a list of futures, not coroutine'));
    loop.close();
  });

  it('resumes a finished plain generator as undefined', () => {
    const loop = new EventLoop();
    function* once(): Coro<number> {
      return 1;
    }
    const coro = once();
    expect(loop.runUntilComplete(loop.createTask(coro))).toBe(1);
    expect(loop.runUntilComplete(loop.createTask(coro))).toBeUndefined();
    loop.close();
  });

  it('treats yield null as a bare yield', () => {
    const loop = new EventLoop();
    const trace: string[] = [];
    function* nully(): Generator<unknown, string, unknown> {
      trace.push('before');
      yield null;
      trace.push('after');
      return 'done';
    }
    loop.callSoon(() => loop.callSoon(() => trace.push('callback')));
    expect(loop.runUntilComplete(loop.createTask(nully()))).toBe('done');
    // Iteration 1: the outer callback, then the step up to the yield; iteration 2: the
    // inner callback, then the step resumed by the yield.
    expect(trace).toEqual(['before', 'callback', 'after']);
    loop.close();
  });

  it('stores throw undefined or null as a TypeError', () => {
    const loop = new EventLoop();
    function* thrower(value: unknown): Coro<void> {
      throw value;
    }
    for (const value of [undefined, null]) {
      const task = loop.createTask(thrower(value));
      expect(() => loop.runUntilComplete(task)).toThrow(TypeError);
      expect(repr(task.exception())).toBe("TypeError('exceptions must derive from BaseException')");
    }
    loop.close();
  });

  it('stores a thrown string as the exception itself', () => {
    const loop = new EventLoop();
    function* thrower(): Coro<void> {
      throw 'plain';
    }
    const task = loop.createTask(thrower());
    expect(() => loop.runUntilComplete(task)).toThrow('plain');
    expect(task.exception()).toBe('plain');
    loop.close();
  });

  it('lists allTasks in creation order', () => {
    const loop = new EventLoop();
    function* wait(fut: Future<void>): Coro<void> {
      yield* fut;
    }
    const fut = loop.createFuture<void>();
    const tasks = [0, 1, 2, 3].map(() => loop.createTask(wait(fut)));
    // Compared by identity: deep equality would iterate the tasks (awaiting them).
    expect([...allTasks(loop)].map((t) => tasks.indexOf(t as never))).toEqual([0, 1, 2, 3]);
    loop.callSoon(() => fut.setResult());
    loop.runUntilComplete(tasks[3]!);
    expect([...allTasks(loop)]).toEqual([]);
    loop.close();
  });

  it('raises ValueError where a NaN delay or deadline reaches a timer', () => {
    const loop = new EventLoop();
    const errors: string[] = [];
    function* attempt(body: () => Coro<unknown>): Coro<void> {
      try {
        yield* body();
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        errors.push(e.message);
      }
    }
    function* main(): Coro<void> {
      yield* attempt(() => waitFor(sleep(0), NaN));
      yield* attempt(() => asyncWith(timeout(NaN), function* () {}));
      yield* attempt(() => asyncWith(timeoutAt(NaN), function* () {}));
      const t = createTask(sleep(0));
      yield* attempt(() => wait([t], { timeout: NaN }));
      yield* t;
    }
    loop.runUntilComplete(main());
    // waitFor raised before awaiting its coroutine: that sleep(0) is reported as never awaited.
    const printed = captureStderr(() => loop.close());
    expect(errors).toEqual([
      'Invalid when: NaN (not a number)', 'Invalid when: NaN (not a number)', 'Invalid when: NaN (not a number)',
      'Invalid delay: NaN (not a number)',
    ]);
    expect(printed).toMatch(/^test\/divergences\.test\.ts:\d+: RuntimeWarning: coroutine 'sleep' was never awaited\n$/);
  });

  it("logs no 'Using selector' line when a loop is made, as the oracle's virtual loop does not", () => {
    // Native CPython 3.13 on Linux, asyncio logger at DEBUG: asyncio.run(main()) logs
    // 'Using selector: EpollSelector' first; aiosim's loop has no selector to name.
    const logger = logging.getLogger('asyncio');
    const messages: string[] = [];
    const handler: logging.Handler = { handle: (r) => messages.push(r.getMessage()) };
    const saved = logger.level;
    logger.setLevel(logging.DEBUG);
    logger.addHandler(handler);
    try {
      run((function* main(): Coro<void> {})(), { debug: true });
      new EventLoop().close();
    } finally {
      logger.removeHandler(handler);
      logger.setLevel(saved);
    }
    expect(messages).toEqual(['Close <EventLoop running=False closed=False debug=True>']);
  });

  it("points a debug-mode 'created at' of loop.createFuture() and createTask() at the caller's line", () => {
    // asyncio.run(main(), debug=True), main doing: f = loop.create_future(); t = asyncio.create_task(work())
    // CPython 3.13.2: <Future pending created at …/asyncio/base_events.py:459>, and
    // <Task pending … created at …/asyncio/tasks.py:410> (their source_traceback ends in
    // asyncio's frame); loop.create_task() and asyncio.Future() point at the caller, as here.
    const sites: string[] = [];
    const frames: string[] = [];
    run((function* main(): Coro<void> {
      const loop = getRunningLoop() as EventLoop;
      const f = loop.createFuture();
      const t = createTask(sleep(1));
      for (const x of [f, t]) {
        sites.push(/ created at (\S+?)>$/.exec(repr(x))?.[1] ?? '');
        frames.push(x._sourceTraceback!.at(-1)!.name);
      }
      t.cancel();
    })(), { debug: true });
    expect(sites.map((s) => s.replace(/:\d+$/, ''))).toEqual(['test/divergences.test.ts', 'test/divergences.test.ts']);
    expect(frames).toEqual(['main', 'main']);
  });
});
