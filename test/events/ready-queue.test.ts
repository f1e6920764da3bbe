// The loop's ready queue: a FIFO ring buffer that grows for a burst of handles and gives
// the memory back once the burst has drained (shrink), keeping the order.

import { describe, expect, it } from 'vitest';
import { EventLoop, type Handle } from '../../src/index.js';
import { ReadyQueue } from '../../src/events/ready-queue.js';

describe('ReadyQueue', () => {
  const loop = new EventLoop();
  const handles = Array.from({ length: 5000 }, (_, i) => loop.callSoon(() => i));
  loop.close();

  function drain(q: ReadyQueue): Handle[] {
    const out: Handle[] = [];
    while (q.length > 0) out.push(q.popleft());
    return out;
  }

  it('keeps FIFO order when it shrinks with its head wrapped around the buffer', () => {
    const q = new ReadyQueue();
    for (const h of handles.slice(0, 4096)) q.append(h);
    for (let i = 0; i < 4000; i++) q.popleft();
    // The tail wraps around to the start of the 4096-slot buffer.
    for (const h of handles.slice(4096, 4146)) q.append(h);
    q.shrink();
    expect(q.length).toBe(146);
    expect(q.at(0)).toBe(handles[4000]);
    q.append(handles[4146]!);
    expect(drain(q)).toEqual(handles.slice(4000, 4147));
  });

  it('shrinks only once a large buffer is at most a quarter full, and grows again after', () => {
    const q = new ReadyQueue();
    for (const h of handles.slice(0, 4096)) q.append(h);
    for (let i = 0; i < 3000; i++) q.popleft();
    q.shrink(); // 1096 of 4096 used: more than a quarter, kept as it is
    for (const h of handles.slice(4096)) q.append(h);
    expect(q.length).toBe(2000);
    for (let i = 0; i < 1990; i++) q.popleft();
    q.shrink();
    q.shrink();
    for (const h of handles.slice(0, 100)) q.append(h);
    expect(drain(q)).toEqual([...handles.slice(4990), ...handles.slice(0, 100)]);
  });
});
