// coroutine(fn): tracked coroutine objects. One never awaited (nor scheduled, nor closed)
// is reported at the next collection point as "coroutine '<name>' was never awaited"
// (with where it was created in debug mode); awaiting one that finished raises
// 'cannot reuse already awaited coroutine'; they run wherever a coroutine does. Every
// expectation is what the quoted Python program printed on CPython 3.13.2 (the oracle),
// with gc.collect() where aiosim has its collection point; sites are normalised.

import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  asyncWith, coroutine, CoroutineObject, createTask, EventLoop, gather, gcCollect, repr, run, RuntimeError, TaskGroup,
  ValueError, warnings, type Coro,
} from '../../src/index.js';
import { _restoreDefaultFilters } from '../../src/log/warnings.js';
import { normaliseSites } from '../_support/capture.js';

afterEach(() => {
  // Nothing reportable is left for the next test; then Python's default filters again.
  warnings.catchWarnings({ record: true }, () => gcCollect());
  _restoreDefaultFilters();
});

// What the coroutines below print.
let said: string[] = [];

// async def test(): print("never scheduled")
const test = coroutine(function* test(): Coro<void> {
  said.push('never scheduled');
});

const one = coroutine(function* one(): Coro<number> {
  return 1;
});

/** Run `fn` and return what it said and the warnings shown, in order, as [kind, text]. */
function observe(fn: () => void): [string, string][] {
  const events: [string, string][] = [];
  said = [];
  warnings.catchWarnings({}, () => {
    warnings.showwarning = (m, c) => {
      events.push(...said.map((s): [string, string] => ['say', s]));
      said = [];
      events.push([c.name, String(m)]);
    };
    fn();
  });
  events.push(...said.map((s): [string, string] => ['say', s]));
  return events;
}

/** What is written to process.stderr while `fn` runs. */
function stderrOf(fn: () => void): string {
  const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    fn();
    return write.mock.calls.map((c) => String(c[0])).join('');
  } finally {
    write.mockRestore();
  }
}

