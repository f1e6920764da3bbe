// Collection points: at loop.close() (so also at the end of run()) and at gcCollect(),
// aiosim reports what CPython reports when it frees an object: "Task/Future exception
// was never retrieved", "Task was destroyed but it is pending!", "coroutine '…' was never
// awaited", "unclosed event loop". Every expectation is what the quoted Python program
// printed on CPython 3.13.2 (the oracle) with gc.collect() where aiosim has its point, a
// logging.Handler on 'asyncio' and a replaced warnings.showwarning; source sites, task
// numbers and addresses are normalised.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  coroutine, createTask, EventLoop, gcCollect, getRunningLoop, logging, repr, ResourceWarning, run, setEventLoop, sleep,
  ValueError, warnings, type Coro, type Future,
} from '../../src/index.js';
import { _unretrieved } from '../../src/future/future.js';
import { _restoreDefaultFilters } from '../../src/log/warnings.js';
import { normaliseSites } from '../_support/capture.js';

type Event = string[];

function norm(text: string): string {
  return normaliseSites(text).replace(/Task-\d+/g, 'Task-?');
}

/**
 * Run `fn` and return, in order, what it printed (`say`), each record of the 'asyncio'
 * logger as ['log', level, message, repr(exc)] and each shown warning as ['warn',
 * category, text]. Messages are normalised.
 */
function observe(fn: (say: (s: string) => void) => void): Event[] {
  const events: Event[] = [];
  const handler: logging.Handler = {
    handle: (r) => events.push(['log', r.levelname, norm(r.getMessage()), r.excInfo === undefined ? 'None' : repr(r.excInfo)]),
  };
  const logger = logging.getLogger('asyncio');
  logger.addHandler(handler);
  try {
    warnings.catchWarnings({}, () => {
      warnings.showwarning = (m, c) => events.push(['warn', c.name, norm(String(m))]);
      fn((s) => events.push(['say', s]));
    });
  } finally {
    logger.removeHandler(handler);
  }
  return events;
}

// The lines of a multi-line record that are not traceback frames.
function heads(message: string): string[] {
  return message.split('\n').filter((line) => !line.startsWith('  '));
}

// Leave no reportable object behind for the next test (and none from the previous one).
function drain(): void {
  observe(() => gcCollect());
}

beforeEach(drain);
afterEach(() => {
  setEventLoop(undefined);
  drain();
  _restoreDefaultFilters();
});

const bug = coroutine(function* bug(): Coro<void> {
  throw new Error('not consumed');
});

const fail = coroutine(function* fail(i: number): Coro<void> {
  throw new ValueError(String(i));
});

