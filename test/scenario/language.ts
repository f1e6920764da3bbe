// test/scenario/ — the one scenario language aiosim's tests write programs in, and
// everything that runs it:
//   language.ts        the language (this file): types and meaning
//   arbitrary.ts       random scenarios for the CPython comparison (net-arbitrary.ts: the
//                      network's); edge-cases.ts, thread-edge-cases.ts,
//                      agen-edge-cases.ts and net-edge-cases.ts hand-written ones
//   loop-programs.ts   random drive-mode scenarios over the loop's kernel (callbacks,
//                      timers, handles, futures, tasks) for the loop's property tests
//   queue-programs.ts  random producer/consumer scenarios for the queues' property tests
//   interpreter.ts     runs a scenario on aiosim: runScenario (trace text) and
//                      recordScenario (structured records); interp.ts holds a run's state,
//                      actions.ts, steps.ts and jobs.ts one small handler per operation,
//                      drive.ts the drive mode, observers.ts the two observers
//   interpreter.py     the twin on CPython, file for file (interp.py, actions.py, steps.py,
//                      jobs.py, agens.py: agens.ts, net.py, net_state.py and
//                      net_datagrams.py: net.ts, net-state.ts and net-datagrams.ts),
//                      handler for handler
//   oracle/            CPython 3.13 itself: pyodide (cpython.ts), native CPython for
//                      threads (native.ts, run_native.py), the virtual-clock loop and
//                      threads (virtual_loop.py, virtual_threads.py), the network's twin
//                      (net_twin.py), the pinning of the
//                      orders CPython leaves unspecified (cpython_order.py)
//   corpus/            scenarios with the traces CPython produced (corpus.ts reads them)
//   printers.ts        a scenario as a plain asyncio program and as aiosim TypeScript
//                      (net-printers.ts: the network's operations)
// test/conformance/ holds the tests that compare aiosim with CPython through it (the
// corpus replay, the live differential run) and the campaign tools (tools/,
// scripts/conformance.mjs).
//
// The language: asyncio programs as JSON data, run by two interpreters that print the
// same trace format — interpreter.py on CPython 3.13 (the oracle) and interpreter.ts on
// aiosim. Every construct has the same meaning on both sides; the semantics are total
// (a reference to something that does not exist logs `missing`).
//
// A scenario has coroutine bodies (bodies[0] is the main coroutine, run by run()),
// callback bodies, and a number of futures f0..f{n-1} created before main starts.
// References: 't:<label>' a spawned task, 'f:<i>' a future, 'c:<b>' a fresh coroutine of
// body b, 'self' the current task. A body may only spawn or inline bodies with a higher
// index, and a callback may only schedule callbacks with a higher index, so every
// scenario terminates.
//
// Trace lines: `<time> <who>: <event>` where time is Python's repr of loop.time() and
// who is the task label ('main', a spawned label) or `cb<i>`; then `log <LEVEL> <first
// line>` for asyncio log records (sites, ids and Task-N numbers normalised), and a final
// `end result <repr>` / `end raised <repr>` (or `end stalled`).
//
// Threads (scenarios with `threads: true`): jobs run on simulated threads, started by
// runInExecutor (a pool of the scenario's `pools` or the default executor; the asyncio
// future is the ref 'x:<label>'), toThread or startThread. A job logs with its thread's
// name as `who`. CPython's traces for these come from native CPython 3.13 with
// virtual_threads.py, which runs real threads one at a time in the order aiosim's
// simulation documents (pyodide cannot start threads); they are replayed from
// corpus/threads.jsonl.
//
// Context variables (scenarios with `contextVars`): variables v0..v{n-1} are created
// before main starts, each with its default or none. `cvSet` logs the token it got
// ('k<i>', the i-th token of the run), `cvGet` the value or the LookupError, `cvReset`
// nothing or the error. A context argument (CtxArg) is a Context stored by `copyContext`,
// `taskContext` or `handleContext` (ctx<i>, the i-th stored), 'copy' (a fresh
// copy_context()) or 'new' (an empty Context()). `spawnIn` is create_task(…, context=),
// `callSoonIn` call_soon(…, context=), `ctxRun` Context.run of inline actions (an error,
// entering a context already entered included, propagates out of it).
//
// Not part of the language, because they depend on CPython's reference counting: when
// objects are collected ("... exception was never retrieved", "Task was destroyed but it
// is pending!", a suspended coroutine closed with GeneratorExit). Both interpreters
// leave them out of the trace (and anything logged once run() has closed the loop, when
// only a collection runs code); docs/divergences.md explains why.
//
// Async generators (scenarios with `agens`, see the section near the end of this file).
//
// The network (scenarios with `net`, see the section at the end of this file).
//
// TypeScript only: the drive mode and what it uses (marked below). The loop's property
// tests run programs on loops CPython does not have (runUntilIdle, a reference model of
// _run_once, loops whose tie order is chosen), so nothing compares these with CPython
// and interpreter.py has no handler for them. A drive-mode scenario runs its `drive.setup`
// actions on a fresh loop before it starts (who: 'top'), then runs the loop until idle
// (or until a future a timer completes at `mainAt`, then until idle); bodies[0] is not
// run. Its references may wrap: '<k>%<n>' for k in t, f, h is the (n mod count)-th of the
// tasks, futures or callback handles made so far (inside a task, of the tasks made
// before it, so that awaits never form a cycle), and 'h:<i>' is handle i; such programs
// are generated without knowing how many objects exist when an action runs.

