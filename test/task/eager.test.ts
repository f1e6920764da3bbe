// Eager task factories (3.12+): the first step runs inside createTask. Every
// expectation is CPython 3.13.2's output for the equivalent Python program (default
// task names given relative to the scenario's main task).

import { describe, expect, it } from 'vitest';
import {
  allTasks, CancelledError, createEagerTaskFactory, createTask, currentTask, eagerTaskFactory, EventLoop,
  KeyboardInterrupt, repr, RuntimeError, Task, ValueError, type Coro, type Future,
} from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';
import { py } from '../_support/python.js';
import { relName, runScenario, taskNumber, ticker, type Scene } from '../_support/scenario.js';

// The scenario's logger and main-task number, for coroutines defined at module level.
const G: { log: (e: string) => void; base: number } = { log: () => {}, base: 0 };
const name = (): string => relName(currentTask(), G.base);

function setUp(scene: Scene): void {
  G.log = scene.log;
  G.base = taskNumber(currentTask() as Task<unknown>);
}

function* instant<T>(v: T): Coro<T> {
  const me = currentTask();
  G.log(`instant runs current=${name()} in_all=${py(allTasks().has(me!))}`);
  return v;
}

function* raiser(): Coro<never> {
  G.log('raiser runs');
  throw new ValueError('eager boom');
}

function* suspends<T>(fut: Future<T>): Coro<T> {
  G.log(`suspends part 1 current=${name()}`);
  yield;
  G.log('suspends part 2');
  const v = yield* fut;
  G.log(`suspends got ${String(v)}`);
  return v;
}

function* nested(): Coro<number> {
  G.log(`nested outer current=${name()}`);
  const t = createTask(instant(7), { name: 'inner' });
  G.log(`nested back current=${name()} inner.done=${py(t.done())}`);
  return t.result();
}

function* one(): Coro<number> {
  return 1;
}

function* hangOn(fut: Future<unknown>): Coro<void> {
  yield* fut;
}

function* stepper(label: string, n: number): Coro<void> {
  for (let i = 0; i < n; i++) {
    G.log(`${label} ${i}`);
    yield;
  }
  G.log(`${label} end`);
}

