// Runner and run(): create a loop, run a coroutine in it, cancel what is left and close
// the loop. asyncio: runners.Runner / runners.run / runners._cancel_all_tasks

import { Context, copyContext } from '../contextvars/context.js';
import { CancelledError, KeyboardInterrupt, RuntimeError, ValueError } from '../errors/exceptions.js';
import { defaultIntHandler, getsignal, signal, type SignalHandler } from '../runtime/signals.js';
import { getIdent, MAIN_THREAD_IDENT } from '../runtime/thread-ident.js';
import { pyTypeName, repr } from '../format/py-repr.js';
import { EventLoop } from '../loop/event-loop.js';
import { _getRunningLoop, setEventLoop } from '../events/running-loop.js';
import { _promiseHint, isCoroutine } from '../task/coroutine.js';
import { allTasks } from '../task/current-task.js';
import { gather } from '../task/gather.js';
import type { ContextManager } from '../task/context-manager.js';
import type { Task } from '../task/task.js';

/** Options of `Runner` and `run`. */
export interface RunnerOptions {
  /** Turn the loop's debug mode on or off (undefined or null, Python's None: leave the loop's default). */
  debug?: boolean | null;
  /** Make the loop (default, also for null: a new EventLoop, set as the current loop). */
  loopFactory?: (() => EventLoop) | null;
}

type State = 'created' | 'initialized' | 'closed';

type LoopMethod = 'setDebug' | 'createTask' | 'runUntilComplete' | 'shutdownAsyncgens' | 'shutdownDefaultExecutor' | 'close' | 'callSoonThreadsafe';

// asyncio's Runner uses whatever the loop factory returned as a loop, unchecked: a value
// that is not one fails at the first method the runner looks up on it, with Python's
// AttributeError text (aiosim has no AttributeError: JavaScript reports a missing method
// as a TypeError).
function method<K extends LoopMethod>(loop: EventLoop, name: K): EventLoop[K] {
  const fn = (loop as unknown as Record<string, unknown> | null | undefined)?.[name];
  if (typeof fn !== 'function') {
    const pyName = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    throw new TypeError(`'${pyTypeName(loop)}' object has no attribute '${pyName}'`);
  }
  return fn.bind(loop) as EventLoop[K];
}

const SIGINT = 2;

// asyncio: runners._cancel_all_tasks — cancel every task left, wait for them, report failures.
function cancelAllTasks(loop: EventLoop): void {
  const toCancel = [...allTasks(loop)] as Task<unknown>[];
  if (toCancel.length === 0) return;
  for (const task of toCancel) task.cancel();
  loop.runUntilComplete(gather(toCancel, { returnExceptions: true }));
  for (const task of toCancel) {
    if (task.cancelled()) continue;
    if (task.exception() !== undefined) {
      loop.callExceptionHandler({
        message: 'unhandled exception during asyncio.run() shutdown',
        exception: task.exception(),
        task,
      });
    }
  }
}

/**
 * Owns an event loop for several `run()` calls, and finalises it on `close()`
 * (or at the end of `withContext(new Runner(), (r) => ...)`).
 *
 * @example
 * withContext(new Runner({ debug: true }), (runner) => { runner.run(main()); });
 * asyncio: asyncio.Runner
 */
export class Runner implements ContextManager<Runner> {
  #state: State = 'created';
  readonly #debug: boolean | undefined;
  readonly #loopFactory: (() => EventLoop) | undefined;
  #loop: EventLoop | undefined;
  #setEventLoop = false;
  #interruptCount = 0;
  // The context run() gives its tasks by default: a copy of the one current at the first use.
  #context: Context | undefined;

  constructor(options?: RunnerOptions) {
    // Python's None (null) is the default, as undefined is.
    this.#debug = options?.debug ?? undefined;
    this.#loopFactory = options?.loopFactory ?? undefined;
  }

  enter(): Runner {
    this.#lazyInit();
    return this;
  }

  exit(): void {
    this.close();
  }

