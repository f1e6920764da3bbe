// A set of async generators that forgets each one when it finishes or a collection point
// frees it: what CPython's weak set of async generators holds, given that aiosim frees a
// generator only there (docs/divergences.md, "Collection timing"). Iterated in insertion
// order. asyncio: weakref.WeakSet (BaseEventLoop._asyncgens)

/** @internal What an AsyncGenSet holds: it knows the sets it is in. */
export interface AsyncGenMember {
  _sets: AsyncGenSet<AsyncGenMember>[] | undefined;
}

/** @internal See the header. */
export class AsyncGenSet<T extends AsyncGenMember> {
  readonly #items = new Set<T>();

  get size(): number {
    return this.#items.size;
  }

  has(agen: T): boolean {
    return this.#items.has(agen);
  }

  add(agen: T): void {
    if (this.#items.has(agen)) return;
    this.#items.add(agen);
    (agen._sets ??= []).push(this as unknown as AsyncGenSet<AsyncGenMember>);
  }

  delete(agen: T): void {
    if (!this.#items.delete(agen)) return;
    const sets = agen._sets!;
    sets.splice(sets.indexOf(this as unknown as AsyncGenSet<AsyncGenMember>), 1);
  }

  clear(): void {
    for (const agen of [...this.#items]) this.delete(agen);
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this.#items.values();
  }
}

/** @internal Take `agen` out of every set holding it (it finished, or it is freed). */
export function _forgetAsyncGen(agen: AsyncGenMember): void {
  const sets = agen._sets;
  if (sets === undefined) return;
  for (const set of [...sets]) set.delete(agen);
}
