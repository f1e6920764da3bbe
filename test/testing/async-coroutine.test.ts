// Async-function coroutines give CPython's order: the same programs written with
// `async function`s, run by runUntilCompleteAsync, trace exactly as CPython 3.13 traces
// them (test/testing/trace_probe.py observes CPython's own asyncio) and exactly as their
// generator twins trace in aiosim.

import { describe, expect, it } from 'vitest';
import {
  CancelledError, createTask, EventLoop, Event, gather, getRunningLoop, Lock, Queue, sleep, TaskGroup, timeout, TimeoutError,
  asyncWith, repr, waitFor, type Coro,
} from '../../src/index.js';
import { asyncCoroutine, awaitable, runUntilCompleteAsync, Trace, withAsync } from '../../src/testing/index.js';
import { cpythonTrace, startTasks, TASKS_PYTHON, tracedRun } from './_support.js';

async function tracedAsync(main: Generator<unknown, unknown, unknown>, debug = false): Promise<string[]> {
  const loop = new EventLoop({ debug });
  const trace = new Trace().attach(loop);
  try {
    const result = await runUntilCompleteAsync(loop, main);
    loop.close();
    return [String(result), ...trace.lines()];
  } finally {
    trace.detach();
  }
}

// main's result, then its trace lines, run by loop.runUntilComplete (tracedAsync: by runUntilCompleteAsync).
function traced(main: Coro<unknown>): string[] {
  const { result, trace } = tracedRun(() => main);
  return [String(result), ...trace.lines()];
}

// ---- cancellation, a done future, timeout + TaskGroup, inline awaits, wait_for ----------

const toolkitPython = `
async def child(n):
    await asyncio.sleep(n)
    return n

async def sleeper(n):
    try:
        await asyncio.sleep(n)
    except asyncio.CancelledError:
        await asyncio.sleep(0)
        raise

async def inner():
    await asyncio.sleep(0.5)
    return 'in'

async def gen():
    await asyncio.sleep(0.25)
    x = await inner()
    await asyncio.sleep(0)
    return x + '!'

async def plain():
    await asyncio.sleep(0.1)
    return 'plain'

async def main():
    t = asyncio.create_task(sleeper(10))
    await asyncio.sleep(1)
    t.cancel('stop')
    msg = ''
    try:
        await t
    except asyncio.CancelledError as e:
        msg = str(e)
    f = asyncio.get_running_loop().create_future()
    f.set_result(3)
    v = await f
    try:
        async with asyncio.timeout(1.5):
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child(1))
                tg.create_task(child(2))
    except TimeoutError:
        pass
    g = await gen()
    p = await plain()
    c = await inner()
    try:
        await asyncio.wait_for(child(5), 1)
    except TimeoutError:
        pass
    return f'{msg} {v} {g} {p} {c}'
`;

const child = asyncCoroutine(async function child(n: number): Promise<number> {
  await awaitable(sleep(n));
  return n;
});

const sleeper = asyncCoroutine(async function sleeper(n: number): Promise<void> {
  try {
    await awaitable(sleep(n));
  } catch (e) {
    if (e instanceof CancelledError) await awaitable(sleep(0));
    throw e;
  }
});

const inner = asyncCoroutine(async function inner(): Promise<string> {
  await awaitable(sleep(0.5));
  return 'in';
});

// A generator coroutine awaiting an async-function coroutine inline (Python's `gen` is async too).
function* gen(): Coro<string> {
  yield* sleep(0.25);
  const x = yield* inner();
  yield;
  return `${x}!`;
}

// A plain async function (not wrapped): awaited, it runs inline as well.
async function plain(): Promise<string> {
  await awaitable(sleep(0.1));
  return 'plain';
}

const toolkitMain = asyncCoroutine(async function main(): Promise<string> {
  const t = createTask(sleeper(10));
  await awaitable(sleep(1));
  t.cancel('stop');
  let msg = '';
  try {
    await t;
  } catch (e) {
    msg = (e as CancelledError).message;
  }
  const f = getRunningLoop().createFuture<number>();
  f.setResult(3);
  const v = await f;
  try {
    await withAsync(timeout(1.5), async () => {
      await withAsync(new TaskGroup(), (tg) => {
        tg.createTask(child(1));
        tg.createTask(child(2));
      });
    });
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
  }
  const g = await awaitable(gen());
  const p = await plain();
  const c = await inner();
  try {
    await awaitable(waitFor(child(5), 1));
  } catch (e) {
    if (!(e instanceof TimeoutError)) throw e;
  }
  return `${msg} ${v} ${g} ${p} ${c}`;
});

