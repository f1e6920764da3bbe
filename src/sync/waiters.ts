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
