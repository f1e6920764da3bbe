// Stable names for what a trace or a loop-state listing mentions: tasks by their name or
// coroutine, futures and timers numbered in order of first mention, values as Python
// reprs with source sites, object ids and default task numbers taken out. The same
// program gets the same text whatever ran before it in the process (snapshots).
// asyncio: none (an aiosim testing extra)

import { formatCallback } from '../format/format-callback.js';
import { generatorInfo } from '../format/source-location.js';
import { repr } from '../format/py-repr.js';
import { Repr } from '../format/reprlib.js';
import { Future } from '../future/future.js';
import { TimerHandle } from '../events/handle.js';
import { Task } from '../task/task.js';

/**
 * Take out of a repr what changes from run to run of a test file: source sites
 * (` at file:line`), object ids (`0x1f`), process-wide task and thread numbers
 * (`Task-12`, `Thread-3`, `ProcessPoolExecutor-6_0`) and thread idents (`<Thread(w,
 * started 7)>`).
 */
export function normaliseText(text: string): string {
  return text
    .replace(/ at [^\s>()]+:\d+(?::\d+)?/g, '')
    .replace(/\b0x[0-9a-f]+\b/g, '0x?')
    .replace(/\bTask-\d+\b/g, 'Task-?')
    .replace(/\bThread-\d+\b/g, 'Thread-?')
    .replace(/\b(\w*Executor)-\d+_(?=\d+\b)/g, '$1-?_')
    .replace(/(<Thread\([^<>]*, (?:initial|started|stopped)(?: daemon)?) \d+\)>/g, '$1 ?)>');
}

/**
 * A thread's name without the process-wide counters in default names (`Thread-51
 * (_do_shutdown)`, `ThreadPoolExecutor-3_0`, `ProcessPoolExecutor-6_1`, an executor
 * subclass's `MyPool-2_0`), which change with what ran before.
 */
export function normaliseThreadName(name: string): string {
  return name.replace(/^Thread-\d+\b/, 'Thread-?').replace(/^([A-Za-z_$][\w$]*)-\d+_(?=\d+$)/, '$1-?_');
}

// The name of the function a coroutine object comes from, if it can be known.
function coroutineName(coro: object | undefined): string | undefined {
  if (coro === undefined) return undefined;
  const own = (coro as { __name__?: unknown }).__name__;
  if (typeof own === 'string') return own;
  return generatorInfo(coro).name;
}

// How a trace shows values: as reprlib clips them (a result of 10^6 items stays a short
// line), futures and tasks by their label, each repr normalised before it is clipped (so
// that no id or site is cut in half), and a repr that throws made up as reprlib does.
class LabelRepr extends Repr {
  readonly #labels: Labels;

  constructor(labels: Labels) {
    super();
    this.#labels = labels;
  }

  override reprInstance(x: unknown, level: number): string {
    return x instanceof Future ? this.#labels.of(x) : super.reprInstance(x, level);
  }

  protected override builtinRepr(x: unknown): string {
    return normaliseText(repr(x));
  }

  /** The whole repr, unclipped, or the made-up text when it throws. */
  whole(x: unknown): string {
    try {
      return this.builtinRepr(x);
    } catch {
      return normaliseText(this.failed(x));
    }
  }
}

/**
 * Trace-local names, given on first mention. A task is named by its explicit name, else
 * by its coroutine's function (`main`, `<anonymous>` when it has none); a second task of
 * the same name becomes `worker#2`. Futures and timers are numbered per kind (`future 1`,
 * `_GatheringFuture 1`, `timer 1`); a future that an asyncio function made to wait on,
 * while a trace was attached, is named after that function as CPython spells it
 * (`sleep future 1`, `Queue.get future 1`, `Lock.acquire future 2`).
 *
 * @example
 * const labels = new Labels();
 * labels.of(task); // 'main'
 * asyncio: none (aiosim testing)
 */
export class Labels {
  readonly #names = new WeakMap<object, string>();
  readonly #roles = new WeakMap<object, string>();
  readonly #counts = new Map<string, number>();
  readonly #repr = new LabelRepr(this);

  #next(base: string): number {
    const n = (this.#counts.get(base) ?? 0) + 1;
    this.#counts.set(base, n);
    return n;
  }

  /** Return the label of a task, future or timer (assigning one on first mention). */
  of(obj: object): string {
    const known = this.#names.get(obj);
    if (known !== undefined) return known;
    let label: string;
    if (obj instanceof Task) {
      const base = typeof obj._name === 'string' ? obj._name : coroutineName(obj._coro) ?? '<anonymous>';
      const n = this.#next(`task:${base}`);
      label = n === 1 ? base : `${base}#${n}`;
    } else if (obj instanceof TimerHandle) {
      label = `timer ${this.#next('timer')}`;
    } else if (obj.constructor === Future) {
      const role = this.#roles.get(obj);
      const kind = role === undefined ? 'future' : `${role} future`;
      label = `${kind} ${this.#next(kind)}`;
    } else {
      const kind = obj.constructor.name;
      label = `${kind} ${this.#next(kind)}`;
    }
    this.#names.set(obj, label);
    return label;
  }

  /**
   * @internal The label of the connection between sockets `a` and `b` (`connection 1`),
   * one for both ends, numbered in order of first mention.
   */
  _connection(a: object, b: object | undefined): string {
    const label = this.#names.get(a) ?? (b === undefined ? undefined : this.#names.get(b)) ?? `connection ${this.#next('connection')}`;
    this.#names.set(a, label);
    if (b !== undefined) this.#names.set(b, label);
    return label;
  }

  /**
   * @internal Name a future after the asyncio function that made it (`sleep`, `Queue.get`),
   * if it has no label yet.
   */
  _setRole(fut: object, role: string): void {
    if (!this.#names.has(fut)) this.#roles.set(fut, role);
  }

  /**
   * Return a value as text: futures and tasks by label, the rest as a normalised repr
   * clipped as reprlib clips it (`[0, 1, 2, 3, 4, 5, ...]`); never throws.
   */
  value(v: unknown): string {
    return normaliseText(this.#repr.repr(v));
  }

  /** Return an exception as text: its whole normalised repr; never throws. */
  exception(e: unknown): string {
    return this.#repr.whole(e);
  }

  /** Return `name(arg, …)` for a callback and its arguments (always with the arguments). */
  callback(fn: unknown, args: readonly unknown[]): string {
    const head = normaliseText(formatCallback(fn, [], false));
    const name = head.endsWith('()') ? head.slice(0, -2) : head;
    return `${name}(${args.map((a) => this.value(a)).join(', ')})`;
  }

  /** Return a done future's outcome: `result=…`, `exception=…` or `cancelled`. */
  outcome(fut: Future<unknown>): string {
    if (fut.cancelled()) return 'cancelled';
    const exc = fut._exception;
    return exc === undefined ? `result=${this.value(fut._result)}` : `exception=${this.exception(exc)}`;
  }
}
