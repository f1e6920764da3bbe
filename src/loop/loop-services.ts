// What an EventLoop offers around its heart (event-loop.ts keeps scheduling, running
// and _run_once): debug mode, the exception handler, the task factory, the default
// executor and async generators' shutdown, signal handlers, the time mode and aiosim's
// own drivers. Only EventLoop extends this class: `this._self` is that EventLoop, asked
// for what the heart owns (the closed check, the selector, the ready queue).
// asyncio: the parts of base_events.BaseEventLoop and unix_events._UnixSelectorEventLoop around _run_once

import type { Callback, ExceptionContext } from '../events/abstract-loop.js';
import { _getRunningLoop, _refreshOriginTracking } from '../events/running-loop.js';
import { wrapFuture } from '../executor/chain-future.js';
import type { ThreadPoolExecutor } from '../executor/thread-pool.js';
import { repr } from '../format/py-repr.js';
import type { Future } from '../future/future.js';
import type { Handle } from '../events/handle.js';
import { isCoroutine, type Coro } from '../task/coroutine.js';
import type { TaskFactory } from '../task/eager.js';
import { _libraryCoroutineMethods } from '../task/library-coroutine.js';
import { _isCoroutineFunction } from '../task/tracked-coroutine.js';
import { ValueError } from '../errors/exceptions.js';
import { checkCallback, isGeneratorFunction } from './debug-checks.js';
import { DefaultExecutor } from './default-executor.js';
import { advance, runForeverAsync, runUntilIdle } from './drivers.js';
import type { EventLoop, ExceptionHandler } from './event-loop.js';
import { callExceptionHandler, logExceptionContext } from './exception-handler.js';
import type { TimeMode } from './loop-options.js';
import { checkSignal, SignalHandlers } from './signal-handlers.js';
import { LoopAsyncgens } from './asyncgens.js';
import type { AsyncGeneratorObject } from '../task/async-generator.js';
import type { AsyncGenSet } from '../task/async-gen-set.js';
import type { AsyncgenHook } from '../task/asyncgen-hooks.js';
import type { FileObject } from '../events/selector.js';
import type { SockAddr } from '../net/address.js';
import { getaddrinfo, type AddrInfo } from '../net/resolver.js';
import type { Socket } from '../net/socket.js';
import { addReader, addWriter, ensureFdNoTransport, removeReader, removeWriter } from './readers-writers.js';
import { sockAccept, sockConnect, sockRecv, sockRecvfrom, sockRecvInto, sockSendall, sockSendto } from './sock-methods.js';

/** The base of EventLoop: see the header. */
export abstract class LoopServices {
  /** @internal Debug mode. asyncio: loop._debug */
  _debug: boolean;
  /** In debug mode, callbacks taking at least this long (virtual seconds) are logged. */
  slowCallbackDuration = 0.1;
  /** @internal The handle being run (debug mode only). */
  _currentHandle: Handle | undefined;
  /** @internal The factory createTask uses, if any. */
  _taskFactory: TaskFactory | undefined;
  #exceptionHandler: ExceptionHandler | undefined;
  readonly #executor = new DefaultExecutor();
  // Made when the loop handles its first signal.
  #signals: SignalHandlers | undefined;
  readonly #asyncgens: LoopAsyncgens;

  constructor(debug: boolean) {
    this._debug = debug;
    this.#asyncgens = new LoopAsyncgens(this as unknown as EventLoop);
  }

  /** @internal This loop, as the EventLoop it is. */
  protected abstract get _self(): EventLoop;

  // ---- debug and time mode ------------------------------------------------------

  /** Return whether debug mode is on. asyncio: loop.get_debug */
  getDebug(): boolean {
    return this._debug;
  }

  /** Turn debug mode on or off. asyncio: loop.set_debug */
  setDebug(enabled: boolean): void {
    this._debug = enabled;
    if (_getRunningLoop() === this._self) _refreshOriginTracking();
  }

  /** Return how the clock moves: 'auto' or 'manual'. Not an asyncio API: for tests. */
  getTimeMode(): TimeMode {
    return this._self._selector.manual ? 'manual' : 'auto';
  }

  /**
   * Set how the clock moves: 'auto' jumps to the next timer when idle; 'manual' moves it
   * only in `advance()`. Not an asyncio API: for tests.
   * @throws ValueError for any other mode.
   */
  setTimeMode(mode: TimeMode): void {
    if (mode !== 'auto' && mode !== 'manual') throw new ValueError(`time mode must be 'auto' or 'manual', got ${repr(mode)}`);
    this._self._selector.manual = mode === 'manual';
  }