describe('run', () => {
  it('reports a task exception never retrieved, as the asyncio-dev page’s example', () => {
    // async def bug(): raise Exception("not consumed")
    // async def main(): asyncio.create_task(bug())
    // asyncio.run(main()); gc.collect()
    const main = coroutine(function* main(): Coro<void> {
      createTask(bug());
    });
    expect(observe(() => run(main()))).toEqual([
      [
        'log', 'ERROR',
        "Task exception was never retrieved\nfuture: <Task finished name='Task-?' coro=<bug() done, defined at F:L> exception=Error('not consumed')>",
        "Error('not consumed')",
      ],
    ]);
  });

  it('adds created at and the creation traceback in debug mode', () => {
    // asyncio.run(main(), debug=True); gc.collect()
    const main = coroutine(function* main(): Coro<void> {
      createTask(bug());
    });
    const events = observe(() => run(main(), { debug: true }));
    expect(events).toHaveLength(1);
    const [, level, message, exc] = events[0]!;
    expect([level, heads(message!), exc]).toEqual([
      'ERROR',
      [
        'Task exception was never retrieved',
        "future: <Task finished name='Task-?' coro=<bug() done, defined at F:L> exception=Error('not consumed') created at F:L>",
        'source_traceback: Object created at (most recent call last):',
      ],
      "Error('not consumed')",
    ]);
    const frames = message!.split('\n').filter((line) => line.startsWith('  '));
    expect(frames.length).toBeGreaterThan(0);
    for (const f of frames) expect(f).toMatch(/^ {2}File "[^"]+", line \d+, in \S+$/);
    expect(frames.some((f) => f.endsWith(', in main'))).toBe(true);
  });

  it('reports several failed tasks in creation order', () => {
    // async def fail(i): raise ValueError(str(i))
    // async def main():
    //     for i in range(3): asyncio.create_task(fail(i))
    const main = coroutine(function* main(): Coro<void> {
      for (let i = 0; i < 3; i++) createTask(fail(i));
    });
    const line = (i: number): Event => [
      'log', 'ERROR',
      `Task exception was never retrieved\nfuture: <Task finished name='Task-?' coro=<fail() done, defined at F:L> exception=ValueError('${i}')>`,
      `ValueError('${i}')`,
    ];
    expect(observe(() => run(main()))).toEqual([line(0), line(1), line(2)]);
  });

  it('reports a future created before a task first', () => {
    // async def main2():
    //     f = asyncio.get_running_loop().create_future(); t = asyncio.create_task(fail('t'))
    //     f.set_exception(ValueError('f')); await asyncio.sleep(0); await asyncio.sleep(0); print('main done')
    const failT = coroutine(function* fail(): Coro<void> {
      throw new ValueError('t');
    });
    const main2 = coroutine(function* main2(say: (s: string) => void): Coro<void> {
      const f = getRunningLoop().createFuture();
      createTask(failT());
      f.setException(new ValueError('f'));
      yield* sleep(0);
      yield* sleep(0);
      say('main done');
    });
    expect(observe((say) => run(main2(say)))).toEqual([
      ['say', 'main done'],
      ['log', 'ERROR', "Future exception was never retrieved\nfuture: <Future finished exception=ValueError('f')>", "ValueError('f')"],
      [
        'log', 'ERROR',
        "Task exception was never retrieved\nfuture: <Task finished name='Task-?' coro=<fail() done, defined at F:L> exception=ValueError('t')>",
        "ValueError('t')",
      ],
    ]);
  });

  it('reports nothing for a task left pending, which it cancels at shutdown', () => {
    // async def main(): asyncio.create_task(forever(), name='D'); await asyncio.sleep(0)
    // asyncio.run(main()); gc.collect()  → nothing
    const forever = coroutine(function* forever(): Coro<void> {
      yield* sleep(3600);
    });
    const main = coroutine(function* main(): Coro<void> {
      createTask(forever(), { name: 'D' });
      yield* sleep(0);
    });
    expect(observe(() => run(main()))).toEqual([]);
  });
});

