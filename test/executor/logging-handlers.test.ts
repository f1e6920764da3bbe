// QueueHandler and QueueListener: records logged on the loop reach the slow handlers on
// the listener's thread, in order. (Example 06 shows their timing.)

import { afterEach, describe, expect, it, vi } from 'vitest';
import { logging, run, world, type Coro } from '../../src/index.js';

afterEach(() => {
  world._reset();
  vi.restoreAllMocks();
});

describe('QueueListener', () => {
  // Regression (issue 16): the record queue was an array shifted at every record.
  it('hands 2×10^4 queued records to its handler in order, without copying the queue', () => {
    const n = 20_000;
    const seen: string[] = [];
    const queue = new logging.handlers.RecordQueue();
    const listener = new logging.handlers.QueueListener(queue, { handle: (r) => seen.push(r.getMessage()) });
    const app = logging.getLogger('test.queued');
    const handler = new logging.handlers.QueueHandler(queue);
    app.addHandler(handler);
    app.propagate = false;
    const shift = vi.spyOn(Array.prototype, 'shift');
    try {
      run((function* main(): Coro<void> {
        listener.start();
        for (let i = 0; i < n; i++) app.warning('record %d', i);
        listener.stop();
      })());
    } finally {
      app.removeHandler(handler);
    }
    const shifts = shift.mock.calls.length;
    vi.restoreAllMocks();
    expect(shifts).toBe(0);
    expect(seen.length).toBe(n);
    expect(seen.every((m, i) => m === `record ${i}`)).toBe(true);
  });
});
