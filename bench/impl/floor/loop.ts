// The plain-JS floor, part 1: the least a virtual-clock loop with asyncio's scheduling
// must do — one handle object per callSoon, one timer object per timer, a ring buffer
// of ready handles, a binary heap sifting exactly as heapq does (same order on ties),
// CPython's cancelled-timer compaction rule and one batch of ready handles per
// iteration. No debug mode, no reprs, no threads: only what the semantics force.

import type { Cb } from '../../workloads/api.js';

const NO_ARGS: unknown[] = [];

/** A scheduled callback; timers also carry their deadline (one shape for both). */
export class FHandle {
  cb: Cb | undefined;
  args: unknown[] | undefined;
  readonly when: number;
  cancelled = false;
  scheduled = false;
  readonly loop: FloorLoop;

  constructor(cb: Cb, args: unknown[], when: number, loop: FloorLoop) {
    this.cb = cb;
    this.args = args.length === 0 ? NO_ARGS : args;
    this.when = when;
    this.loop = loop;
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    if (this.scheduled) this.loop.cancelledCount++;
    this.cb = undefined;
    this.args = undefined;
  }
}

// The timer heap: heapq's siftdown / siftup (same comparisons, same moves, so the same
// order on ties as CPython), with the deadlines kept in a Float64Array beside the
// handles, so that sifting compares numbers in one block of memory instead of
// following a pointer to each handle.
export class TimerHeap {
  keys = new Float64Array(64);
  items: (FHandle | undefined)[] = new Array(64).fill(undefined);
  length = 0;

  push(h: FHandle): void {
    if (this.length === this.keys.length) this.grow();
    const pos = this.length++;
    this.keys[pos] = h.when;
    this.items[pos] = h;
    this.siftDown(0, pos);
  }

  peek(): FHandle {
    return this.items[0]!;
  }

  peekWhen(): number {
    return this.keys[0]!;
  }

  pop(): FHandle {
    const keys = this.keys;
    const items = this.items;
    const last = --this.length;
    const top = items[0]!;
    if (last > 0) {
      keys[0] = keys[last]!;
      items[0] = items[last];
      items[last] = undefined;
      this.siftUp(0);
    } else {
      items[0] = undefined;
    }
    return top;
  }

  /** Keep the handles `keep` accepts, then heapify (heapq.heapify's bottom-up order). */
  filter(keep: (h: FHandle) => boolean): void {
    let j = 0;
    for (let i = 0; i < this.length; i++) {
      const h = this.items[i]!;
      if (keep(h)) {
        this.items[j] = h;
        this.keys[j] = h.when;
        j++;
      }
    }
    for (let i = j; i < this.length; i++) this.items[i] = undefined;
    this.length = j;
    for (let i = (j >> 1) - 1; i >= 0; i--) this.siftUp(i);
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const items: (FHandle | undefined)[] = new Array(keys.length).fill(undefined);
    for (let i = 0; i < this.length; i++) items[i] = this.items[i];
    this.items = items;
  }

  private siftDown(start: number, pos: number): void {
    const keys = this.keys;
    const items = this.items;
    const key = keys[pos]!;
    const item = items[pos];
    while (pos > start) {
      const parentPos = (pos - 1) >> 1;
      const parentKey = keys[parentPos]!;
      if (!(key < parentKey)) break;
      keys[pos] = parentKey;
      items[pos] = items[parentPos];
      pos = parentPos;
    }
    keys[pos] = key;
    items[pos] = item;
  }

  private siftUp(pos: number): void {
    const keys = this.keys;
    const items = this.items;
    const end = this.length;
    const start = pos;
    const key = keys[pos]!;
    const item = items[pos];
    const limit = end >> 1;
    while (pos < limit) {
      let child = 2 * pos + 1;
      if (child + 1 < end && !(keys[child]! < keys[child + 1]!)) child++;
      keys[pos] = keys[child]!;
      items[pos] = items[child];
      pos = child;
    }
    keys[pos] = key;
    items[pos] = item;
    this.siftDown(start, pos);
  }
}

