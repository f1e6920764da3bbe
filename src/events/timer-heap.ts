// The loop's timer queue: heapq over TimerHandles ordered by `when` only, so timers
// with equal deadlines fire in heapq's order, exactly as in CPython. This is
// deliberate: do not replace it with a stable priority queue.
// asyncio: the heapq calls in base_events.py on `_scheduled` (TimerHandle.__lt__)

/** Anything ordered by a `_when` deadline (TimerHandle, and anything that must sort like it). */
export interface Timed {
  /** @internal */
  readonly _when: number;
}

// heapq's sifts specialised to TimerHandle.__lt__, which compares `_when` only (the hottest
// heap there is): the same moves as heapq.ts makes with that comparison, so the same order, without a call per comparison.
// Deadlines are numbers, so no comparison can throw and moving a hole instead of
// swapping leaves every item where the swaps would.
function siftDownWhen<T extends Timed>(heap: T[], start: number, pos: number): void {
  const item = heap[pos]!;
  const when = item._when;
  while (pos > start) {
    const parentPos = (pos - 1) >> 1;
    const parent = heap[parentPos]!;
    if (!(when < parent._when)) break;
    heap[pos] = parent;
    pos = parentPos;
  }
  heap[pos] = item;
}

function siftUpWhen<T extends Timed>(heap: T[], pos: number): void {
  const end = heap.length;
  const start = pos;
  const limit = end >> 1;
  const item = heap[pos]!;
  while (pos < limit) {
    let child = 2 * pos + 1;
    if (child + 1 < end && !(heap[child]!._when < heap[child + 1]!._when)) child++;
    heap[pos] = heap[child]!;
    pos = child;
  }
  heap[pos] = item;
  siftDownWhen(heap, start, pos);
}

/** Push a timer. asyncio: heapq.heappush(loop._scheduled, timer) */
export function heappush<T extends Timed>(heap: T[], item: T): void {
  // siftDownWhen from a hole at the end, written out: with no call between the first
  // write and the last, a stack overflow (a too-deep await chain scheduling its timer)
  // strikes before the heap changes or not at all, as with CPython's C heappush.
  const when = item._when;
  let pos = heap.length;
  while (pos > 0) {
    const parentPos = (pos - 1) >> 1;
    const parent = heap[parentPos]!;
    if (!(when < parent._when)) break;
    heap[pos] = parent;
    pos = parentPos;
  }
  heap[pos] = item;
}

/** Pop the earliest timer (the caller checks the heap is not empty). asyncio: heapq.heappop */
export function heappop<T extends Timed>(heap: T[]): T {
  const last = heap.pop()!;
  if (heap.length === 0) return last;
  const top = heap[0]!;
  heap[0] = last;
  siftUpWhen(heap, 0);
  return top;
}

/** Rebuild the heap in place (after compaction). asyncio: heapq.heapify */
export function heapify<T extends Timed>(heap: T[]): void {
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftUpWhen(heap, i);
}

/**
 * @internal Picks one of `candidates` (>= 2) equally valid next events: an index, 0 being
 * the one CPython's own order takes. aiosim/testing's schedule exploration provides it.
 */
export type TieChooser = (candidates: number) => number;

/**
 * @internal Pop every timer due before `endTime`, in heapq order except that each run of
 * live timers with exactly the same deadline is reordered by `choose` (asyncio: "callbacks
 * scheduled for exactly the same time run in an undefined order"). Timers with different
 * deadlines keep deadline order; cancelled ones (skipped when run) take no choice.
 */
export function popDueChoosing<T extends Timed & { readonly _cancelled: boolean }>(heap: T[], endTime: number, choose: TieChooser): T[] {
  const due: T[] = [];
  while (heap.length > 0 && heap[0]!._when < endTime) due.push(heappop(heap));
  const out: T[] = [];
  for (let i = 0; i < due.length;) {
    const when = due[i]!._when;
    const live: T[] = [];
    for (; i < due.length && due[i]!._when === when; i++) {
      if (due[i]!._cancelled) out.push(due[i]!);
      else live.push(due[i]!);
    }
    while (live.length > 1) out.push(live.splice(choose(live.length), 1)[0]!);
    out.push(...live);
  }
  return out;
}
