// aiosim/testing: helpers for test suites that drive aiosim loops. A fresh loop per test
// with CPython's end-of-test reports as failures, time driven from the test, the loop's
// state as data, and traces of the loop's decisions as stable text for snapshots.
// Framework-neutral: nothing here imports a test runner.

export { LoopCheckError, type LoopChecks, type LoopProblem } from './checks.js';
export { Labels, normaliseText } from './labels.js';
export { formatLoopState, loopState, type LoopState, type TaskState, type TimerState } from './loop-state.js';
export { runUntilComplete, TimeLimitError, type RunOptions } from './run-until.js';
export { traceSerializer } from './snapshot.js';
export { loopFixture, TestLoop, withLoop, type FixtureContext, type TestLoopOptions } from './test-loop.js';
export {
  eventText, formatTrace, type DoneEvent, type IterationEvent, type LogEvent, type RunEvent, type StepEvent, type SuspendEvent,
  type TimerEvent, type TraceEvent, type TraceEventBase, type TraceKind, type WarningEvent,
} from './trace-event.js';
export { Trace, type TraceOptions } from './trace.js';
