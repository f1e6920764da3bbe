// The waiter lists of the synchronisation primitives: FIFO lists of futures from which a
// cancelled waiter leaves in O(1), wherever it stands.
// asyncio: the collections.deque of Lock, Semaphore, Condition, Event and Queue waiters

/**
 * One place in a WaiterList: what `push` returns, so that the waiter can leave with
 * `remove(node)` in O(1). A node belongs to at most one list, once.
 */
export class WaiterNode<T> {
  /** @internal */ _prev: WaiterNode<T> | undefined = undefined;
  /** @internal */ _next: WaiterNode<T> | undefined = undefined;
  // Invariant: _list is the list the node is linked in (set by its push), undefined
  // before and once it left.
  /** @internal */ _list: WaiterList<T> | undefined = undefined;

  constructor(readonly value: T) {}

  /** The node behind this one (towards the tail), undefined at the tail or once removed. */
  get next(): WaiterNode<T> | undefined {
    return this._next;
  }
}

/**
 * A FIFO list of waiters: `push` at the tail, `shift` from the head, and `remove(node)`
 * of any waiter, each O(1) (CPython's `deque.remove` scans the deque, O(n)). Iteration
 * goes from the oldest waiter to the newest, the order asyncio wakes them in; the list
 * must not change while it is being iterated.
 *
 * @example
 * const node = waiters.push(fut);
 * try { yield* fut; } finally { waiters.remove(node); }
 * asyncio: collections.deque (as the primitives use it: append, popleft, remove, iteration)
 */
export class WaiterList<T> implements Iterable<T> {
  // Invariant: #head..#tail are the linked nodes (all with _list === this), #size of them.
  #head: WaiterNode<T> | undefined = undefined;
  #tail: WaiterNode<T> | undefined = undefined;
  #size = 0;

  /** The number of waiters. asyncio: len(waiters) */
  get length(): number {
    return this.#size;
  }

  /** The oldest waiter, or undefined when empty. asyncio: waiters[0] */
  get first(): T | undefined {
    return this.#head?.value;
  }

  /** The oldest waiter's node, to walk the list with `node.next`. */
  get firstNode(): WaiterNode<T> | undefined {
    return this.#head;
  }

  /** Add a waiter at the tail; return its node, for `remove`. asyncio: deque.append */
  push(value: T): WaiterNode<T> {
    const node = new WaiterNode(value);
    node._list = this;
    const tail = this.#tail;
    if (tail === undefined) this.#head = node;
    else {
      tail._next = node;
      node._prev = tail;
    }
    this.#tail = node;
    this.#size++;
    return node;
  }

  /** Remove and return the oldest waiter (undefined when empty). asyncio: deque.popleft */
  shift(): T | undefined {
    const head = this.#head;
    if (head === undefined) return undefined;
    this.#unlink(head);
    return head.value;
  }

  /**
   * Remove the waiter at `node`, wherever it stands; return whether it was still in this
   * list (a waiter already taken by `shift` or `clear` is not). asyncio: deque.remove
   */
  remove(node: WaiterNode<T>): boolean {
    if (node._list !== this) return false;
    this.#unlink(node);
    return true;
  }

  /** Return the waiter at index `i` from the head (O(i)), or undefined. asyncio: waiters[i] */
  at(i: number): T | undefined {
    let node = this.#head;
    for (let k = 0; k < i && node !== undefined; k++) node = node._next;
    return i >= 0 ? node?.value : undefined;
  }

  /** Remove every waiter. asyncio: deque.clear */
  clear(): void {
    while (this.#head !== undefined) this.#unlink(this.#head);
  }

  /** The waiters, oldest first. */
  *[Symbol.iterator](): Iterator<T> {
    for (let node = this.#head; node !== undefined; node = node._next) yield node.value;
  }

  #unlink(node: WaiterNode<T>): void {
    const { _prev: prev, _next: next } = node;
    if (prev === undefined) this.#head = next;
    else prev._next = next;
    if (next === undefined) this.#tail = prev;
    else next._prev = prev;
    node._prev = undefined;
    node._next = undefined;
    node._list = undefined;
    this.#size--;
  }
}

/**
 * Whether every waiter was cancelled (true for none): the primitive is free for a
 * newcomer only then. asyncio: all(w.cancelled() for w in self._waiters)
 */
export function allCancelled<T extends { cancelled(): boolean }>(waiters: WaiterList<T> | undefined): boolean {
  if (waiters === undefined) return true;
  for (let node = waiters.firstNode; node !== undefined; node = node._next) if (!node.value.cancelled()) return false;
  return true;
}
