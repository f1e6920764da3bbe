// The shape of a workload: its sizes, its definition against the Api (aiosim, the
// floor), its @sinonjs/fake-timers form where fake timers can express it, and the
// result a correct run must produce. bench/python/workloads.py holds the same
// definitions for CPython.

import type { Clock } from '@sinonjs/fake-timers';
import type { Api, Loop } from './api.js';

/** Sizes: `n` (callbacks, timers, tasks, items) and `m` (per-task repetitions). */
export interface Params {
  n: number;
  m: number;
}

/** What a run reports: how many things happened, a workload checksum, the final virtual time. */
export interface Result {
  count: number;
  check: number;
  time: number;
}

/** The result a correct run must produce; `check` undefined means "not comparable". */
export interface Expected {
  count: number;
  check: number | undefined;
  time: number;
  /** Allowed distance from `time`, in seconds. */
  tolerance: number;
}

export interface Workload<D = unknown> {
  readonly id: string;
  readonly title: string;
  readonly full: Params;
  readonly quick: Params;
  /** How many operations a run performs (for per-operation figures). */
  ops(p: Params): number;
  /** Untimed preparation (the LCG delays). */
  prepare(p: Params): D;
  /** The workload on `loop`, which `api` made. */
  run(api: Api, loop: Loop, p: Params, data: D): Result;
  /** The expected result on a virtual-clock asyncio loop. */
  expected(p: Params, data: D): Expected;
  /** The fake-timers form (setTimeout / setImmediate chains), where it exists. */
  fake?: {
    run(clock: Clock, p: Params, data: D): Result;
    expected(p: Params, data: D): Expected;
  };
  /** Whether the stock asyncio loop can run it (no timers: its clock is real). */
  readonly stock: boolean;
  /** How it takes part in the scaling part, if it does. */
  readonly scaling?: ScalingPlan;
  /**
   * Set for the network workloads: each run starts from a fresh process's simulated
   * network with this loopback latency (CPython's runs on the oracle's twin network). The
   * plain-JS floor, having no network, does not run them.
   */
  readonly network?: { readonly loopbackLatency: number };
}

/** The implementations the scaling part can measure (each size of one in one process). */
export type ScaleImpl = 'aiosim' | 'cpython' | 'fake' | 'floor';

/** How a workload is measured at N = 10^3 … 10^6, in nanoseconds per operation. */
export interface ScalingPlan {
  /** The implementations measured. */
  readonly impls: readonly ScaleImpl[];
  /** What one operation is, in the table and the plot (`callback`, `timer`, `item`). */
  readonly per: string;
  /** The cost per operation a correct implementation shows: constant, or ∝ log n. */
  readonly guide: 'flat' | 'log';
  /** The largest N measured, by implementation, where larger ones would take minutes. */
  readonly maxN?: Readonly<Partial<Record<ScaleImpl, number>>>;
}

/** Tolerance for the final virtual time of exact (asyncio-order) implementations. */
export const EXACT = 1e-6;

/** A typed callback as fake-timers' `(...args: unknown[]) => void`. */
export function fakeCb<A extends unknown[]>(fn: (...args: A) => void): (...args: unknown[]) => void {
  return fn as (...args: unknown[]) => void;
}
