// The step-driver seam: the one way a task's step may go on after the loop's handle for
// it has returned. aiosim/testing's async-function coroutines register the driver here
// (their code runs in microtasks, between the loop's callbacks); generator coroutines
// never use it. A deferred step goes like this:
// 1. the coroutine's next() returns DEFERRED_STEP: the task marks its step deferred on its
//    loop (`loop._deferredStep`) and stays the loop's current task;
// 2. the loop pauses its iteration after that handle, and its async driver
//    (loop/drivers.ts) awaits `driver.endStep(task)`, which lets the microtasks run and
//    ends the step with `task._endDeferredStep()`; then the iteration goes on;
// 3. meanwhile, `await` of an aiosim awaitable in that code (a Future's or a coroutine's
//    then()) is the step's own await: the running task hands it to `driver.takeAwait`.
// asyncio: none (the bridge between JavaScript's microtasks and a task's steps)

import { RuntimeError } from '../errors/exceptions.js';
import type { Task } from './task.js';

/**
 * @internal What a coroutine's next() returns when its step goes on in microtasks. The
 * loop pauses its iteration after the step's handle until the driver ends the step.
 */
export const DEFERRED_STEP: unique symbol = Symbol('aiosim.deferredStep');

/** @internal What drives deferred steps (aiosim/testing's async-function mode). */
export interface StepDriver {
  /**
   * `await awaited` in JavaScript while a step runs: take it as the step's own await
   * (settling `resolve`/`reject` when the task resumes) and return true, or return false
   * when no step of yours is running.
   */
  takeAwait(awaited: object, resolve: (value: any) => void, reject: (reason: unknown) => void): boolean;
  /** Let the deferred step of `task` go on until it has an outcome, then end it (`task._endDeferredStep()`). */
  endStep(task: Task<unknown>): Promise<void>;
}

let driver: StepDriver | undefined;
// The task whose eager first step is running (an async-function coroutine cannot defer there).
let eagerStep: Task<unknown> | undefined;

/** @internal Register the step driver (aiosim/testing, while it drives a loop), or none. */
export function _registerStepDriver(stepDriver: StepDriver | undefined): void {
  driver = stepDriver;
}

/** @internal Whether the registered driver takes `await awaited` as the running step's await. */
export function _driverTakesAwait(awaited: object, resolve: (value: any) => void, reject: (reason: unknown) => void): boolean {
  return driver !== undefined && driver.takeAwait(awaited, resolve, reject);
}

/**
 * @internal Let the driver end the deferred step of `task`.
 * @throws RuntimeError when no driver is registered (no step can have been deferred then).
 */
export function _endStepWithDriver(task: Task<unknown>): Promise<void> {
  if (driver === undefined) throw new RuntimeError('a step was deferred, yet no step driver is registered');
  return driver.endStep(task);
}

/** @internal An eager first step starts (inside createTask); returns the one it interrupts. */
export function _enterEagerStep(task: Task<unknown>): Task<unknown> | undefined {
  const outer = eagerStep;
  eagerStep = task;
  return outer;
}

/** @internal The eager first step ended: `outer` runs again, if any. */
export function _leaveEagerStep(outer: Task<unknown> | undefined): void {
  eagerStep = outer;
}

/** @internal Whether an eager first step is running (a step that cannot be deferred). */
export function _inEagerStep(): boolean {
  return eagerStep !== undefined;
}
