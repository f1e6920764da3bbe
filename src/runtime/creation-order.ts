// One process-wide creation counter for the objects a collection point may report
// (futures, tasks, tracked coroutines, loops): reports come in creation order.

let seq = 0;

/** @internal Return the next creation number. */
export function _nextCreationSeq(): number {
  return ++seq;
}
