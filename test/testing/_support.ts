// Helpers shared by the tests of aiosim/testing: a program run under a Trace, the same
// program traced on CPython by trace_probe.py, an expected exception, a shell command, the
// README's copy of an example.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createTask, EventLoop, getRunningLoop, type Coro, type Future, type Task } from '../../src/index.js';
import { Trace, type TraceOptions } from '../../src/testing/index.js';
import { runPython } from '../scenario/oracle/cpython.js';

/** trace_probe.py: CPython's asyncio patched to print the decisions a Trace records. */
export const TRACE_PROBE = readFileSync(join(import.meta.dirname, 'trace_probe.py'), 'utf8');

/**
 * `program` (Python defining `async def main()`) run on a fresh CPython loop traced by the
 * probe: the program's own output lines, then main's result, then the trace lines.
 */
export async function cpythonTrace(program: string): Promise<string[]> {
  const runner = 'loop = asyncio.new_event_loop()\nattach(loop)\nprint(loop.run_until_complete(main()))\nloop.close()\ndump()\n';
  const out = await runPython(`${TRACE_PROBE}\n${program}\n${runner}`, 'prog.py');
  return out.trimEnd().split('\n');
}

/**
 * The CPython twin of trace.test.ts's and async-coroutine.test.ts's `tasksMain`: two tasks,
 * a failing one, a cancelled one, a callback and a future resolved late. Prints 'hello', 6.
 */
export const TASKS_PYTHON = `
async def worker(n):
    await asyncio.sleep(n)
    return n * 2

async def failing():
    await asyncio.sleep(0.5)
    raise ValueError('boom')

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    def resolve(v):
        fut.set_result(v)
    loop.call_later(1.5, resolve, 'late')
    a = asyncio.create_task(worker(1))
    b = asyncio.create_task(worker(2), name='second')
    c = asyncio.create_task(failing())
    loop.call_soon(print, 'hello')
    x = await a
    try:
        await c
    except ValueError:
        pass
    b.cancel()
    try:
        await b
    except asyncio.CancelledError:
        pass
    await asyncio.sleep(0)
    return x + len(await fut)
`;

/**
 * TASKS_PYTHON's main up to its first await, for its twins in either coroutine style: the
 * future `resolve` sets to 'late' at 1.5, tasks worker(1), worker(2) named 'second' and
 * failing(), then a `print` callback.
 */
export function startTasks(
  worker: (n: number) => Generator<unknown, number, unknown>, failing: () => Generator<unknown, void, unknown>,
): { fut: Future<string>; a: Task<number>; b: Task<number>; c: Task<void> } {
  const loop = getRunningLoop();
  const fut = loop.createFuture<string>();
  function resolve(v: string): void {
    fut.setResult(v);
  }
  loop.callLater(1.5, resolve, 'late');
  const a = createTask(worker(1));
  const b = createTask(worker(2), { name: 'second' });
  const c = createTask(failing());
  loop.callSoon(function print() {}, 'hello');
  return { fut, a, b, c };
}

/**
 * Run `main()` to completion on a fresh loop with a Trace attached; the trace is detached
 * and the loop closed after, whatever happens.
 */
export function tracedRun<T>(main: () => Coro<T>, options?: TraceOptions): { result: T; trace: Trace } {
  const loop = new EventLoop();
  const trace = new Trace(options).attach(loop);
  try {
    return { result: loop.runUntilComplete(main()), trace };
  } finally {
    trace.detach();
    loop.close();
  }
}

/** The Trace of {@link tracedRun}. */
export function traced(main: () => Coro<unknown>, options?: TraceOptions): Trace {
  return tracedRun(main, options).trace;
}

/** The exception `fn` throws; fails the test if it returns. */
export function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an exception');
}

/** `command args` run in `cwd`: its stdout, or an error with its output (or saying it is missing). */
export function run(command: string, args: string[], cwd: string): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { code?: string; stdout?: string; stderr?: string; message: string };
    if (err.code === 'ENOENT') throw new Error(`${command} is not available on this machine: the packed-package test needs Node's ${command}`);
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}${err.stderr ?? err.message}`);
  }
}

/**
 * Expect the first ```ts block after `heading` in `document` (the README unless given, a
 * path from the repository's root) to be the code of the test file `file` between its
 * `// README:begin` and `// README:end` lines, with the package's import paths in place of
 * the source tree's.
 */
export function expectReadmeShows(file: string, heading: string, document = 'README.md'): void {
  const self = readFileSync(file, 'utf8');
  const code = self.slice(self.indexOf('// README:begin\n') + 16, self.indexOf('// README:end'))
    .replace("'../../src/index.js'", "'aiosim'")
    .replace("'../../src/testing/index.js'", "'aiosim/testing'");
  const readme = readFileSync(join(import.meta.dirname, '..', '..', document), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  expect(section.startsWith(heading)).toBe(true);
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(block).toBe(code);
}