/** An exception class the language can raise and catch. */
export type ExcName = 'ValueError' | 'KeyError' | 'RuntimeError' | 'KeyboardInterrupt' | 'SystemExit';

/** What a `try` handler catches. */
export type CatchKind = 'CancelledError' | 'Exception' | 'BaseException' | 'TimeoutError' | 'ValueError' | AgenCatchKind;

/** A reference to something awaitable or cancellable ('h:' and '%' forms: TypeScript only). */
export type Ref = string;

/** A value: Python int or str, or None (null). */
export type Value = number | string | null;

/** A synchronisation object: 'L:i' Lock, 'S:i' Semaphore, 'C:i' Condition, 'E:i' Event, 'Q:i' queue, 'B:i' Barrier. */
export type SyncRef = string;

/** The synchronisation objects a scenario creates before main starts. */
export interface SyncObjects {
  locks?: number;
  /** Initial values; `bounded` makes a BoundedSemaphore. */
  semaphores?: { value: number; bounded: boolean }[];
  events?: number;
  /** Conditions, each with its own lock. */
  conditions?: number;
  queues?: { kind: 'fifo' | 'priority' | 'lifo'; maxsize: number }[];
  /** Barriers by number of parties. */
  barriers?: number[];
}

/** Operations usable in coroutine bodies and callbacks (no await). */
export type Action =
  | ['log', string]
  | ['spawn', number, string]
  | ['cancel', Ref, string | null]
  | ['uncancel', Ref]
  /** Future i, or (TypeScript only) a future reference. */
  | ['setResult', number | Ref, Value]
  | ['setException', number | Ref, ExcName, string]
  | ['callSoon', number]
  | ['callLater', number, number]
  | ['callAt', number, number]
  | ['cancelHandle', number]
  | ['cancelHandles', number, number]
  | ['repeat', number, Action[]]
  | ['stop']
  | ['blockingSleep', number]
  | ['raise', ExcName, string]
  | ['release', SyncRef]
  | ['eventSet', number]
  | ['eventClear', number]
  | ['notify', number, number]
  | ['notifyAll', number]
  | ['putNowait', number, Value]
  | ['getNowait', number]
  | ['taskDone', number]
  | ['shutdown', number, boolean]
  | ['show', SyncRef]
  | ['startThread', number, string]
  | ['poolShutdown', number, boolean, boolean]
  /** TypeScript only: create a future (the next 'f:<i>'). */
  | ['newFuture']
  /** TypeScript only: add a done callback to a task or future; it logs the state it sees. */
  | ['addDoneCallback', Ref]
  | ContextAction
  | NetAction;