describe('eagerTaskFactory', () => {
  it('runs the first step inside createTask, as the new task, and finishes a coroutine that never suspends', () => {
    const trace = runScenario(function* main(scene: Scene): Coro<void> {
      setUp(scene);
      const { loop, log } = scene;
      loop.setTaskFactory(eagerTaskFactory);
      log('before create');
      const t = createTask(instant(5), { name: 'E' });
      log(`after create done=${py(t.done())} result=${t.result()} current=${name()}`);
      log(`cancel=${py(t.cancel())} cancelled=${py(t.cancelled())}`);
      log(normaliseSites(repr(t)));
      const r = createTask(raiser(), { name: 'R' });
      log(`raiser done=${py(r.done())} exc=${repr(r.exception())}`);
      const n = createTask(nested(), { name: 'N' });
      log(`nested done=${py(n.done())} result=${n.result()}`);
      const fut = loop.createFuture<string>();
      const doneFut = loop.createFuture<string>();
      doneFut.setResult('ready');
      const d = createTask(suspends(doneFut), { name: 'D' });
      log(`D after create done=${py(d.done())}`);
      ticker(loop, log, 4);
      const s = createTask(suspends(fut), { name: 'S' });
      log(`S after create done=${py(s.done())} in_all=${py(allTasks().has(s))} ${normaliseSites(repr(s))}`);
      loop.callLater(1, (v: string) => fut.setResult(v), 'late');
      const v = yield* s;
      log(`main got ${v}`);
      yield* d;
    });
    expect(trace).toEqual([
      [0, 'before create'], [0, 'instant runs current=Task+1 in_all=True'],
      [0, 'after create done=True result=5 current=Task+0'], [0, 'cancel=False cancelled=False'],
      [0, "<Task finished name='E' result=5>"], [0, 'raiser runs'],
      [0, "raiser done=True exc=ValueError('eager boom')"], [0, 'nested outer current=Task+3'],
      [0, 'instant runs current=Task+4 in_all=True'], [0, 'nested back current=Task+3 inner.done=True'],
      [0, 'nested done=True result=7'], [0, 'suspends part 1 current=Task+5'], [0, 'D after create done=False'],
      [0, 'suspends part 1 current=Task+6'],
      [0, "S after create done=False in_all=True <Task pending name='S' coro=<suspends() running at F:L>>"],
      [0, 'suspends part 2'], [0, 'suspends got ready'], [0, 'tick 0'], [0, 'suspends part 2'], [0, 'tick 1'],
      [0, 'tick 2'], [0, 'tick 3'], [0, 'tick 4'], [1, 'suspends got late'], [1, 'main got late'],
      ['return', 'None'],
    ]);
  });

  it('orders eager first steps before the creator goes on, and later steps with lazy tasks', () => {
    const trace = runScenario(function* main(scene: Scene): Coro<void> {
      setUp(scene);
      const { loop, log } = scene;
      loop.setTaskFactory(eagerTaskFactory);
      ticker(loop, log, 4);
      const a = createTask(stepper('eagerA', 2));
      const b = new Task(stepper('lazyB', 2), { loop });
      const c = createTask(stepper('eagerC', 2));
      log('main created');
      yield;
      log('main after yield');
      const d = createTask(stepper('eagerD', 1));
      log('main created D');
      yield* a;
      yield* b;
      yield* c;
      yield* d;
      log('main done');
    });
    expect(trace).toEqual([
      [0, 'eagerA 0'], [0, 'eagerC 0'], [0, 'main created'], [0, 'tick 0'], [0, 'eagerA 1'], [0, 'lazyB 0'],
      [0, 'eagerC 1'], [0, 'main after yield'], [0, 'eagerD 0'], [0, 'main created D'], [0, 'tick 1'],
      [0, 'eagerA end'], [0, 'lazyB 1'], [0, 'eagerC end'], [0, 'eagerD end'], [0, 'tick 2'], [0, 'lazyB end'],
      [0, 'tick 3'], [0, 'main done'], [0, 'tick 4'], ['return', 'None'],
    ]);
  });

  it('handles cancel, BaseException, bad yields and callbacks around the eager step as CPython does', () => {
    function* cancelThenReturn(): Coro<number> {
      currentTask()!.cancel('self');
      G.log('eager cancelled itself');
      return 1;
    }
    function* cancelThenAwait(fut: Future<unknown>): Coro<void> {
      currentTask()!.cancel();
      try {
        yield* fut;
      } catch (e) {
        G.log(`await raised ${repr(e)}`);
        throw e;
      }
    }
    function* interrupt(): Coro<void> {
      G.log('raising KeyboardInterrupt');
      throw new KeyboardInterrupt('stop');
    }
    function* bad(): Coro<string> {
      try {
        yield 42 as unknown as undefined;
      } catch (e) {
        if (!(e instanceof RuntimeError)) throw e;
        G.log(`caught ${e.message}`);
      }
      return 'ok';
    }
    function* who(): Coro<void> {
      G.log(`eager step current=${name()}`);
      yield;
      G.log(`later step current=${name()}`);
    }
    const trace = runScenario(function* main(scene: Scene): Coro<void> {
      setUp(scene);
      const { loop, log } = scene;
      loop.setTaskFactory(eagerTaskFactory);
      const t = createTask(cancelThenReturn());
      log(`done=${py(t.done())} cancelled=${py(t.cancelled())} ${normaliseSites(repr(t))}`);
      try {
        t.result();
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        log(`result raised ${repr(e)}`);
      }
      const fut = loop.createFuture();
      const t2 = createTask(cancelThenAwait(fut));
      log(`done=${py(t2.done())} fut.cancelled=${py(fut.cancelled())}`);
      try {
        yield* t2;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        log(`main caught ${repr(e)}`);
      }
      try {
        createTask(interrupt(), { name: 'K' });
      } catch (e) {
        if (!(e instanceof KeyboardInterrupt)) throw e;
        log(`create_task raised ${repr(e)}`);
      }
      log(repr([...allTasks()].map((x) => relName(x, G.base)).sort()));
      const t3 = createTask(bad());
      log(`bad done=${py(t3.done())}`);
      log(yield* t3);
      let t4: Task<void> | undefined;
      loop.callSoon(() => {
        log(`callback current=${name()}`);
        t4 = loop.createTask(who(), { name: 'W' });
        log(`callback after current=${name()}`);
      });
      yield;
      yield* t4!;
    });
    expect(trace).toEqual([
      [0, 'eager cancelled itself'], [0, "done=True cancelled=True <Task cancelled name='None'>"],
      [0, "result raised CancelledError('self')"], [0, 'done=False fut.cancelled=True'],
      [0, 'await raised CancelledError()'], [0, 'main caught CancelledError()'], [0, 'raising KeyboardInterrupt'],
      [0, "create_task raised KeyboardInterrupt('stop')"], [0, "['Task+0']"], [0, 'bad done=False'],
      [0, 'caught Task got bad yield: 42'], [0, 'ok'], [0, 'callback current=None'],
      [0, 'eager step current=Task+5'], [0, 'callback after current=None'], [0, 'later step current=W'],
      ['return', 'None'],
      ['stderr', "Task exception was never retrieved\nfuture: <Task finished name='Task-16' exception=KeyboardInterrupt('stop')>\nTraceback (most recent call last):\nKeyboardInterrupt: stop\n"],
    ]);
  });

  it('drops the coroutine of a task its eager step completed: getCoro() is undefined', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const lazy = createTask(one());
      yield* lazy;
      log(`lazy done, get_coro kept=${py(lazy.getCoro() !== undefined)}`);
      loop.setTaskFactory(eagerTaskFactory);
      const e = createTask(one());
      log(`eager get_coro=${repr(e.getCoro())}`);
      const c = hangOn(loop.createFuture());
      const s = createTask(c);
      log(`eager suspended get_coro is coro=${py(s.getCoro() === c)}`);
      s.cancel();
      try {
        yield* s;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
      }
    });
    expect(trace).toEqual([
      [0, 'lazy done, get_coro kept=True'], [0, 'eager get_coro=None'], [0, 'eager suspended get_coro is coro=True'],
      ['return', 'None'],
    ]);
  });

  it('schedules the first step normally when the loop is not running yet', () => {
    const loop = new EventLoop();
    const trace: [number | string, string][] = [];
    G.log = (e) => void trace.push([loop.time(), e]);
    G.base = 0;
    loop.setTaskFactory(eagerTaskFactory);
    const t = loop.createTask(instant(9));
    G.log(`not running: done=${py(t.done())} name=${t.getName()}`);
    G.log(`${loop.runUntilComplete(t)}`);
    loop.close();
    expect(trace).toEqual([
      [0, 'not running: done=False name=None'], [0, 'instant runs current=None in_all=True'], [0, '9'],
    ]);
  });
});

