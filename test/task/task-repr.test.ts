// Task reprs and names: states, name=, coro=<… running at / done, defined at …>,
// wait_for=, cb=, the Task-N counter and 3.13's 'None' name under a task factory.
// Every expectation is CPython 3.13.2's output for the equivalent Python program,
// with source sites and addresses normalised (normaliseSites).

import { describe, expect, it } from 'vitest';
import {
  CancelledError, createTask, currentTask, eagerTaskFactory, EventLoop, repr, Task, ValueError, type Coro, type Future,
  type TaskFactory,
} from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';
import { runScenario, taskNumber, type Scene } from '../_support/scenario.js';

function noop(_fut: unknown): void {}

function* notmuch(): Coro<string> {
  return 'abc';
}

function* fails(): Coro<never> {
  throw new ValueError('bad');
}

function* waits<T>(fut: Future<T>): Coro<T> {
  return yield* fut;
}

function* one(): Coro<number> {
  return 1;
}

// Await `t` and swallow the CancelledError it ends with.
function* settle(t: Future<unknown>): Coro<void> {
  try {
    yield* t;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
  }
}

const r = (x: unknown): string => normaliseSites(repr(x));

describe('Task repr', () => {
  it('shows pending, cancelling (until uncancel brings the count to 0), cancelled, result and exception', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const t = createTask(notmuch(), { name: 'T' });
      log(r(t));
      t.addDoneCallback(noop);
      log(r(t));
      t.cancel();
      log(r(t));
      t.cancel();
      log(r(t));
      t.uncancel();
      log(r(t));
      t.uncancel();
      log(r(t));
      t.cancel();
      yield* settle(t);
      log(r(t));
      const t2 = createTask(notmuch(), { name: 'T2' });
      yield* t2;
      log(r(t2));
      const t3 = createTask(fails(), { name: 'T3' });
      try {
        yield* t3;
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
      }
      log(r(t3));
    });
    expect(trace).toEqual([
      [0, "<Task pending name='T' coro=<notmuch() running at F:L>>"],
      [0, "<Task pending name='T' coro=<notmuch() running at F:L> cb=[noop() at F:L]>"],
      [0, "<Task cancelling name='T' coro=<notmuch() running at F:L> cb=[noop() at F:L]>"],
      [0, "<Task cancelling name='T' coro=<notmuch() running at F:L> cb=[noop() at F:L]>"],
      [0, "<Task cancelling name='T' coro=<notmuch() running at F:L> cb=[noop() at F:L]>"],
      [0, "<Task pending name='T' coro=<notmuch() running at F:L> cb=[noop() at F:L]>"],
      [0, "<Task cancelled name='T' coro=<notmuch() done, defined at F:L>>"],
      [0, "<Task finished name='T2' coro=<notmuch() done, defined at F:L> result='abc'>"],
      [0, "<Task finished name='T3' coro=<fails() done, defined at F:L> exception=ValueError('bad')>"],
      ['return', 'None'],
    ]);
  });

  it('shows wait_for=<…> while awaiting, until the step that resumes the task runs', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const fut = loop.createFuture();
      const t4 = createTask(waits(fut), { name: 'T4' });
      yield;
      log(r(t4));
      t4.addDoneCallback(noop);
      log(r(t4));
      const t5 = createTask(waits(t4), { name: 'T5' });
      yield;
      log(r(t5));
      fut.setResult(undefined);
      log(r(t4));
      yield;
      log(r(t4));
      log(r(t5));
      yield* t5;
    });
    expect(trace).toEqual([
      [0, "<Task pending name='T4' coro=<waits() running at F:L> wait_for=<Future pending cb=[Task.task_wakeup()]>>"],
      [0, "<Task pending name='T4' coro=<waits() running at F:L> wait_for=<Future pending cb=[Task.task_wakeup()]> cb=[noop() at F:L]>"],
      [0, "<Task pending name='T5' coro=<waits() running at F:L> wait_for=<Task pending name='T4' coro=<waits() running at F:L> wait_for=<Future pending cb=[Task.task_wakeup()]> cb=[noop() at F:L, Task.task_wakeup()]>>"],
      [0, "<Task pending name='T4' coro=<waits() running at F:L> wait_for=<Future finished result=None> cb=[noop() at F:L, Task.task_wakeup()]>"],
      [0, "<Task finished name='T4' coro=<waits() done, defined at F:L> result=None>"],
      [0, "<Task pending name='T5' coro=<waits() running at F:L> wait_for=<Task finished name='T4' coro=<waits() done, defined at F:L> result=None>>"],
      ['return', 'None'],
    ]);
  });

  it('shows cancelling on a task and the task it awaits, then cancelled one iteration apart', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const fut6 = loop.createFuture();
      const t6 = createTask(waits(fut6), { name: 'T6' });
      const t7 = createTask(waits(t6), { name: 'T7' });
      yield;
      t7.cancel();
      log(r(t7));
      yield;
      log(r(t6));
      log(r(t7));
      yield;
      log(r(t7));
    });
    expect(trace).toEqual([
      [0, "<Task cancelling name='T7' coro=<waits() running at F:L> wait_for=<Task cancelling name='T6' coro=<waits() running at F:L> wait_for=<Future cancelled> cb=[Task.task_wakeup()]>>"],
      [0, "<Task cancelled name='T6' coro=<waits() done, defined at F:L>>"],
      [0, "<Task cancelling name='T7' coro=<waits() running at F:L> wait_for=<Task cancelled name='T6' coro=<waits() done, defined at F:L>>>"],
      [0, "<Task cancelled name='T7' coro=<waits() done, defined at F:L>>"],
      ['return', 'None'],
    ]);
  });

  it("shows the awaiting task's wake-up and runUntilComplete's callback in cb=[…]", () => {
    const reprs: string[] = [];
    runScenario(function* main(): Coro<void> {
      function* mainRepr(): Coro<void> {
        reprs.push(r(currentTask()));
      }
      yield* createTask(mainRepr());
      reprs.push(r(currentTask()));
    });
    expect(reprs).toHaveLength(2);
    expect(reprs[0]).toMatch(/^<Task pending name='Task-\d+' coro=<mainRepr\(\) running at F:L> cb=\[Task\.task_wakeup\(\)\]>$/);
    expect(reprs[1]).toMatch(/^<Task pending name='Task-\d+' coro=<main\(\) running at F:L> cb=\[_run_until_complete_cb\(\) at F:L\]>$/);
  });
});

