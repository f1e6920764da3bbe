// QueueHandler and QueueListener: logging without blocking the event loop. The handler
// only queues records; a listener on its own simulated thread hands them to the slow
// handlers (network logging), so their cost does not block the loop.
// asyncio: logging.handlers.QueueHandler / QueueListener (the "Developing with asyncio"
// advice: "Network logging can block the event loop")

import type { Handler, LogRecord } from '../log/logging.js';
import { NOTSET } from '../log/logging.js';
import { Deque } from '../runtime/deque.js';
import { block, Thread, wakeWaiters, type WaitRequest } from './thread.js';

/** A FIFO of log records shared between threads (Python's queue.SimpleQueue). */
export class RecordQueue {
  /** @internal */ readonly _items = new Deque<LogRecord | null>();

  /** Add a record; wake a listener waiting for one. */
  putNowait(record: LogRecord | null): void {
    this._items.push(record);
    wakeWaiters();
  }
}

/**
 * A handler that puts records on a queue and returns at once.
 * asyncio: logging.handlers.QueueHandler
 */
export class QueueHandler implements Handler {
  level = NOTSET;
  constructor(readonly queue: RecordQueue) {}

  handle(record: LogRecord): void {
    if (record.levelno >= this.level) this.queue.putNowait(record);
  }
}

/**
 * Takes records off a queue on its own simulated thread and passes them to handlers.
 * `start()` starts the thread; `stop()` hands over what is left and waits for it.
 * asyncio: logging.handlers.QueueListener
 */
export class QueueListener {
  readonly #handlers: Handler[];
  #thread: Thread | undefined;

  constructor(readonly queue: RecordQueue, ...handlers: Handler[]) {
    this.#handlers = handlers;
  }

  /** Start the listener thread. asyncio: QueueListener.start */
  start(): void {
    const listener = this;
    this.#thread = new Thread({ name: 'QueueListener', target: function* _monitor() { yield* listener.#monitor(); } });
    this.#thread.start();
  }

  *#monitor(): Generator<WaitRequest, void, unknown> {
    const items = this.queue._items;
    for (;;) {
      yield* block(() => items.length > 0, undefined, () => undefined, 'a log record', 'yield');
      const record = items.shift()!;
      if (record === null) return;
      for (const h of this.#handlers) if (record.levelno >= (h.level ?? NOTSET)) h.handle(record);
      // Time a handler spent (blockingSleep) passes on this thread, not the loop's.
      yield { kind: 'aiosim.wait', until: undefined, deadline: undefined };
    }
  }

  /** Stop the thread after the records already queued. asyncio: QueueListener.stop */
  stop(): void {
    if (this.#thread === undefined) return;
    this.queue.putNowait(null);
    this.#thread.join();
    this.#thread = undefined;
  }
}
