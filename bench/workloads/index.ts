// The workloads of issue 8, in table order.

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

export const WORKLOADS: readonly Workload<any>[] = [w1Chain, w2Fanout, w3Timers, w4Cancel, w5PingPong, w6Yield, w7Sleepers, w8Queue, w9Lock];

export function workload(id: string): Workload<any> {
  const w = WORKLOADS.find((x) => x.id === id);
  if (w === undefined) throw new Error(`unknown workload ${id}`);
  return w;
}