  // ---- aiosim's drivers (drivers.ts) --------------------------------------------

  /**
   * Run everything due up to `now + seconds`, then leave the clock exactly there.
   * Timers due later stay scheduled. Not an asyncio API: for driving time from tests.
   *
   * @throws ValueError for a negative or non-finite number of seconds; TypeError for a
   * value that is not a number.
   */
  advance(seconds: number): void {
    advance(this._self, seconds);
  }

  /**
   * Run until nothing is ready and no timer is scheduled, moving the clock through
   * every timer; in the 'manual' time mode, until nothing is ready or due now, leaving
   * the clock where it is. Not an asyncio API: for tests.
   *
   * @throws RuntimeError when still busy after `maxIterations` iterations.
   * @throws ValueError / TypeError when `maxIterations` is not an integer >= 0 (NaN or
   * infinity would switch the guard against endless rescheduling off).
   */
  runUntilIdle(maxIterations = 1_000_000): void {
    runUntilIdle(this._self, maxIterations);
  }

  /** @internal The async driver's runForever (aiosim/testing): see drivers.ts. */
  _runForeverAsync(): Promise<void> {
    return runForeverAsync(this._self);
  }

  // ---- exception handling -------------------------------------------------------

  /**
   * Set the handler for errors the loop catches (`(loop, context) => void`), or
   * undefined for the default (log through the 'asyncio' logger).
   *
   * @throws TypeError `A callable object or None is expected, got …`.
   * asyncio: loop.set_exception_handler
   */
  setExceptionHandler(handler: ExceptionHandler | undefined | null): void {
    if (handler !== undefined && handler !== null && typeof handler !== 'function') {
      throw new TypeError(`A callable object or None is expected, got ${repr(handler)}`);
    }
    this.#exceptionHandler = handler ?? undefined;
  }

  /** Return the custom exception handler, or undefined. asyncio: loop.get_exception_handler */
  getExceptionHandler(): ExceptionHandler | undefined {
    return this.#exceptionHandler;
  }

  /**
   * Log the context as asyncio's default handler does: one ERROR record on the
   * 'asyncio' logger. asyncio: loop.default_exception_handler
   */
  defaultExceptionHandler(context: ExceptionContext): void {
    logExceptionContext(context, this._currentHandle);
  }