// ---- Context variables (see the header) ----------------------------------------------

/** A context: ctx<i> (stored), a fresh copy of the current one, or a new empty one. */
export type CtxArg = number | 'copy' | 'new';

/** A context variable v<i>: its default, or none (no `default` key). */
export interface ContextVarSpec {
  default?: Value;
}

/** The actions on context variables and contexts. */
export type ContextAction =
  | ['cvSet', number, Value]
  | ['cvGet', number]
  /** Reset variable v<i> with token k<j> (of any variable: a mismatch is an error). */
  | ['cvReset', number, number]
  /** Store copy_context() as the next ctx<i>. */
  | ['copyContext']
  /** Store a task's get_context() as the next ctx<i>. */
  | ['taskContext', Ref]
  /** Store handle h<i>'s get_context() as the next ctx<i>. */
  | ['handleContext', number]
  /** Log ctx[v<i>] (or `unset`). */
  | ['ctxGet', CtxArg, number]
  | ['spawnIn', number, string, CtxArg]
  | ['callSoonIn', number, CtxArg]
  | ['ctxRun', CtxArg, Action[]];

/** What a job does on its simulated thread. */
export type JobStep =
  | ['log', string]
  | ['tsleep', number]
  | ['callSoonThreadsafe', number]
  | ['callSoon', number]
  | ['cancelThreadsafe', Ref]
  | ['setResultThreadsafe', number, Value]
  | ['runCoroutineThreadsafe', number, string]
  | ['return', Value]
  | ['raise', ExcName, string];

/** Operations usable only in coroutine bodies (they may suspend). */
export type Step =
  | Action
  | ['sleep', number]
  | ['yield']
  | ['await', Ref]
  | ['return', Value]
  | ['try', Step[], CatchKind, Step[]]
  | ['reraise']
  | ['gather', Ref[], boolean]
  | ['shield', Ref]
  | ['asCompleted', Ref[], number | null]
  | ['waitFor', Ref, number | null]
  | ['wait', Ref[], 'FIRST_COMPLETED' | 'FIRST_EXCEPTION' | 'ALL_COMPLETED', number | null]
  | ['timeout', number | null, Step[]]
  | ['taskGroup', Step[]]
  | ['tgSpawn', number, string]
  | ['repeatSteps', number, Step[]]
  | ['with', SyncRef, Step[]]
  | ['acquire', SyncRef]
  | ['eventWait', number]
  | ['condWait', number]
  | ['put', number, Value]
  | ['get', number]
  | ['join', number]
  | ['barrierWait', number]
  | ['barrierReset', number]
  | ['barrierAbort', number]
  | ['runInExecutor', number | null, number, string]
  | ['toThread', number]
  | ['shutdownDefaultExecutor']
  | AgenStep
  | NetStep;

/** A whole program. */
export interface Scenario {
  /** Where it came from (a seed, a hand-written name). */
  id: string;
  futures: number;
  bodies: Step[][];
  callbacks: Action[][];
  sync?: SyncObjects;
  /** Jobs for simulated threads (see Threads above). */
  jobs?: JobStep[][];
  /** ThreadPoolExecutors by maxWorkers, named P0, P1, ... (thread names P<i>_<k>). */
  pools?: number[];
  /** Uses threads: the oracle is native CPython (corpus/threads.jsonl), not pyodide. */
  threads?: boolean;
  /** Run with asyncio's debug mode on (`run(main, { debug: true })`). */
  debug?: boolean;
  /** How many spawns, inline coroutines and callbacks may be made (default 60). */
  budget?: number;
  /** TypeScript only: drive the loop directly instead of run(main) (see above). */
  drive?: Drive;
  /** Context variables v0, v1, … (see Context variables above). */
  contextVars?: ContextVarSpec[];
  /** Async generator bodies G0..G{k-1} (see Async generators below). */
  agens?: GenStep[][];
  /** Runs on the simulated network (see The network below). */
  net?: NetOptions;
}