describe('EventLoop.close', () => {
  const forever = coroutine(function* forever(say?: (s: string) => void): Coro<void> {
    try {
      yield* sleep(3600);
    } finally {
      say?.('finally runs');
    }
  });

  it('reports a future exception never retrieved', () => {
    // loop = asyncio.new_event_loop(); fut = loop.create_future(); fut.set_exception(ValueError('x'))
    // loop.close(); del fut; gc.collect()
    const events = observe(() => {
      const loop = new EventLoop();
      loop.createFuture().setException(new ValueError('x'));
      loop.close();
    });
    expect(events).toEqual([
      ['log', 'ERROR', "Future exception was never retrieved\nfuture: <Future finished exception=ValueError('x')>", "ValueError('x')"],
    ]);
  });

  it('reports nothing once result(), exception(), await or cancel() retrieved the exception', () => {
    // for how in ['result', 'exception', 'cancel']: fut.set_exception(ValueError(how)); <how>; del fut; gc.collect()
    //   (cancel() of a finished future returns False and still silences it)
    // awaited in a task: loop.run_until_complete(waiter(fut)); del fut; gc.collect()
    const events = observe((say) => {
      const loop = new EventLoop();
      for (const how of ['result', 'exception', 'cancel']) {
        const fut = loop.createFuture();
        fut.setException(new ValueError(how));
        if (how === 'result') {
          try {
            fut.result();
          } catch {
            // retrieved
          }
        } else if (how === 'exception') {
          fut.exception();
        } else {
          say(`cancel -> ${repr(fut.cancel())}`);
        }
      }
      const awaited = loop.createFuture();
      awaited.setException(new ValueError('awaited'));
      loop.runUntilComplete(
        coroutine(function* waiter(): Coro<void> {
          try {
            yield* awaited;
          } catch {
            // retrieved
          }
        })(),
      );
      loop.close();
      gcCollect();
    });
    expect(events).toEqual([['say', 'cancel -> False']]);
  });

  it('stops holding a future or task once its exception is retrieved, before any collection point', () => {
    // Regression: every failed future stayed in the unretrieved set until loop.close(),
    // so a long run catching its task failures grew without bound.
    const loop = new EventLoop();
    const fut = loop.createFuture();
    fut.setException(new ValueError('x'));
    expect(_unretrieved.has(fut)).toBe(true);
    fut.exception();
    expect(_unretrieved.has(fut)).toBe(false);
    const boom = coroutine(function* boom(): Coro<void> {
      throw new ValueError('boom');
    });
    let task: Future<void> | undefined;
    loop.runUntilComplete(coroutine(function* main(): Coro<void> {
      task = createTask(boom());
      try {
        yield* task;
      } catch {
        // retrieved
      }
    })());
    expect(task!.done()).toBe(true);
    expect(_unretrieved.has(task!)).toBe(false);
    const unretrieved = loop.createFuture();
    unretrieved.setException(new ValueError('kept'));
    expect([_unretrieved.size, _unretrieved.has(unretrieved)]).toEqual([1, true]);
    expect(observe(() => loop.close()).map((e) => e[2]?.split('\n')[0])).toEqual(['Future exception was never retrieved']);
    expect(_unretrieved.size).toBe(0);
  });

  it('reports a started pending task as destroyed, after closing its coroutine', () => {
    // async def forever():
    //     try: await asyncio.sleep(3600)
    //     finally: print('finally runs')
    // t = loop.create_task(forever()); loop.run_until_complete(asyncio.sleep(0)); loop.close(); del t; gc.collect()
    const events = observe((say) => {
      const loop = new EventLoop();
      loop.createTask(forever(say));
      loop.runUntilComplete(sleep(0));
      loop.close();
    });
    expect(events).toEqual([
      ['say', 'finally runs'],
      [
        'log', 'ERROR',
        "Task was destroyed but it is pending!\ntask: <Task pending name='Task-?' coro=<forever() done, defined at F:L> wait_for=<Future pending cb=[Task.task_wakeup()]>>",
        'None',
      ],
    ]);
  });

  it('reports a never-started pending task as destroyed, then its coroutine as never awaited', () => {
    // loop = asyncio.new_event_loop(); loop.create_task(forever()); loop.close()
    const events = observe(() => {
      const loop = new EventLoop();
      loop.createTask(forever());
      loop.close();
    });
    expect(events).toEqual([
      [
        'log', 'ERROR',
        "Task was destroyed but it is pending!\ntask: <Task pending name='Task-?' coro=<forever() running at F:L>>",
        'None',
      ],
      ['warn', 'RuntimeWarning', "coroutine 'forever' was never awaited"],
    ]);
  });

  it('adds source_traceback and created at for a destroyed task in debug mode', () => {
    // loop.set_debug(True); t = loop.create_task(forever()); loop.run_until_complete(asyncio.sleep(0))
    // loop.close(); del t; gc.collect()
    const events = observe(() => {
      const loop = new EventLoop({ debug: true });
      loop.createTask(forever());
      loop.runUntilComplete(sleep(0));
      loop.close();
    });
    expect(events).toHaveLength(1);
    expect(heads(events[0]![2]!)).toEqual([
      'Task was destroyed but it is pending!',
      'source_traceback: Object created at (most recent call last):',
      "task: <Task pending name='Task-?' coro=<forever() done, defined at F:L> wait_for=<Future pending cb=[Task.task_wakeup()] created at F:L> created at F:L>",
    ]);
  });

  it('reports each object once: a second close() and a later gcCollect() are silent', () => {
    // f = loop.create_future(); f.set_exception(ValueError('once'))
    // loop.close(); del f; gc.collect(); loop.close(); gc.collect()
    const events = observe((say) => {
      const loop = new EventLoop();
      loop.createFuture().setException(new ValueError('once'));
      loop.close();
      say('closed');
      loop.close();
      gcCollect();
    });
    expect(events).toEqual([
      ['log', 'ERROR', "Future exception was never retrieved\nfuture: <Future finished exception=ValueError('once')>", "ValueError('once')"],
      ['say', 'closed'],
    ]);
  });
});