  /**
   * Cancel the tasks left, finish async generators and the default executor, close the
   * loop. Does nothing unless the runner was initialised and not yet closed.
   * asyncio: Runner.close
   */
  close(): void {
    if (this.#state !== 'initialized') return;
    const loop = this.#loop!;
    try {
      cancelAllTasks(loop);
      // Python looks the method up before evaluating its argument.
      const runUntilComplete = method(loop, 'runUntilComplete');
      runUntilComplete(method(loop, 'shutdownAsyncgens')());
      runUntilComplete(method(loop, 'shutdownDefaultExecutor')(300));
    } finally {
      if (this.#setEventLoop) setEventLoop(undefined);
      method(loop, 'close')();
      this.#loop = undefined;
      this.#state = 'closed';
    }
  }

  /** Return the runner's loop (creating it). @throws RuntimeError `Runner is closed`. asyncio: Runner.get_loop */
  getLoop(): EventLoop {
    this.#lazyInit();
    return this.#loop!;
  }

  /**
   * Run `coro` as a task in the runner's loop until it completes; return its result.
   * The task runs in `options.context`, by default in the runner's context (a copy of the
   * context current when the runner was first used, shared by every run()).
   *
   * @throws ValueError `a coroutine was expected, got …`.
   * @throws RuntimeError `Runner.run() cannot be called from a running event loop` /
   * `Runner is closed`.
   * @throws TypeError `an instance of Context was expected` for another `context`.
   * asyncio: Runner.run
   */
  run<T>(coro: Generator<unknown, T, unknown>, options?: { context?: Context | null }): T {
    if (!isCoroutine(coro)) throw new ValueError(`a coroutine was expected, got ${repr(coro)}${_promiseHint(coro)}`);
    if (_getRunningLoop() !== undefined) throw new RuntimeError('Runner.run() cannot be called from a running event loop');
    this.#lazyInit();
    const context = options?.context ?? this.#context!;
    const task = method(this.#loop!, 'createTask')(coro, { context });
    // A first Ctrl-C (SIGINT) cancels the main task; a second one raises KeyboardInterrupt.
    let sigintHandler: SignalHandler | undefined;
    if (getIdent() === MAIN_THREAD_IDENT && getsignal(SIGINT) === defaultIntHandler) {
      sigintHandler = (signum: number) => this.#onSigint(signum, task);
      signal(SIGINT, sigintHandler);
    }
    this.#interruptCount = 0;
    try {
      return method(this.#loop!, 'runUntilComplete')(task);
    } catch (e) {
      if (e instanceof CancelledError && this.#interruptCount > 0 && task.uncancel() === 0) throw new KeyboardInterrupt();
      throw e;
    } finally {
      if (sigintHandler !== undefined && getsignal(SIGINT) === sigintHandler) signal(SIGINT, defaultIntHandler);
    }
  }

  // asyncio: Runner._on_sigint
  #onSigint(_signum: number, mainTask: Task<unknown>): void {
    this.#interruptCount++;
    if (this.#interruptCount === 1 && !mainTask.done()) {
      mainTask.cancel();
      method(this.#loop!, 'callSoonThreadsafe')(() => undefined);
      return;
    }
    throw new KeyboardInterrupt();
  }

  #lazyInit(): void {
    if (this.#state === 'closed') throw new RuntimeError('Runner is closed');
    if (this.#state === 'initialized') return;
    if (this.#loopFactory === undefined) {
      this.#loop = new EventLoop();
      if (!this.#setEventLoop) {
        setEventLoop(this.#loop);
        this.#setEventLoop = true;
      }
    } else {
      this.#loop = this.#loopFactory();
    }
    if (this.#debug !== undefined) method(this.#loop, 'setDebug')(this.#debug);
    this.#context = copyContext();
    this.#state = 'initialized';
  }
}

/**
 * Run `main` in a new event loop and return its result, then cancel the tasks left and
 * close the loop.
 *
 * @throws RuntimeError `asyncio.run() cannot be called from a running event loop`.
 * @example const result = run(main(), { debug: true });
 * asyncio: asyncio.run
 */
export function run<T>(main: Generator<unknown, T, unknown>, options?: RunnerOptions): T {
  if (_getRunningLoop() !== undefined) throw new RuntimeError('asyncio.run() cannot be called from a running event loop');
  const runner = new Runner(options);
  runner.enter();
  try {
    return runner.run(main);
  } finally {
    runner.exit();
  }
}
