// The tracing hook: one module-level slot through which the loop, tasks, futures,
// simulated threads, logging and warnings report their decisions when a tracer is
// attached (the `aiosim/testing` Trace). With no tracer, each hook point costs one test
// of `_tracer`.
// Lowest layer, so everything above may report: parameters are typed structurally.
// asyncio: none (CPython has no such hook; an aiosim extra for tests)

/**
 * What a tracer receives. Each call happens at the decision it names, synchronously.
 *
 * Invariant: no method throws. Hook points sit between two state changes of the loop, a
 * task or a future (a future is done, its callbacks not yet scheduled), so a sink must
 * contain its own errors: an observer never changes the run.
 */
export interface TraceSink {
  /** A loop iteration starts running its handles (after the selector moved the clock). */
  iteration(loop: object): void;
  /** A handle joined a loop's ready queue (callSoon, a task's step, callSoonThreadsafe). */
  handleScheduled(handle: object): void;
  /** A ready handle is about to run (timers included; not skipped cancelled ones). */
  handleRun(handle: object): void;
  /** A ready handle's run returned. */
  handleEnd(handle: object): void;
  /** A timer was pushed on a loop's heap. */
  timerScheduled(timer: object): void;
  /** A timer not yet cancelled is being cancelled (it may already have run). */
  timerCancelled(timer: object): void;
  /** A task step resumes its coroutine (`exc`: the exception thrown in, if any). */
  stepStart(task: object, exc: unknown): void;
  /** A task step returned: the task is done, waits on a future, or has its next step scheduled. */
  stepEnd(task: object): void;
  /** A simulated thread's turn starts (its body starts, or resumes) or ends. */
  threadTurn(thread: object, phase: 'start' | 'resume' | 'end'): void;
  /**
   * An asyncio function made a future to wait on (`role`: its name as CPython spells it,
   * `sleep`, `Queue.get`, `Lock.acquire`: a static string, so that the call allocates
   * nothing). Called only while a tracer is attached.
   */
  futureRole(future: object, role: string): void;
  /** A future (or task) became done; its done callbacks are about to be scheduled. */
  futureDone(future: object): void;
  /**
   * A tracked coroutine (`coroutine(fn)`) ended by raising `exc`, an exception not thrown
   * into it (one thrown in passes through). Called only while a tracer is attached.
   */
  coroutineRaise(coro: object, exc: unknown): void;
  /** A logger emitted a record. */
  logRecord(record: object): void;
  /** A warning was shown (`raised`: an `error` filter turned it into an exception). */
  warning(message: object, category: Function, raised: boolean): void;
}

/** @internal The attached tracer, if any. Read at every hook point: keep it monomorphic. */
export let _tracer: TraceSink | undefined;

/** @internal Attach a tracer (or detach with undefined). */
export function _setTracer(tracer: TraceSink | undefined): void {
  _tracer = tracer;
}
