// aiosim: Python 3.13 asyncio on a virtual clock. The only public entry point.

// errors
export {
  AssertionError, BaseException, BlockingIOError, BrokenBarrierError, BrokenPipeError, CancelledError, ConnectionAbortedError, ConnectionError,
  ConnectionRefusedError, ConnectionResetError, EOFError, GeneratorExit, InvalidStateError, KeyboardInterrupt, KeyError, LookupError, NotImplementedError, OSError, QueueEmpty,
  QueueFull, QueueShutDown,
  RecursionError, RuntimeError, StalledError,
  StopAsyncIteration, StopIteration, SystemExit, TimeoutError, ValueError, isException,
} from './errors/exceptions.js';

export { BaseExceptionGroup, ExceptionGroup, type ExceptionMatcher } from './errors/exception-group.js';

// format
export { repr } from './format/py-repr.js';

// net
import * as socket from './socket-namespace.js';
export { socket };

// log
import * as contextvars from './contextvars-namespace.js';
import * as logging from './logging-namespace.js';
export { contextvars, logging };
export { inContext, type InContext } from './contextvars/in-context.js';
export {
  DeprecationWarning, PendingDeprecationWarning, ResourceWarning, RuntimeWarning, UserWarning, Warning, warnings,
  type WarningAction, type WarningCategory, type WarningMessage,
} from './log/warnings.js';
export { isDevMode, setDevMode } from './log/dev-mode.js';

// loop
export type { AbstractEventLoop, Callback, ExceptionContext } from './events/abstract-loop.js';
export { EventLoop, type ExceptionHandler } from './loop/event-loop.js';
export { getEventLoop, getRunningLoop, newEventLoop } from './loop/policy.js';
export type { EventLoopOptions, TimeMode } from './loop/loop-options.js';
export type { GetaddrinfoOptions } from './loop/loop-services.js';
export { setEventLoop } from './events/running-loop.js';
export { Handle, TimerHandle } from './events/handle.js';
export { gcCollect } from './loop/collection-points.js';

// future
export { Future, isFuture, type DoneCallback, type DoneCallbackOptions, type FutureOptions } from './future/future.js';

// task
export { aiter, anext, AnextAwaitable, type AsyncIterableLike, type AsyncIteratorLike } from './task/aiter.js';
export { asyncFor, type LoopExit, type LoopReturn } from './task/async-for.js';
export { AsyncGenASend, AsyncGenAThrow } from './task/async-gen-awaitables.js';
export { asyncGenerator, AsyncGeneratorObject, isAsyncGenerator } from './task/async-generator.js';
export { emit, type AsyncGen, type AsyncYield, type Emit } from './task/async-yield.js';
export { asyncWith, withContext, type AsyncContextManager, type ContextManager } from './task/context-manager.js';
export { gather, GatheringFuture, type AwaitResult, type GatherOptions } from './task/gather.js';
export { shield } from './task/shield.js';
export { Timeout, timeout, timeoutAt } from './task/timeout.js';
export { TaskGroup } from './task/task-group.js';
export { ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, wait, type ReturnWhen, type WaitOptions } from './task/wait.js';
export { waitFor } from './task/wait-for.js';
export type { Awaitable, Coro, Suspend } from './task/coroutine.js';
export { createTask, ensureFuture, type CreateTaskOptions } from './task/create-task.js';
export { allTasks, currentTask } from './task/current-task.js';
export { createEagerTaskFactory, eagerTaskFactory, type TaskConstructor, type TaskFactory } from './task/eager.js';
export { sleep } from './task/sleep.js';
export { Task, type TaskOptions } from './task/task.js';
export { coroutine, CoroutineObject } from './task/tracked-coroutine.js';

// sync
export { asCompleted, AsCompletedIterator, type AsCompletedOptions } from './sync/as-completed.js';
export { Barrier } from './sync/barrier.js';
export { Condition } from './sync/condition.js';
export { Event } from './sync/event.js';
export { Lock } from './sync/lock.js';
export { LifoQueue, PriorityQueue, Queue } from './sync/queue.js';
export { BoundedSemaphore, Semaphore } from './sync/semaphore.js';

// executor
export { blockingSleep } from './executor/blocking-sleep.js';
export { Blocking, threading, Thread, type ThreadOptions, type ThreadTarget } from './executor/thread.js';
export { type ExceptHook, type ExceptHookArgs } from './executor/excepthook.js';
export { ConcurrentCancelledError, ConcurrentFuture, type ConcurrentCallback } from './executor/concurrent-future.js';
export { getCpuCount, setCpuCount, ThreadPoolExecutor, type ThreadPoolOptions } from './executor/thread-pool.js';
export { ProcessPoolExecutor } from './executor/process-pool.js';
export { wrapFuture } from './executor/chain-future.js';
export { runCoroutineThreadsafe } from './executor/run-coroutine-threadsafe.js';
export { toThread } from './executor/to-thread.js';
export { signals, type SignalHandler } from './runtime/signals.js';
export { world, type World } from './runtime/world.js';

// transports and protocols
export {
  BaseTransport, DatagramTransport, ReadTransport, Transport, WriteTransport, type ExtraInfo, type WriteBufferLimits,
} from './transports/transports.js';
export { BaseProtocol, BufferedProtocol, DatagramProtocol, Protocol } from './transports/protocols.js';
export { Server, type ProtocolFactory } from './transports/server.js';
export type { CreateServerOptions } from './transports/create-server.js';
export { TransportSocket } from './transports/transport-socket.js';
export type { ConnectAcceptedSocketOptions, CreateConnectionOptions } from './transports/create-connection.js';
export type { CreateDatagramEndpointOptions, DatagramEndpointTransport } from './transports/create-datagram-endpoint.js';

// streams
export { IncompleteReadError, LimitOverrunError } from './errors/stream-errors.js';
export { StreamReader, type StreamReaderOptions } from './streams/stream-reader.js';
export type { Separator } from './streams/separators.js';
export { StreamReaderProtocol, type ClientConnectedCb, type StreamReaderProtocolOptions } from './streams/stream-reader-protocol.js';
export { StreamWriter, type StartTlsOptions } from './streams/stream-writer.js';
export { openConnection, type OpenConnectionOptions } from './streams/open-connection.js';
export { startServer, type StartServerOptions } from './streams/start-server.js';

// runners
export { run, Runner, type RunnerOptions } from './runners/runner.js';
export {
  Simulation, type AddHostOptions, type HostOptions, type SimulationOptions,
} from './runners/simulation.js';
export { type DatagramFaults, type HostGroup, type LatencyRange, type PartitionOptions } from './runners/network-controls.js';
export { HostProcess } from './runners/host-process.js';
export { HostError } from './runners/host-error.js';
export { HostCrashed, ProcessKilled } from './runners/host-crashed.js';
export type { RestartOptions } from './runners/host-crashes.js';
export type { Host } from './net/host.js';
export type { ClockOptions, HostClock } from './net/host-clock.js';
export type { Network } from './net/network.js';