describe('createEagerTaskFactory', () => {
  it('builds instances of the given Task subclass with an eager first step', () => {
    class MyTask<T> extends Task<T> {}
    const trace = runScenario(function* main(scene: Scene): Coro<void> {
      setUp(scene);
      const { loop, log } = scene;
      loop.setTaskFactory(createEagerTaskFactory(MyTask));
      const t = createTask(instant(3));
      log(`${t.constructor.name} done=${py(t.done())} ${normaliseSites(repr(t))}`);
      const fut = loop.createFuture<number>();
      const u = createTask(suspends(fut), { name: 'U' });
      log(`${u.constructor.name} done=${py(u.done())} ${normaliseSites(repr(u))}`);
      fut.setResult(1);
      yield* u;
    });
    expect(trace).toEqual([
      [0, 'instant runs current=Task+1 in_all=True'],
      [0, "MyTask done=True <MyTask finished name='None' result=3>"],
      [0, 'suspends part 1 current=Task+2'],
      [0, "MyTask done=False <MyTask pending name='U' coro=<suspends() running at F:L>>"],
      [0, 'suspends part 2'], [0, 'suspends got 1'], ['return', 'None'],
    ]);
  });

  it('ends an eager task with the very value its first step threw, undefined as TypeError (docs/divergences.md, "Thrown values")', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      loop.setTaskFactory(eagerTaskFactory);
      function* fails(value: unknown): Coro<void> {
        throw value;
      }
      for (const value of ['eager text', undefined]) {
        const t = createTask(fails(value));
        log(`done=${py(t.done())} exception=${repr(t.exception())}`);
      }
      loop.setTaskFactory(undefined);
    });
    expect(trace).toEqual([
      [0, "done=True exception='eager text'"],
      [0, "done=True exception=TypeError('exceptions must derive from BaseException')"], ['return', 'None'],
    ]);
  });
});