describe('coroutine reprs', () => {
  it('reprs a generator object as a coroutine object, and an anonymous generator function as <lambda>', () => {
    // async def ticker(): ...
    // c = ticker(); repr(c) -> '<coroutine object ticker at 0x…>'
    // Python has no anonymous coroutine functions; aiosim names them as anonymous callbacks.
    function* ticker(): Coro<void> {}
    const anonymous = [function* (): Coro<void> {}][0]!;
    const loop = new EventLoop();
    const t = loop.createTask(anonymous());
    expect([r(ticker()), r(anonymous()), r(t)]).toEqual([
      '<coroutine object ticker at 0x?>', '<coroutine object <lambda> at 0x?>',
      `<Task pending name='Task-${taskNumber(t)}' coro=<<lambda>() running at F:L>>`,
    ]);
    loop.runUntilComplete(t);
    expect(r(t)).toBe(`<Task finished name='Task-${taskNumber(t)}' coro=<<lambda>() done, defined at F:L> result=None>`);
    loop.close();
  });
});

describe('Task.getName and Task.setName', () => {
  it('names unnamed tasks Task-N with N increasing by one; a given name takes no number', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const ts = [createTask(notmuch()), createTask(notmuch())];
      const named = createTask(notmuch(), { name: 'named' });
      ts.push(createTask(notmuch()));
      const base = taskNumber(currentTask() as Task<void>);
      log(`${ts.map((t) => taskNumber(t) - base).join(' ')}`);
      named.setName(undefined);
      log(repr(named.getName()));
      named.setName(5);
      log(repr(named.getName()));
      named.setName('x');
      log(repr(named.getName()));
      for (const t of ts) yield* t;
      yield* named;
    });
    // Python: the running task is Task-2, the others Task-3, Task-4, Task-5.
    expect(trace).toEqual([[0, '1 2 3'], [0, "'None'"], [0, "'5'"], [0, "'x'"], ['return', 'None']]);
  });

  it("takes str() of a non-string name, keeps an empty one, and treats undefined as no name", () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      const a = createTask(one(), { name: 5 });
      const b = createTask(one(), { name: '' });
      const c = createTask(one(), { name: undefined });
      log(`${repr(a.getName())} ${repr(b.getName())} ${/^Task-\d+$/.test(c.getName()) ? 'True' : 'False'} ${r(b)}`);
      for (const t of [a, b, c]) yield* t;
    });
    expect(trace).toEqual([[0, "'5' '' True <Task pending name='' coro=<one() running at F:L>>"], ['return', 'None']]);
  });

  it("names every task created without a name 'None' while any task factory is set (3.13), yet takes a number", () => {
    const plainFactory: TaskFactory = (loop, coro, options) => new Task(coro, { loop, ...options });
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const before = createTask(one());
      loop.setTaskFactory(plainFactory);
      const a = createTask(one());
      const b = createTask(one(), { name: 'b' });
      const c = loop.createTask(one());
      loop.setTaskFactory(eagerTaskFactory);
      const d = createTask(one());
      const e = createTask(one(), { name: 'e' });
      loop.setTaskFactory(undefined);
      const after = createTask(one());
      log(repr([a, b, c, d, e].map((t) => t.getName())));
      log(r(a));
      log(r(d));
      log(r(e));
      log(`${taskNumber(after) - taskNumber(before)}`);
      for (const t of [before, a, b, c, after]) yield* t;
      log(r(a));
    });
    expect(trace).toEqual([
      [0, "['None', 'b', 'None', 'None', 'e']"],
      [0, "<Task pending name='None' coro=<one() running at F:L>>"],
      [0, "<Task finished name='None' result=1>"],
      [0, "<Task finished name='e' result=1>"],
      [0, '6'],
      [0, "<Task finished name='None' coro=<one() done, defined at F:L> result=1>"],
      ['return', 'None'],
    ]);
  });
});

describe("a task's step handle", () => {
  it('shows its callback as a TaskStepMethWrapper object, as the C task does', () => {
    // CPython 3.13.2: repr(loop._ready[-1]) after create_task ->
    // '<Handle <_asyncio.TaskStepMethWrapper object at 0xeffdc8>()>'
    const loop = new EventLoop();
    function* c(): Coro<void> {}
    const t = loop.createTask(c());
    const handle = loop._ready.at(loop._ready.length - 1)!;
    expect(String(handle)).toMatch(/^<Handle <_asyncio\.TaskStepMethWrapper object at 0x[0-9a-f]+>\(\)>$/);
    loop.runUntilComplete(t);
    loop.close();
  });
});
