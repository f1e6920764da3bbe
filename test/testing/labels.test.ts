// Labels: how traces name what they mention. Futures that asyncio's own functions make to
// wait on are named after those functions, as CPython spells them: a program is traced on
// CPython 3.13 (test/testing/trace_probe.py) and must give the same text.

import { describe, expect, it } from 'vitest';
import {
  asyncWith, Barrier, Condition, createTask, Event, EventLoop, gather, getRunningLoop, Lock, Queue, Semaphore, shield, sleep,
  TimeoutError, wait, waitFor, type Coro,
} from '../../src/index.js';
import { Trace } from '../../src/testing/index.js';
import { cpythonTrace, traced, tracedRun } from './_support.js';

// Futures made by asyncio's own functions to wait on: a semaphore, a condition, a barrier
// (built on a condition), shield, wait (on one task: CPython iterates a set, whose order
// changes from run to run), wait_for with no time left, an empty gather.
function* holder(sem: Semaphore, cond: Condition): Coro<void> {
  yield* asyncWith(sem, function* () {
    yield* sleep(1);
  });
  yield* asyncWith(cond, function* () {
    cond.notifyAll();
  });
}

function* condWaiter(cond: Condition): Coro<void> {
  yield* asyncWith(cond, function* () {
    yield* cond.wait();
  });
}

function* party(barrier: Barrier): Coro<number> {
  return yield* barrier.wait();
}

function* child(): Coro<void> {
  yield* sleep(5);
}

const rolesMain = function* main(): Coro<unknown[]> {
  const sem = new Semaphore(1);
  const cond = new Condition();
  const barrier = new Barrier(2);
  const h = createTask(holder(sem, cond));
  const w = createTask(condWaiter(cond));
  const b = createTask(party(barrier));
  yield* sleep(0);
  yield* asyncWith(sem, function* () {});
  yield* barrier.wait();
  yield* shield(b);
  yield* wait([w]);
  try {
    yield* waitFor(child(), 0);
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
  }
  return yield* gather();
};

const rolesProgram = `
async def holder(sem, cond):
    async with sem:
        await asyncio.sleep(1)
    async with cond:
        cond.notify_all()

async def condWaiter(cond):
    async with cond:
        await cond.wait()

async def party(barrier):
    return await barrier.wait()

async def child():
    await asyncio.sleep(5)

async def main():
    sem = asyncio.Semaphore(1)
    cond = asyncio.Condition()
    barrier = asyncio.Barrier(2)
    h = asyncio.create_task(holder(sem, cond))
    w = asyncio.create_task(condWaiter(cond))
    b = asyncio.create_task(party(barrier))
    await asyncio.sleep(0)
    async with sem:
        pass
    await barrier.wait()
    await asyncio.shield(b)
    await asyncio.wait([w])
    try:
        await asyncio.wait_for(child(), 0)
    except TimeoutError:
        pass
    return await asyncio.gather()
`;

describe('Labels of futures', () => {
  it('names the futures asyncio\'s functions wait on after those functions, as CPython spells them', async () => {
    const expected = await cpythonTrace(rolesProgram);
    expect(expected[0]).toBe('[]');
    const { result, trace } = tracedRun(rolesMain);
    expect(result).toEqual([]);
    expect(trace.lines()).toEqual(expected.slice(1));
    const awaits = trace.events.flatMap((e) => (e.kind === 'suspend' && e.awaits !== undefined ? [e.awaits] : []));
    expect(awaits).toEqual([
      'sleep future 1', 'Condition.wait future 1', 'Condition.wait future 2', 'Semaphore.acquire future 1', 'shield future 1',
      '_wait future 1', '_cancel_and_wait future 1',
    ]);
  });

  it('names the futures of sleep, locks, events and queues, and a plain future as future', () => {
    const trace = traced(function* main(): Coro<number> {
      const loop = getRunningLoop();
      const lock = new Lock();
      const ev = new Event();
      const q = new Queue<number>(1);
      const user = loop.createFuture<number>();
      loop.callLater(1, () => ev.set());
      loop.callLater(1.5, () => user.setResult(1));
      createTask((function* other(): Coro<void> {
        yield* asyncWith(lock, function* () {
          yield* sleep(0.5);
        });
        yield* q.put(1);
        yield* q.put(2);
        yield* sleep(1);
        yield* q.put(3);
      })());
      yield* sleep(0);
      yield* asyncWith(lock, function* () {});
      yield* ev.wait();
      const n = yield* user;
      return n + (yield* q.get()) + (yield* q.get()) + (yield* q.get());
    }, { kinds: ['suspend', 'done'] });
    expect(trace.lines()).toEqual([
      '0.0 main: yield',
      '0.0 other: await sleep future 1',
      '0.0 main: await Lock.acquire future 1',
      '0.5 sleep future 1: done, result=None',
      '0.5 Lock.acquire future 1: done, result=True',
      '0.5 other: await Queue.put future 1',
      '0.5 main: await Event.wait future 1',
      '1.0 Event.wait future 1: done, result=True',
      '1.0 main: await future 1',
      '1.5 future 1: done, result=1',
      '1.5 Queue.put future 1: done, result=None',
      '1.5 main: await Queue.get future 1',
      '1.5 Queue.get future 1: done, result=None',
      '1.5 other: await sleep future 2',
      '1.5 main: await Queue.get future 2',
      '2.5 sleep future 2: done, result=None',
      '2.5 Queue.get future 2: done, result=None',
      '2.5 other: done, result=None',
      '2.5 main: done, result=7',
    ]);
  });

  it('names a future made before it was attached by its kind alone', () => {
    const loop = new EventLoop();
    const task = loop.createTask(sleep(1));
    loop.advance(0);
    const trace = new Trace({ kinds: ['done'] }).attach(loop);
    loop.runUntilComplete(task);
    trace.detach();
    loop.close();
    expect(trace.lines()).toEqual(['1.0 future 1: done, result=None', '1.0 sleep: done, result=None']);
  });
});