  /**
   * Report an error: to the custom handler if set, else to the default handler.
   * A failing handler is itself reported; SystemExit and KeyboardInterrupt propagate.
   * asyncio: loop.call_exception_handler
   */
  callExceptionHandler(context: ExceptionContext): void {
    callExceptionHandler(this._self, this.#exceptionHandler, context);
  }

  // ---- the task factory ---------------------------------------------------------

  /**
   * Set the factory `createTask` uses (`(loop, coro, options?) => Task`), or undefined
   * for the default.
   *
   * @throws TypeError `task factory must be a callable or None`.
   * asyncio: loop.set_task_factory
   */
  setTaskFactory(factory: TaskFactory | undefined | null): void {
    if (factory !== undefined && factory !== null && typeof factory !== 'function') {
      throw new TypeError('task factory must be a callable or None');
    }
    this._taskFactory = factory ?? undefined;
  }

  /** Return the task factory, or undefined for the default. asyncio: loop.get_task_factory */
  getTaskFactory(): TaskFactory | undefined {
    return this._taskFactory;
  }

  // ---- executors ----------------------------------------------------------------

  /**
   * Run `fn(...args)` on `executor` (undefined: the default ThreadPoolExecutor, made on
   * first use with thread names `asyncio_N`) and return a Future of its result; the
   * worker's completion reaches the loop through callSoonThreadsafe.
   *
   * @throws RuntimeError `Event loop is closed` / `Executor shutdown has been called`.
   * @example const data = yield* loop.runInExecutor(undefined, blockingIo, 'file');
   * asyncio: loop.run_in_executor
   */
  runInExecutor<T>(executor: ThreadPoolExecutor | undefined | null, fn: (...args: any[]) => T | Generator<unknown, T, unknown>, ...args: unknown[]): Future<T> {
    const loop = this._self;
    loop._checkClosed();
    // Generator functions are jobs that interleave (an aiosim extra), not coroutines.
    // A coroutine() function is refused as asyncio refuses coroutine functions.
    if (this._debug && (typeof fn !== 'function' || _isCoroutineFunction(fn))) checkCallback(fn, 'run_in_executor');
    const pool = executor ?? this.#executor.get();
    return wrapFuture(pool.submit(fn, ...args), { loop });
  }

  /**
   * Set the executor runInExecutor(undefined, …) uses.
   * @throws TypeError `executor must be ThreadPoolExecutor instance`.
   * asyncio: loop.set_default_executor
   */
  setDefaultExecutor(executor: ThreadPoolExecutor): void {
    this.#executor.set(executor);
  }

  /** @internal The async generators first iterated while this loop ran. asyncio: loop._asyncgens */
  get _asyncgens(): AsyncGenSet<AsyncGeneratorObject<unknown, never>> {
    return this.#asyncgens.agens;
  }

  /** @internal The loop starts or stops running: its async generator hooks go in or out. */
  _swapAsyncgenHooks(running: boolean): void {
    if (running) this.#asyncgens.install();
    else this.#asyncgens.restore();
  }

  /** @internal The finalizer hook this loop installs (a generator's ag_finalizer says whose it is). */
  get _asyncgenFinalizerHook(): AsyncgenHook {
    return this.#asyncgens.finalizer;
  }

  /**
   * Close the async generators first iterated while this loop ran and not finished yet:
   * their `aclose()` run concurrently as tasks; one that fails is reported to the
   * exception handler (`an error occurred during closing of asynchronous generator …`,
   * with the `asyncgen` key). A generator first iterated afterwards gets a
   * ResourceWarning. `run()` and `Runner.close()` call it.
   * asyncio: loop.shutdown_asyncgens
   */
  *shutdownAsyncgens(): Coro<void> {
    yield* this.#asyncgens.shutdown(this._self);
  }

  /**
   * Shut the default executor down from a separate thread and wait (at most `timeout`
   * seconds) until its workers finished; refuse to make a new one afterwards. On
   * timeout, a RuntimeWarning says so and the executor is left to finish.
   * asyncio: loop.shutdown_default_executor
   */
  *shutdownDefaultExecutor(timeout?: number | null): Coro<void> {
    yield* this.#executor.shutdown(this._self, timeout);
  }

  // ---- readers and writers (readers-writers.ts) -----------------------------------

  /**
   * Call `callback(...args)` in the loop whenever `fd` (a descriptor or an object with
   * `fileno()`) is readable; replaces the reader `fd` had.
   * @throws ValueError `Invalid file object: …`; RuntimeError `Event loop is closed`.
   * asyncio: loop.add_reader
   */
  addReader(fd: FileObject, callback: Callback, ...args: unknown[]): void {
    ensureFdNoTransport(this._self, fd);
    addReader(this._self, fd, callback, args);
  }

  /** Stop watching `fd` for reading; return whether a reader was there. asyncio: loop.remove_reader */
  removeReader(fd: FileObject): boolean {
    ensureFdNoTransport(this._self, fd);
    return removeReader(this._self, fd);
  }

  /**
   * Call `callback(...args)` in the loop whenever `fd` is writable; replaces the writer `fd` had.
   * @throws ValueError `Invalid file object: …`; RuntimeError `Event loop is closed`.
   * asyncio: loop.add_writer
   */
  addWriter(fd: FileObject, callback: Callback, ...args: unknown[]): void {
    ensureFdNoTransport(this._self, fd);
    addWriter(this._self, fd, callback, args);
  }

  /** Stop watching `fd` for writing; return whether a writer was there. asyncio: loop.remove_writer */
  removeWriter(fd: FileObject): boolean {
    ensureFdNoTransport(this._self, fd);
    return removeWriter(this._self, fd);
  }

  // ---- sockets (sock-methods.ts) --------------------------------------------------

  /**
   * Receive up to `nbytes` from the non-blocking socket `sock`, waiting until some arrive.
   * @throws ValueError (debug mode) `the socket must be non-blocking`; what `sock.recv` raises.
   * asyncio: loop.sock_recv
   */
  *sockRecv(sock: Socket, nbytes: number): Coro<Uint8Array> {
    return yield* sockRecv(this._self, sock, nbytes);
  }

  /** Receive into `buf`, waiting until bytes arrive; return how many. asyncio: loop.sock_recv_into */
  *sockRecvInto(sock: Socket, buf: Uint8Array): Coro<number> {
    return yield* sockRecvInto(this._self, sock, buf);
  }

  /** Receive a datagram and its sender, waiting until one arrives. asyncio: loop.sock_recvfrom */
  *sockRecvfrom(sock: Socket, bufsize: number): Coro<[Uint8Array, SockAddr]> {
    return yield* sockRecvfrom(this._self, sock, bufsize);
  }

  /** Send all of `data`, waiting for room as often as needed. asyncio: loop.sock_sendall */
  *sockSendall(sock: Socket, data: Uint8Array): Coro<void> {
    return yield* sockSendall(this._self, sock, data);
  }

  /** Send a datagram to `address`, waiting for room if needed. asyncio: loop.sock_sendto */
  *sockSendto(sock: Socket, data: Uint8Array, address: SockAddr): Coro<number> {
    return yield* sockSendto(this._self, sock, data, address);
  }

  /**
   * Connect `sock` to `address` (a host name is resolved with `getaddrinfo` first).
   * @throws ConnectionRefusedError `[Errno 111] Connect call failed ('127.0.0.1', 1)` and the other connect errors.
   * asyncio: loop.sock_connect
   */
  *sockConnect(sock: Socket, address: SockAddr): Coro<void> {
    return yield* sockConnect(this._self, sock, address);
  }

  /** Accept a connection: `[conn, address]`, `conn` non-blocking. asyncio: loop.sock_accept */
  *sockAccept(sock: Socket): Coro<[Socket, SockAddr]> {
    return yield* sockAccept(this._self, sock);
  }

  /**
   * Resolve `host` and `port` with `socket.getaddrinfo` in the default executor.
   * asyncio: loop.getaddrinfo
   */
  *getaddrinfo(host: string | null | undefined, port: number | string | null | undefined, options?: GetaddrinfoOptions): Coro<AddrInfo[]> {
    const { family = 0, type = 0, proto = 0, flags = 0 } = options ?? {};
    return yield* this._self.runInExecutor(null, getaddrinfo, host, port, family, type, proto, flags);
  }

  // ---- signals ------------------------------------------------------------------

  /**
   * Run `callback(...args)` in the loop whenever signal `sig` arrives (main thread only).
   *
   * @throws TypeError `sig must be an int, not …` / for a coroutine callback.
   * @throws ValueError `invalid signal number …`.
   * @throws RuntimeError from another thread (`set_wakeup_fd only works in main thread of
   * the main interpreter`), or `sig 9 cannot be caught`.
   * asyncio: loop.add_signal_handler
   */
  addSignalHandler(sig: number, callback: Callback, ...args: unknown[]): void {
    if (isCoroutine(callback) || isGeneratorFunction(callback)) {
      throw new TypeError('coroutines cannot be used with add_signal_handler()');
    }
    checkSignal(sig);
    const loop = this._self;
    loop._checkClosed();
    this.#signals ??= new SignalHandlers(loop, (handle) => loop._addCallbackSignalsafe(handle));
    this.#signals.add(sig, callback, args);
  }

  /**
   * Stop handling `sig` in the loop; return whether a handler was removed.
   * asyncio: loop.remove_signal_handler
   */
  removeSignalHandler(sig: number): boolean {
    checkSignal(sig);
    return this.#signals?.remove(sig) ?? false;
  }

  /**
   * @internal The loop closes: its signal handlers go (asyncio's unix loop), and its
   * default executor shuts down without waiting.
   */
  _closeServices(): void {
    for (const sig of this.#signals?.signals() ?? []) this.removeSignalHandler(sig);
    this.#executor.close();
  }
}
_libraryCoroutineMethods(LoopServices.prototype, {
  shutdownAsyncgens: 'BaseEventLoop.shutdown_asyncgens', shutdownDefaultExecutor: 'BaseEventLoop.shutdown_default_executor',
  getaddrinfo: 'BaseEventLoop.getaddrinfo',
  sockRecv: 'BaseSelectorEventLoop.sock_recv', sockRecvInto: 'BaseSelectorEventLoop.sock_recv_into',
  sockRecvfrom: 'BaseSelectorEventLoop.sock_recvfrom', sockSendall: 'BaseSelectorEventLoop.sock_sendall',
  sockSendto: 'BaseSelectorEventLoop.sock_sendto', sockConnect: 'BaseSelectorEventLoop.sock_connect',
  sockAccept: 'BaseSelectorEventLoop.sock_accept',
});

/** The keyword arguments of `loop.getaddrinfo`. asyncio: loop.getaddrinfo's keywords */
export interface GetaddrinfoOptions {
  family?: number;
  type?: number;
  proto?: number;
  flags?: number;
}