// ---- the program of trace.test.ts (TASKS_PYTHON): tasks, a failing task, a cancelled one, a late future ----

class ValueError extends Error {}

const worker = asyncCoroutine(async function worker(n: number): Promise<number> {
  await awaitable(sleep(n));
  return n * 2;
});

const failing = asyncCoroutine(async function failing(): Promise<void> {
  await awaitable(sleep(0.5));
  throw new ValueError('boom');
});

const tasksMain = asyncCoroutine(async function main(): Promise<number> {
  const { fut, a, b, c } = startTasks(worker, failing);
  const x = await a;
  try {
    await c;
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
  }
  b.cancel();
  try {
    await b;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
  }
  await awaitable(sleep(0));
  return x + (await fut).length;
});

// ---- a queue, a lock and an event ----------------------------------------------------

const syncPython = `
async def producer(q, n):
    for i in range(n):
        await q.put(i)
        await asyncio.sleep(0.1)
    await q.put(None)

async def consumer(q, lock, out):
    while True:
        item = await q.get()
        if item is None:
            return len(out)
        async with lock:
            await asyncio.sleep(0.05)
            out.append(item)

async def main():
    q = asyncio.Queue(2)
    lock = asyncio.Lock()
    ev = asyncio.Event()
    out = []
    def fire():
        ev.set()
    asyncio.get_running_loop().call_later(0.3, fire)
    c = asyncio.create_task(consumer(q, lock, out))
    p = asyncio.create_task(producer(q, 4))
    await ev.wait()
    n = await c
    await p
    return f'{out} {n}'
`;

const producer = asyncCoroutine(async function producer(q: Queue<number | undefined>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await awaitable(q.put(i));
    await awaitable(sleep(0.1));
  }
  await awaitable(q.put(undefined));
});

const consumer = asyncCoroutine(async function consumer(q: Queue<number | undefined>, lock: Lock, out: number[]): Promise<number> {
  for (;;) {
    const item = await awaitable(q.get());
    if (item === undefined) return out.length;
    await withAsync(lock, async () => {
      await awaitable(sleep(0.05));
      out.push(item);
    });
  }
});

// What both twins of main make first: the queue, the lock, the event (set at 0.3) and the list.
function syncState(): { q: Queue<number | undefined>; lock: Lock; ev: Event; out: number[] } {
  const q = new Queue<number | undefined>(2);
  const lock = new Lock();
  const ev = new Event();
  const out: number[] = [];
  getRunningLoop().callLater(0.3, function fire() {
    ev.set();
  });
  return { q, lock, ev, out };
}

const syncMain = asyncCoroutine(async function main(): Promise<string> {
  const { q, lock, ev, out } = syncState();
  const c = createTask(consumer(q, lock, out));
  const p = createTask(producer(q, 4));
  await awaitable(ev.wait());
  const n = await c;
  await p;
  return `[${out.join(', ')}] ${n}`;
});

// The same program with generator coroutines.
const producerG = function* producer(q: Queue<number | undefined>, n: number): Coro<void> {
  for (let i = 0; i < n; i++) {
    yield* q.put(i);
    yield* sleep(0.1);
  }
  yield* q.put(undefined);
};

const consumerG = function* consumer(q: Queue<number | undefined>, lock: Lock, out: number[]): Coro<number> {
  for (;;) {
    const item = yield* q.get();
    if (item === undefined) return out.length;
    yield* asyncWith(lock, function* () {
      yield* sleep(0.05);
      out.push(item);
    });
  }
};

const syncMainG = function* main(): Coro<string> {
  const { q, lock, ev, out } = syncState();
  const c = createTask(consumerG(q, lock, out));
  const p = createTask(producerG(q, 4));
  yield* ev.wait();
  const n = yield* c;
  yield* p;
  return `[${out.join(', ')}] ${n}`;
};

