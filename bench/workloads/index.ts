// The workloads of issue 8 and the network workloads of issue 20, in table order, and
// the scaling-only workloads of issues 16 and 20.

import { s1QueueNowait } from './s1-queue-nowait.js';
import { s2LockWaiters } from './s2-lock-waiters.js';
import { s3AsCompleted } from './s3-as-completed.js';
import { s4IdleConnections } from './s4-idle-connections.js';
import { w10Echo } from './w10-echo.js';
import { w11Connections } from './w11-connections.js';
import { w1Chain } from './w1-chain.js';
import { w2Fanout } from './w2-fanout.js';
import { w3Timers } from './w3-timers.js';
import { w4Cancel } from './w4-cancel.js';
import { w5PingPong } from './w5-pingpong.js';
import { w6Yield } from './w6-yield.js';
import { w7Sleepers } from './w7-sleepers.js';
import { w8Queue } from './w8-queue.js';
import { w9Lock } from './w9-lock.js';
import type { Workload } from './workload.js';

/** The speed table's workloads. */
export const WORKLOADS: readonly Workload<any>[] = [w1Chain, w2Fanout, w3Timers, w4Cancel, w5PingPong, w6Yield, w7Sleepers, w8Queue, w9Lock, w10Echo, w11Connections];

/** Workloads measured only in the scaling part (time per item at N = 10^3 … 10^6). */
export const SCALING_ONLY: readonly Workload<any>[] = [s1QueueNowait, s2LockWaiters, s3AsCompleted, s4IdleConnections];

/** Every workload with a scaling plan, in the order the scaling part measures them. */
export const SCALING: readonly Workload<any>[] = [...WORKLOADS, ...SCALING_ONLY].filter((w) => w.scaling !== undefined);

export function workload(id: string): Workload<any> {
  const w = WORKLOADS.find((x) => x.id === id) ?? SCALING_ONLY.find((x) => x.id === id);
  if (w === undefined) throw new Error(`unknown workload ${id}`);
  return w;
}