describe('gcCollect', () => {
  it('reports futures freed together in creation order', () => {
    // class Box: pass
    // def cyc():
    //     loop = asyncio.new_event_loop(); b = Box(); b.self = b
    //     b.fs = [loop.create_future() for _ in range(3)]
    //     for i, f in enumerate(b.fs): f.set_exception(ValueError(str(i)))
    // cyc(); gc.collect()
    const events = observe(() => {
      const loop = new EventLoop();
      setEventLoop(loop);
      for (let i = 0; i < 3; i++) loop.createFuture().setException(new ValueError(String(i)));
      gcCollect();
      loop.close();
    });
    const line = (i: number): Event => [
      'log', 'ERROR', `Future exception was never retrieved\nfuture: <Future finished exception=ValueError('${i}')>`, `ValueError('${i}')`,
    ];
    expect(events).toEqual([line(0), line(1), line(2)]);
  });

  it('closes an unclosed loop, warning only when a filter shows ResourceWarning', () => {
    // loop = asyncio.new_event_loop(); del loop; gc.collect()               → nothing
    // warnings.simplefilter('default', ResourceWarning)
    // loop = asyncio.new_event_loop(); del loop; gc.collect()               → the warning
    // (aiosim names its loop class EventLoop: divergences.md, "Class names")
    const loops: EventLoop[] = [];
    const events = observe((say) => {
      loops.push(new EventLoop());
      gcCollect();
      say('default filter now');
      warnings.simplefilter('default', ResourceWarning);
      loops.push(new EventLoop());
      gcCollect();
    });
    expect(events).toEqual([
      ['say', 'default filter now'],
      ['warn', 'ResourceWarning', 'unclosed event loop <EventLoop running=False closed=False debug=False>'],
    ]);
    expect(loops.map((l) => l.isClosed())).toEqual([true, true]);
  });

  it("warns once per location under 'default' and every time under 'always'", () => {
    // with catch_warnings(): simplefilter('default', ResourceWarning)
    //     a = new_event_loop(); del a; gc.collect(); b = new_event_loop(); del b; gc.collect()  → one warning
    // with catch_warnings(): simplefilter('always', ResourceWarning)
    //     a = new_event_loop(); b = new_event_loop(); b.set_debug(True)
    //     del a; gc.collect(); del b; gc.collect()                                           → two warnings
    const once = observe(() => {
      warnings.simplefilter('default', ResourceWarning);
      new EventLoop();
      gcCollect();
      new EventLoop();
      gcCollect();
    });
    const always = observe(() => {
      warnings.simplefilter('always', ResourceWarning);
      new EventLoop();
      new EventLoop({ debug: true });
      gcCollect();
    });
    expect([once, always]).toEqual([
      [['warn', 'ResourceWarning', 'unclosed event loop <EventLoop running=False closed=False debug=False>']],
      [
        ['warn', 'ResourceWarning', 'unclosed event loop <EventLoop running=False closed=False debug=False>'],
        ['warn', 'ResourceWarning', 'unclosed event loop <EventLoop running=False closed=False debug=True>'],
      ],
    ]);
  });

  it('leaves the current loop and a running loop alone', () => {
    // simplefilter('always', ResourceWarning)
    // loop = new_event_loop(); set_event_loop(loop); del loop; gc.collect(); print('current: nothing')
    // set_event_loop(None); loop.close()
    // async def main(): gc.collect(); print('inside, running', get_running_loop().is_running()); return 'ok'
    // print(asyncio.run(main())); gc.collect()
    const current = new EventLoop();
    const events = observe((say) => {
      warnings.simplefilter('always', ResourceWarning);
      setEventLoop(current);
      gcCollect();
      say(`current: closed=${repr(current.isClosed())}`);
      setEventLoop(undefined);
      current.close();
      const main = coroutine(function* main(): Coro<string> {
        gcCollect();
        say(`inside, running ${repr(getRunningLoop().isRunning())}`);
        return 'ok';
      });
      say(repr(run(main())));
      gcCollect();
    });
    expect(events).toEqual([
      ['say', 'current: closed=False'],
      ['say', 'inside, running True'],
      ['say', "'ok'"],
    ]);
  });
});

describe('loop.close', () => {
  it('prints what a closed coroutine throws, undefined as TypeError, as "Exception ignored in" (docs/divergences.md, "Thrown values")', () => {
    const loop = new EventLoop();
    const stuck = coroutine(function* stuck(): Coro<void> {
      try {
        yield* sleep(10);
      } finally {
        // eslint-disable-next-line no-unsafe-finally
        throw undefined;
      }
    });
    loop.createTask(stuck());
    loop.runUntilComplete(sleep(0));
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let err: string;
    try {
      observe(() => loop.close());
      err = write.mock.calls.map((c) => String(c[0])).join('');
    } finally {
      write.mockRestore();
    }
    const lines = err.trimEnd().split('\n');
    expect([normaliseSites(lines[0] ?? ''), lines.at(-1)]).toEqual([
      'Exception ignored in: <coroutine object stuck at 0x?>', 'TypeError: exceptions must derive from BaseException',
    ]);
  });
});