// Compaction keeps live timers; dropped ones are no longer scheduled.
function keepScheduled(h: FHandle): boolean {
  if (!h.cancelled) return true;
  h.scheduled = false;
  return false;
}

let running: FloorLoop | undefined;

/** The running floor loop (sleep and the sync objects find it here). */
export function runningLoop(): FloorLoop {
  if (running === undefined) throw new Error('no running event loop');
  return running;
}

/** A virtual-clock event loop reduced to its scheduling core. */
export class FloorLoop {
  clock = 0;
  stopping = false;
  cancelledCount = 0;
  heap = new TimerHeap();
  currentTask: object | undefined;
  // The ready ring buffer: buf.length is a power of two, mask = buf.length - 1.
  buf: (FHandle | undefined)[] = new Array(16);
  mask = 15;
  head = 0;
  size = 0;

  time(): number {
    return this.clock;
  }

  append(h: FHandle): void {
    if (this.size === this.buf.length) this.grow();
    this.buf[(this.head + this.size) & this.mask] = h;
    this.size++;
  }

  private grow(): void {
    const old = this.buf;
    const buf: (FHandle | undefined)[] = new Array(old.length * 2);
    for (let i = 0; i < this.size; i++) buf[i] = old[(this.head + i) & this.mask];
    this.buf = buf;
    this.mask = buf.length - 1;
    this.head = 0;
  }

  callSoon(cb: Cb, ...args: unknown[]): FHandle {
    const h = new FHandle(cb, args, 0, this);
    this.append(h);
    return h;
  }

  callLater(delay: number, cb: Cb, ...args: unknown[]): FHandle {
    const h = new FHandle(cb, args, this.clock + delay, this);
    this.heap.push(h);
    h.scheduled = true;
    return h;
  }

  stop(): void {
    this.stopping = true;
  }

  close(): void {
    this.heap = new TimerHeap();
    this.buf = new Array(16);
    this.mask = 15;
    this.head = 0;
    this.size = 0;
  }

  runForever(): void {
    const outer = running;
    running = this;
    try {
      do this.runOnce();
      while (!this.stopping);
    } finally {
      this.stopping = false;
      running = outer;
    }
  }

  runOnce(): void {
    // 1. Drop cancelled timers (CPython's rule: compact when more than half are cancelled).
    const heap = this.heap;
    if (heap.length > 100 && this.cancelledCount / heap.length > 0.5) {
      heap.filter(keepScheduled);
      this.cancelledCount = 0;
    } else {
      while (heap.length > 0 && heap.peek().cancelled) {
        this.cancelledCount--;
        heap.pop().scheduled = false;
      }
    }
    // 2-3. The virtual wait: jump to the next deadline when nothing is ready.
    if (this.size === 0 && !this.stopping) {
      if (heap.length === 0) throw new Error('stalled: nothing is ready and no timer is scheduled');
      const timeout = heap.peekWhen() - this.clock;
      if (timeout > 0) this.clock += timeout > 86400 ? 86400 : timeout;
    }
    // 4. Due timers become ready.
    const end = this.clock + 1e-9;
    while (heap.length > 0 && heap.peekWhen() < end) {
      const h = heap.pop();
      h.scheduled = false;
      this.append(h);
    }
    // 5. Run this batch; what it schedules waits for the next iteration.
    const ntodo = this.size;
    for (let i = 0; i < ntodo; i++) {
      const h = this.buf[this.head]!;
      this.buf[this.head] = undefined;
      this.head = (this.head + 1) & this.mask;
      this.size--;
      if (h.cancelled) continue;
      const cb = h.cb!;
      const args = h.args!;
      try {
        if (args.length === 0) cb();
        else if (args.length === 1) cb(args[0]);
        else cb(...args);
      } catch (e) {
        this.reportError(e);
      }
    }
  }

  private reportError(e: unknown): void {
    // The floor has no exception handler: a benchmark callback never throws.
    throw e;
  }
}