describe('coroutine', () => {
  it('makes functions that keep fn’s name and return tracked coroutine objects', () => {
    // test.__name__ == 'test'
    const c = test();
    expect([test.name, c instanceof CoroutineObject, (c as CoroutineObject<void>).__name__]).toEqual(['test', true, 'test']);
    c.return(undefined);
  });

  it('warns at the end of run() about a coroutine never awaited, as the asyncio-dev page’s example', () => {
    // async def main(): test()
    // asyncio.run(main())  → stderr: "test.py:7: RuntimeWarning: coroutine 'test' was never awaited"
    const main = coroutine(function* main(): Coro<void> {
      test();
    });
    const err = stderrOf(() => run(main()));
    expect(err).toMatch(/^\S*tracked-coroutine\.test\.ts:\d+: RuntimeWarning: coroutine 'test' was never awaited\n$/);
  });

  it('adds where the coroutine was created when a debug loop was running', () => {
    // asyncio.run(main(), debug=True); gc.collect()
    // → "coroutine 'test' was never awaited\nCoroutine created at (most recent call last)\n  File …, in main"
    const main = coroutine(function* main(): Coro<void> {
      test();
    });
    const events = observe(() => run(main(), { debug: true }));
    expect(events).toHaveLength(1);
    const [category, text] = events[0]!;
    const lines = text.split('\n');
    expect([category, lines[0], lines[1]]).toEqual([
      'RuntimeWarning',
      "coroutine 'test' was never awaited",
      'Coroutine created at (most recent call last)',
    ]);
    const frames = lines.slice(2);
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) expect(f).toMatch(/^ {2}File "[^"]+", line \d+, in \S+$/);
    expect(frames.at(-1)).toMatch(/^ {2}File "[^"]*tracked-coroutine\.test\.ts", line \d+, in main$/);
  });

  it('adds no origin when the coroutine was made outside a running loop, even with a debug loop', () => {
    // loop = asyncio.new_event_loop(); loop.set_debug(True)
    // c = test(); del c; gc.collect(); loop.close()
    const events = observe(() => {
      const loop = new EventLoop({ debug: true });
      test();
      gcCollect();
      loop.close();
    });
    expect(events).toEqual([['RuntimeWarning', "coroutine 'test' was never awaited"]]);
  });

  it('reports coroutines never awaited in creation order', () => {
    // async def a(): pass
    // async def b(): pass
    // async def main(): x = a(); y = b(); print('main ends')
    const a = coroutine(function* a(): Coro<void> {});
    const b = coroutine(function* b(): Coro<void> {});
    const main = coroutine(function* main(): Coro<void> {
      a();
      b();
      said.push('main ends');
    });
    expect(observe(() => run(main()))).toEqual([
      ['say', 'main ends'],
      ['RuntimeWarning', "coroutine 'a' was never awaited"],
      ['RuntimeWarning', "coroutine 'b' was never awaited"],
    ]);
  });

  it('warns at gcCollect() outside any loop', () => {
    // c = test(); del c; gc.collect()
    expect(
      observe(() => {
        test();
        gcCollect();
      }),
    ).toEqual([['RuntimeWarning', "coroutine 'test' was never awaited"]]);
  });

  it('does not warn about a coroutine awaited, scheduled with createTask, or closed', () => {
    // async def main2():
    //     await test(); await asyncio.create_task(test()); test().close()
    // asyncio.run(main2()); gc.collect()
    const main2 = coroutine(function* main2(): Coro<void> {
      yield* test();
      yield* createTask(test());
      test().return(undefined);
    });
    expect(
      observe(() => {
        run(main2());
        gcCollect();
      }),
    ).toEqual([
      ['say', 'never scheduled'],
      ['say', 'never scheduled'],
    ]);
  });

  it('does not warn about a coroutine a finished TaskGroup refuses (it closes it)', () => {
    // async def main5():
    //     async with asyncio.TaskGroup() as tg: pass
    //     try: tg.create_task(test())
    //     except RuntimeError as e: print(repr(e))
    const out: string[] = [];
    const main5 = coroutine(function* main5(): Coro<void> {
      const tg = new TaskGroup();
      yield* asyncWith(tg, function* () {});
      try {
        tg.createTask(test());
      } catch (e) {
        out.push(repr(e));
      }
    });
    expect(observe(() => run(main5()))).toEqual([]);
    expect(out).toEqual(["RuntimeError('TaskGroup <TaskGroup entered> is finished')"]);
  });

  it('raises RuntimeError when awaited again after finishing, closing, raising or running as a task', () => {
    // c = one(); print(await c); await c                      → RuntimeError
    // c2 = one(); c2.close(); await c2                         → RuntimeError
    // c3 = bad(); await c3 (ValueError); await c3              → RuntimeError
    // c4 = one(); await asyncio.create_task(c4); await c4      → RuntimeError
    const bad = coroutine(function* bad(): Coro<void> {
      throw new ValueError('v');
    });
    const out: string[] = [];
    const attempt = function* (label: string, c: Coro<unknown>): Coro<void> {
      try {
        yield* c;
        out.push(`${label}: no error`);
      } catch (e) {
        out.push(`${label}: ${e instanceof RuntimeError ? 'RuntimeError' : 'other'} ${repr(e)}`);
      }
    };
    const reuse = coroutine(function* reuse(): Coro<void> {
      const c = one();
      out.push(String(yield* c));
      yield* attempt('finished', c);
      const c2 = one();
      c2.return(undefined as never);
      yield* attempt('closed', c2);
      const c3 = bad();
      try {
        yield* c3;
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
      }
      yield* attempt('raised', c3);
      const c4 = one();
      yield* createTask(c4);
      yield* attempt('task', c4);
    });
    run(reuse());
    const msg = "RuntimeError('cannot reuse already awaited coroutine')";
    expect(out).toEqual(['1', `finished: RuntimeError ${msg}`, `closed: RuntimeError ${msg}`, `raised: RuntimeError ${msg}`, `task: RuntimeError ${msg}`]);
  });

  it('names the coroutine after fn in the reprs of its task', () => {
    // t = asyncio.create_task(test(), name='T'); print(repr(t)); await t; print(repr(t))
    const reprs: string[] = [];
    const main4 = coroutine(function* main4(): Coro<void> {
      const t = createTask(test(), { name: 'T' });
      reprs.push(normaliseSites(repr(t)));
      yield* t;
      reprs.push(normaliseSites(repr(t)));
    });
    run(main4());
    expect(reprs).toEqual([
      "<Task pending name='T' coro=<test() running at F:L>>",
      "<Task finished name='T' coro=<test() done, defined at F:L> result=None>",
    ]);
  });

  it('is accepted by yield*, createTask and gather, with their results', () => {
    // print(await one(), await asyncio.create_task(one()), await asyncio.gather(one(), one()))
    const main = coroutine(function* main(): Coro<[number, number, number[]]> {
      const a = yield* one();
      const b = yield* createTask(one());
      const c = yield* gather(one(), one());
      return [a, b, c];
    });
    expect(observe(() => expect(run(main())).toEqual([1, 1, [1, 1]]))).toEqual([]);
  });

  it('reprs a coroutine object as <coroutine object name at 0x…>', () => {
    // print(repr(test()))  → <coroutine object test at 0xf16680>
    const c = test();
    const text = normaliseSites(repr(c));
    c.return(undefined);
    expect(text).toBe('<coroutine object test at 0x?>');
  });

  it('leaves plain generator functions untracked', () => {
    // (aiosim only: the contract's "Plain generator functions still run, untracked")
    function* plain(): Coro<void> {}
    expect(
      observe(() => {
        plain();
        gcCollect();
      }),
    ).toEqual([]);
  });

  it('does not make a collection point throw under an error filter: the warning is unraisable', () => {
    // with warnings.catch_warnings():
    //     warnings.simplefilter('error'); print(asyncio.run(main()))
    // → stderr "Exception ignored in: <coroutine object test at 0x…>" … "RuntimeWarning: coroutine 'test' was never awaited"
    //   then 'main result'
    const main = coroutine(function* main(): Coro<string> {
      test();
      return 'main result';
    });
    let result: unknown;
    const err = stderrOf(() =>
      warnings.catchWarnings({}, () => {
        warnings.simplefilter('error');
        try {
          result = run(main());
        } catch (e) {
          result = `raised ${repr(e)}`;
        }
      }),
    );
    expect(result).toBe('main result');
    const lines = err.trimEnd().split('\n');
    expect([normaliseSites(lines[0] ?? ''), lines.at(-1)]).toEqual([
      'Exception ignored in: <coroutine object test at 0x?>',
      "RuntimeWarning: coroutine 'test' was never awaited",
    ]);
  });
});
