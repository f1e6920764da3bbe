// The tracked coroutines never started: what a collection point reports as "coroutine
// '<name>' was never awaited". Tracking must cost next to nothing: sleep(), Queue.get and
// Lock.acquire are tracked, and are hot. Nearly every coroutine starts right after it is
// made (`yield* sleep(0)`), so the newest waits in a slot; only when another is made
// before it starts does it get a record in an intrusive doubly-linked list.
// asyncio: the interpreter's coroutine finalizer (_PyGen_Finalize, _PyErr_WarnUnawaitedCoroutine)

import type { StackFrame } from '../format/stack.js';
import { _nextCreationSeq } from '../runtime/creation-order.js';

/** @internal A tracked coroutine object: its name is `__name__` (asyncio's `__qualname__`). */
export interface TrackedCoroutine {
  readonly __name__: string;
  /** Its record, while it has one (set on the object itself: absent reads as undefined). */
  _uRec?: UnawaitedRecord | undefined;
}

/** @internal What a collection point knows of a coroutine never started. */
export interface UnawaitedRecord {
  readonly coro: TrackedCoroutine;
  /** Creation number: reports come in creation order. */
  readonly seq: number;
  /** Tracked coroutines passed to it as arguments: freed with it, so reported after it. */
  readonly holds: readonly TrackedCoroutine[] | undefined;
  /** Where it was created (user frames, newest last), when captured. */
  readonly createdAt: readonly StackFrame[] | undefined;
  /** Whether a debug loop was running at creation (the report shows where it was created). */
  readonly origin: boolean;
  prev: UnawaitedRecord;
  next: UnawaitedRecord;
}

// The newest tracked coroutine, with what its record would hold. Invariant: a coroutine
// created and neither started nor closed is either the slot's `coro` or has a record in
// the list, never both; the slot's is younger than everything in the list. The slot is
// a small object renewed every 256 coroutines rather than module variables: V8 stores a
// new object into a young object without the write barrier's slow path that a store into
// long-lived memory takes.
interface Slot {
  coro: TrackedCoroutine | undefined;
  seq: number;
  /** What is rarely there (held coroutines, a creation stack), undefined most of the time. */
  extra: Extra | undefined;
  count: number;
}

interface Extra {
  readonly holds: readonly TrackedCoroutine[] | undefined;
  readonly createdAt: readonly StackFrame[] | undefined;
  readonly origin: boolean;
}

let slot: Slot = { coro: undefined, seq: 0, extra: undefined, count: 0 };

// The list's sentinel: its `next` is the oldest record, its `prev` the youngest.
const head = { prev: undefined, next: undefined } as unknown as UnawaitedRecord;
head.prev = head.next = head;

// Give the slot's coroutine its record, at the young end of the list.
function flush(s: Slot): void {
  const coro = s.coro!;
  const last = head.prev;
  const x = s.extra;
  const rec: UnawaitedRecord = { coro, seq: s.seq, holds: x?.holds, createdAt: x?.createdAt, origin: x?.origin === true, prev: last, next: head };
  last.next = rec;
  head.prev = rec;
  coro._uRec = rec;
  s.coro = undefined;
}

/**
 * @internal Track a coroutine just created (reported if never started nor closed):
 * `holds`, the tracked coroutines among its arguments; `createdAt`, where it was made.
 */
export function _trackUnawaited(coro: TrackedCoroutine, holds: readonly TrackedCoroutine[] | undefined, createdAt: readonly StackFrame[] | undefined, origin: boolean): void {
  const s = slot;
  if (s.coro !== undefined) flush(s);
  s.coro = coro;
  s.seq = _nextCreationSeq();
  s.extra = holds === undefined && createdAt === undefined ? undefined : { holds, createdAt, origin };
  if (++s.count === 256) slot = { coro, seq: s.seq, extra: s.extra, count: 0 };
}

/** @internal Stop tracking a coroutine (it started or was closed); idempotent. */
export function _untrackUnawaited(coro: TrackedCoroutine): void {
  const s = slot;
  if (s.coro === coro) {
    s.coro = undefined;
    return;
  }
  const rec = coro._uRec;
  if (rec === undefined) return;
  rec.prev.next = rec.next;
  rec.next.prev = rec.prev;
  coro._uRec = undefined;
}

/** @internal Whether `obj` is a tracked coroutine never started nor closed. */
export function _isUnawaited(obj: unknown): obj is TrackedCoroutine {
  if (typeof obj !== 'object' || obj === null) return false;
  return obj === slot.coro || (obj as TrackedCoroutine)._uRec !== undefined;
}

/** @internal The tracked coroutines never started among `args` (what a new coroutine's frame holds). */
export function _heldCoroutines(args: readonly unknown[]): TrackedCoroutine[] | undefined {
  let held: TrackedCoroutine[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (_isUnawaited(a)) (held ??= []).push(a);
  }
  return held;
}

/** @internal Whether a coroutine never started is tracked (a collection point would take it). */
export function _hasUnawaited(): boolean {
  return slot.coro !== undefined || head.next !== head;
}

/** @internal Take the records of every coroutine never started, in creation order, and forget them. */
export function _takeUnawaited(): UnawaitedRecord[] {
  if (slot.coro !== undefined) flush(slot);
  const out: UnawaitedRecord[] = [];
  for (let rec = head.next; rec !== head; rec = rec.next) {
    rec.coro._uRec = undefined;
    out.push(rec);
  }
  head.prev = head.next = head;
  return out;
}

/**
 * @internal Track again coroutines a collection point took but must not report (a task
 * will run them): older than any tracked since, they go back at the old end of the list.
 */
export function _retrackUnawaited(records: readonly UnawaitedRecord[]): void {
  for (let i = records.length - 1; i >= 0; i--) {
    const rec = records[i]!;
    const first = head.next;
    rec.prev = head;
    rec.next = first;
    first.prev = rec;
    head.next = rec;
    rec.coro._uRec = rec;
  }
}