/** How a drive-mode scenario runs its loop (TypeScript only). */
export interface Drive {
  /** Run on the fresh loop before it starts, outside any task. */
  setup: Action[];
  /** 'idle': runUntilIdle(); 'complete': runUntilComplete(main), then runUntilIdle(). */
  until: 'idle' | 'complete';
  /** When the timer that completes `main` fires ('complete' only). */
  mainAt: number;
}

/** A scenario with the trace CPython produced for it. */
export interface CorpusEntry {
  scenario: Scenario;
  trace: string[];
}

// ---- Async generators ----
//
// A scenario's `agens` are async generator bodies: G<g> is `async def G<g>(): ...` with
// `yield`. Its steps are a coroutine body's, plus `emit` (Python's `yield value`, which
// logs `emit <value> -> <what was sent>` once the consumer resumes it); its `try` and
// `finally` blocks may emit inside (any other block may not: an `emit` anywhere else logs
// `missing emit`). A `return` ends the generator (its value is dropped: async generators
// return nothing). A generator body logs `start G<g>` when it starts and `raise <repr>`
// when an exception leaves it (GeneratorExit included), under the generator's label.
//
// The step ['agen', g, label] makes a generator object of body g, the reference
// 'g:<label>' (a label made again refers to the new object). The consumers, in coroutine
// and generator bodies: `afor` (async for over it, logging each item; the loop's steps
// may `return` from the enclosing body; after `breakAfter` items it ends early with
// break, which does not close the generator), `anext` with or without a default,
// `asend`, `athrow`, `aclose`; each logs `<name> g:<label> -> <result>`, and what they
// raise propagates. `finally` (try/finally, logging `finally`) works in any body.
//
// Collection: both interpreters keep every generator object made until the run ends, so
// that CPython never collects one while the loop runs (refcounting would run its
// finalizer hook at a moment aiosim cannot see: see docs/divergences.md). A generator left
// unfinished is finalised by asyncio.run()'s shutdown_asyncgens(), deterministically: its
// `finally` steps run then, under its label.

/** What a `try` in a generator body may also catch. */
export type AgenCatchKind = 'GeneratorExit' | 'StopAsyncIteration';

/** A step of an async generator body. */
export type GenStep =
  | Step
  | ['emit', Value]
  | ['try', GenStep[], CatchKind, GenStep[]]
  | ['finally', GenStep[], GenStep[]];

/** The steps making and consuming async generators, and try/finally. */
export type AgenStep =
  | ['agen', number, string]
  | ['emit', Value]
  | ['finally', Step[], Step[]]
  | ['afor', string, Step[], number | null]
  | ['anext', string, boolean, Value]
  | ['asend', string, Value]
  | ['athrow', string, ExcName, string]
  | ['aclose', string];

