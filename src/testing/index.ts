// aiosim/testing: helpers for test suites that drive aiosim loops. A fresh loop per test
// with CPython's end-of-test reports as failures, time driven from the test, the loop's
// state as data, and traces of the loop's decisions as stable text for snapshots and as
// pictures (Chrome Trace Event JSON, an SVG / HTML timeline).
// Framework-neutral: nothing here imports a test runner.

export { LoopCheckError, type LoopChecks, type LoopProblem } from './checks.js';
export { Labels, normaliseText } from './labels.js';
export { formatLoopState, loopState, type LoopState, type TaskState, type TimerState } from './loop-state.js';
export { runUntilComplete, TimeLimitError, type RunOptions } from './run-until.js';
export { traceSerializer } from './snapshot.js';
export { loopFixture, TestLoop, withLoop, type FixtureContext, type TestLoopOptions } from './test-loop.js';
export {
  eventText, formatTrace, type ConnectionEvent, type DoneEvent, type FaultEvent, type IterationEvent, type LogEvent, type MessageEvent,
  type ObserverErrorEvent, type RaiseEvent,
  type RunEvent, type ScheduledBy, type SpanEnd,
  type StepEvent, type SuspendEvent, type ThreadEvent, type TimeTextOptions, type TimerEvent, type TraceEvent, type TraceEventBase,
  type TraceKind, type WarningEvent,
} from './trace-event.js';
export { Trace, type TraceOptions } from './trace.js';
export {
  buildTimeline, trackTitle, type Timeline, type TimelineFlow, type TimelineMark, type TimelineSlice, type TimelineTrack,
  type TimelineWait,
} from './timeline.js';
export { toChromeTrace, type ChromeTrace, type ChromeTraceEvent, type ChromeTraceOptions } from './chrome-trace.js';
export { toTimelineSvg, type TimelineOptions } from './timeline-svg.js';
export { toTimelineHtml } from './timeline-html.js';
export {
  jobDuration, modelDelay, signalArrival, TieBreaks, tieBreaks, timerJitter,
  type SecondsRange, type TieBreaksOptions, type TieDecision,
} from './environment.js';
export type { FcArbitrary } from './fc-arbitrary.js';
export { FaultSchedule, faultSchedule, type FaultKind, type FaultScheduleOptions, type FaultStep, type ScheduledFault } from './fault-schedule.js';
export { PropertyFailure, PropertyFalse, type PropertyResult, type PropertyRun } from './property-report.js';
export {
  assertProperty, checkProperty, replayProperty, runInEnvironment, type ModelArbitrary, type PropertyOptions, type Scenario,
} from './property.js';
export { AsyncCoroutine, asyncCoroutine, awaitable } from './async-coroutine.js';
export { runUntilCompleteAsync, withLoopAsync } from './async-run.js';
export { withAsync } from './async-with.js';
