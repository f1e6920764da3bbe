// The waiter lists of the synchronisation primitives (asyncio: collections.deque).
// asyncio: deque.remove, as the primitives use it on their waiters

/**
 * Remove the first occurrence of `waiter` (absent: nothing happens). The first waiter
 * is the common case (the one woken leaves first): `shift()` there, which V8 does in
 * O(1) where `splice(0, 1)` copies the whole list.
 */
export function removeWaiter<T>(waiters: T[], waiter: T): void {
  if (waiters[0] === waiter) {
    waiters.shift();
    return;
  }
  const i = waiters.indexOf(waiter);
  if (i >= 0) waiters.splice(i, 1);
}

/**
 * Whether every waiter was cancelled (true for none): the primitive is free for a
 * newcomer only then. asyncio: all(w.cancelled() for w in self._waiters)
 */
export function allCancelled(waiters: readonly { cancelled(): boolean }[] | undefined): boolean {
  if (waiters === undefined) return true;
  for (let i = 0; i < waiters.length; i++) if (!waiters[i]!.cancelled()) return false;
  return true;
}
