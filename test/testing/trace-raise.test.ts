// Trace `raise` events: exceptions raised inside coroutines a task awaits inline
// (`yield* other()`), for coroutine(fn) coroutines. CPython's trace of the same program
// (test/testing/trace_probe.py watching the program's coroutines unwind) must be the same.

import { describe, expect, it } from 'vitest';
import {
  CancelledError, coroutine, createTask, EventLoop, RuntimeError, sleep, ValueError, type Coro, type Task,
} from '../../src/index.js';
import { Trace } from '../../src/testing/index.js';
import { cpythonTrace, traced, tracedRun } from './_support.js';

// Exceptions raised inside coroutines awaited inline: caught by the task, wrapped in another,
// thrown in (a cancellation, an awaited task's failure: not raised there), and propagated
// out of a task.
const failing = coroutine(function* failing(): Coro<never> {
  yield* sleep(0.5);
  throw new ValueError('boom');
});
const middle = coroutine(function* middle(): Coro<never> {
  return yield* failing();
});
const recovering = coroutine(function* recovering(): Coro<void> {
  try {
    yield* failing();
  } catch (e) {
    throw new RuntimeError('wrapped', { cause: e });
  }
});
const napping = coroutine(function* napping(): Coro<void> {
  yield* sleep(10);
});
const helper = coroutine(function* helper(): Coro<void> {
  yield* napping();
});
const outer = coroutine(function* outer(): Coro<void> {
  yield* failing();
});
const waitingOn = coroutine(function* waiting_on(t: Task<void>): Coro<void> {
  return yield* t;
});

const raisesMain = coroutine(function* main(): Coro<string> {
  try {
    yield* middle();
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
  }
  try {
    yield* recovering();
  } catch (e) {
    if (!(e instanceof RuntimeError)) throw e;
  }
  const h = createTask(helper());
  yield* sleep(0);
  h.cancel();
  try {
    yield* h;
  } catch (e) {
    if (!(e instanceof CancelledError)) throw e;
  }
  const o = createTask(outer());
  for (let i = 0; i < 2; i++) {
    try {
      yield* waitingOn(o);
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
    }
  }
  return 'ok';
});

const raisesProgram = `
watch_raises('prog.py')

async def failing():
    await asyncio.sleep(0.5)
    raise ValueError('boom')

async def middle():
    return await failing()

async def recovering():
    try:
        await failing()
    except ValueError as e:
        raise RuntimeError('wrapped') from e

async def napping():
    await asyncio.sleep(10)

async def helper():
    await napping()

async def outer():
    await failing()

async def waiting_on(t):
    return await t

async def main():
    try:
        await middle()
    except ValueError:
        pass
    try:
        await recovering()
    except RuntimeError:
        pass
    h = asyncio.create_task(helper())
    await asyncio.sleep(0)
    h.cancel()
    try:
        await h
    except asyncio.CancelledError:
        pass
    o = asyncio.create_task(outer())
    for _ in range(2):
        try:
            await waiting_on(o)
        except ValueError:
            pass
    return 'ok'
`;

describe('Trace raise events', () => {
  it('records exceptions raised in coroutines awaited inline, as CPython raises them', async () => {
    const expected = await cpythonTrace(raisesProgram);
    expect(expected[0]).toBe('ok');
    const { result, trace } = tracedRun(raisesMain);
    expect(result).toBe('ok');
    expect(trace.lines()).toEqual(expected.slice(1));
    expect(trace.lines().filter((l) => l.includes('raised'))).toEqual([
      "0.5   main: failing() raised ValueError('boom')",
      "1.0   main: failing() raised ValueError('boom')",
      "1.0   main: recovering() raised RuntimeError('wrapped')",
      "1.5   outer: failing() raised ValueError('boom')",
      "1.5   main: waiting_on() raised ValueError('boom')",
    ]);
    expect(trace.events.filter((e) => e.kind === 'raise')[0]).toMatchObject({ task: 'main', coroutine: 'failing', exception: "ValueError('boom')" });
  });

  it('sees no raise among plain generators, nor in a coroutine driven outside a task', () => {
    function* plainFailing(): Coro<void> {
      throw new ValueError('plain');
    }
    const trace = traced(function* main(): Coro<void> {
      try {
        yield* plainFailing();
      } catch {
        // caught
      }
    }, { kinds: ['raise', 'done'] });
    expect(trace.lines()).toEqual(['0.0 main: done, result=None']);
    const raiser = coroutine(function* raiser(): Coro<void> {
      throw new ValueError('outside');
    });
    const loop = new EventLoop();
    const outside = new Trace().attach(loop);
    expect(() => raiser().next()).toThrow('outside');
    outside.detach();
    loop.close();
    expect(outside.events).toEqual([]);
  });
});