// ---- The network ----
//
// A scenario with `net` runs on the simulated network (docs/network.md): aiosim's loop
// and sockets, and on CPython the twin (oracle/net_twin.py: CPython's own selector_events
// and streams over the same model), with the loopback latency given. Everything happens
// on 127.0.0.1, at the streams level, plus datagram endpoints.
//
// Labels name what the steps make: a server 's…' (`serve`), a client connection 'c…'
// (`connect`), a datagram endpoint 'u…' (`datagramEndpoint`); a label made again names
// the new object. A server runs a given body for each connection it accepts (its
// client_connected_cb returns the body's coroutine, which asyncio runs as a task): the
// k-th connection (from 0) is '<server>.<k>', the body runs under that label, and in it
// the connection '@' is that one. Accepting logs `accepted from <address>` under the
// connection's label and spends budget (none left: `budget conn`, and the connection is
// left unserved). A port is a number or the label of a server or endpoint (its bound
// port); a server or endpoint on port 0 takes an ephemeral one.
//
// Data: a size n (the next n bytes of one pseudo-random stream of text lines shared by
// the run's sized writes, in the order they run: net_state.py's CYCLE) or a string (its code
// points as bytes). Bytes show as Python's repr, or as `<n bytes crc32 xxxxxxxx>` past 32.
// An address shows as `host:port`.
//
// Every operation logs its result, or `raised <repr>` (with ` partial=…` for
// IncompleteReadError and ` consumed=…` for LimitOverrunError) when it raises an
// Exception, and goes on (a CancelledError propagates). A datagram endpoint's protocol
// logs under the endpoint's label: `datagram <data> from <address>`, `error <repr>`,
// `lost <repr>`. Writes, closes and queries are actions (callbacks may run them).
//
// Two operations are not run where CPython 3.13 misbehaves: writelines() on a closing
// transport (it buffers the data and adds a writer that never leaves: the loop spins
// once the fd is reused; logged `skipped: closing`), and write() or abort() on a
// transport whose socket is gone while no lost connection was counted (after a close()
// whose buffer was flushed later: they raise AttributeError on None; `skipped: gone`).
//
// A run ends when main returns; a body waiting forever (a read nothing will answer)
// ends as asyncio.run() ends any task then (cancelled), or, when nothing at all can
// happen any more, the run ends `end stalled` (after the tasks run() cancels on its way
// out have logged it). `blockingSleep` and threads are not part of network scenarios.
// Objects are kept until the run ends (a StreamWriter CPython collects would close its
// transport); warnings of unclosed objects are collection-timed and not traced.
// close_clients() and abort_clients() go through a server's connections in the order
// they were accepted (cpython_order.py pins CPython's weak set of them to that order).

/** How a network scenario's network is set up. */
export interface NetOptions {
  /** The one-way latency of loopback deliveries, in seconds. */
  loopbackLatency: number;
  /** A model of the loopback link (docs/network.md, "Link models"), drawn with `seed`. */
  model?: LoopbackModel;
}

/** A loopback link's model: a latency range, a bandwidth, datagram loss and duplication. */
export interface LoopbackModel {
  seed: number;
  /** [min, max] seconds. */
  latency?: [number, number];
  /** Bytes per second. */
  bandwidth?: number;
  loss?: number;
  duplicate?: number;
}

/** Bytes to send: a size (the next bytes of the run's stream) or a string's code points. */
export type Data = number | string;

/** A port: a number, or the label of a server or datagram endpoint. */
export type PortRef = number | string;

/** The network's operations that do not suspend (writer, transport, server, endpoint). */
export type NetAction =
  | ['atEof', string]
  | ['write', string, Data]
  | ['writelines', string, Data[]]
  | ['writeEof', string]
  | ['close', string]
  | ['isClosing', string]
  /** writer.transport.abort() */
  | ['abort', string]
  /** writer.transport.set_write_buffer_limits(high, low) */
  | ['setWriteBufferLimits', string, number | null, number | null]
  /** writer.transport.get_write_buffer_size() */
  | ['writeBufferSize', string]
  | ['serverClose', string]
  | ['closeClients', string]
  | ['abortClients', string]
  | ['isServing', string]
  /** transport.sendto(data, ('127.0.0.1', port) or None) */
  | ['sendto', string, Data, PortRef | null]
  | ['datagramClose', string]
  | ['datagramAbort', string];

/** The network's operations that may suspend. */
export type NetStep =
  /** start_server(cb, '127.0.0.1', port, limit=) as label, running body b per connection. */
  | ['serve', string, number, number, number | null]
  /** open_connection('127.0.0.1', port, limit=) as label. */
  | ['connect', string, PortRef, number | null]
  /** reader.read(n) (-1: to the end). */
  | ['read', string, number]
  | ['readline', string]
  | ['readexactly', string, number]
  /** reader.readuntil(separator or a tuple of them). */
  | ['readuntil', string, string | string[]]
  | ['drain', string]
  | ['waitClosed', string]
  | ['serverWaitClosed', string]
  /** create_datagram_endpoint(protocol, local_addr=('127.0.0.1', local) if local is not
   * None, remote_addr=('127.0.0.1', remote) if remote is not None; local port 0 when
   * both are None) as label. */
  | ['datagramEndpoint', string, number | null, PortRef | null];