// ---- gather over a sleep chain ----------------------------------------------------------

const chain = asyncCoroutine(async function chain(n: number): Promise<number> {
  let total = 0;
  for (let i = 1; i <= n; i++) total += await awaitable(sleep(0.5 * i, i));
  return total;
});

const gatherMain = asyncCoroutine(async function main(): Promise<string> {
  const r = await gather(chain(3), chain(2), createTask(chain(1)));
  await awaitable(sleep(0));
  return r.join(',');
});

const chainG = function* chain(n: number): Coro<number> {
  let total = 0;
  for (let i = 1; i <= n; i++) total += yield* sleep(0.5 * i, i);
  return total;
};

const gatherMainG = function* main(): Coro<string> {
  const r = yield* gather(chainG(3), chainG(2), createTask(chainG(1)));
  yield;
  return r.join(',');
};

describe('asyncCoroutine under runUntilCompleteAsync', () => {
  it('traces cancellation, timeouts, a TaskGroup and inline awaits as CPython does', async () => {
    const expected = await cpythonTrace(toolkitPython);
    expect(expected[0]).toBe('stop 3 in! plain in');
    expect(await tracedAsync(toolkitMain())).toEqual(expected);
  });

  it('traces tasks, a failing task, a cancelled task and a late future as CPython does', async () => {
    const expected = await cpythonTrace(TASKS_PYTHON);
    expect(expected.slice(0, 2)).toEqual(['hello', '6']);
    expect(await tracedAsync(tasksMain())).toEqual(expected.slice(1));
  });

  it('traces a queue, a lock and an event as CPython does, and as the generator program does', async () => {
    const expected = await cpythonTrace(syncPython);
    expect(expected[0]).toBe('[0, 1, 2, 3] 4');
    const asyncLines = await tracedAsync(syncMain());
    expect(asyncLines).toEqual(expected);
    expect(traced(syncMainG())).toEqual(asyncLines);
  });

  it('traces gather over sleep chains as the generator program does', async () => {
    const asyncLines = await tracedAsync(gatherMain());
    expect(asyncLines[0]).toBe('6,3,1');
    expect(asyncLines).toContain("3.0   main: done, result='6,3,1'");
    expect(traced(gatherMainG())).toEqual(asyncLines);
  });

  it('runs generator programs exactly as runUntilComplete does', async () => {
    expect(await tracedAsync(syncMainG())).toEqual(traced(syncMainG()));
  });

  it('gives the same trace on every run, in debug mode too', async () => {
    const first = await tracedAsync(toolkitMain());
    expect(await tracedAsync(toolkitMain())).toEqual(first);
    expect(await tracedAsync(toolkitMain(), true)).toEqual(first);
  });
});

// docs/divergences.md, "Thrown values": the async-function mode follows the same rule.
describe('withAsync and async-function tasks: thrown values that are not Errors', () => {
  it('exits a manager with TypeError for undefined, carries any other value as it is', async () => {
    const loop = new EventLoop();
    const seen: string[] = [];
    const cm = {
      *aenter(): Coro<string> {
        return 'v';
      },
      *aexit(exc?: unknown): Coro<boolean> {
        seen.push(`aexit ${repr(exc)}`);
        return false;
      },
    };
    const failing = asyncCoroutine(async function failing(): Promise<void> {
      await awaitable(sleep(0));
      throw 42;
    });
    const main = asyncCoroutine(async function main(): Promise<void> {
      for (const value of [undefined, 'text']) {
        try {
          await withAsync(cm, async () => {
            throw value;
          });
        } catch (e) {
          seen.push(`caught ${repr(e)}`);
        }
      }
      try {
        await createTask(failing());
      } catch (e) {
        seen.push(`task raised ${repr(e)}`);
      }
    });
    await runUntilCompleteAsync(loop, main());
    loop.close();
    const noneError = "TypeError('exceptions must derive from BaseException')";
    expect(seen).toEqual([`aexit ${noneError}`, `caught ${noneError}`, "aexit 'text'", "caught 'text'", 'task raised 42']);
  });
});
