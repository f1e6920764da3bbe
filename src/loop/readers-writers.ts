// The loop's readers and writers: a handle per file descriptor and event, kept as the
// registration's data `[reader, writer]` in the selector, and the handles of what a wait
// found ready appended to the ready queue.
// asyncio: selector_events.BaseSelectorEventLoop._add_reader/_remove_reader/_add_writer/_remove_writer/_process_events

import { RuntimeError, ValueError } from '../errors/exceptions.js';
import type { Callback } from '../events/abstract-loop.js';
import { Handle } from '../events/handle.js';
import { EVENT_READ, EVENT_WRITE, type FileObject, type ReadyEvent } from '../events/selector.js';
import { repr } from '../format/py-repr.js';
import type { EventLoop } from './event-loop.js';

/** A registration's data: the reader's and the writer's handles. */
export type ReaderWriter = readonly [reader: Handle | undefined, writer: Handle | undefined];

/**
 * Refuse a descriptor that a transport not yet closing uses (the transport owns its
 * reader and writer), and a file object with no integer `fileno()`.
 * @throws ValueError `Invalid file object: …`; RuntimeError `File descriptor 7 is used by transport <…>`.
 * asyncio: BaseSelectorEventLoop._ensure_fd_no_transport
 */
export function ensureFdNoTransport(loop: EventLoop, fd: FileObject): void {
  let fileno: unknown = fd;
  if (typeof fd !== 'number' || !Number.isInteger(fd)) {
    fileno = typeof (fd as { fileno?: unknown } | null)?.fileno === 'function' ? (fd as { fileno(): unknown }).fileno() : undefined;
    if (typeof fileno !== 'number' || !Number.isInteger(fileno)) throw new ValueError(`Invalid file object: ${repr(fd)}`);
  }
  const transport = loop._transports.get(fileno as number);
  if (transport !== undefined && !transport.isClosing()) {
    throw new RuntimeError(`File descriptor ${repr(fd)} is used by transport ${repr(transport)}`);
  }
}

function add(loop: EventLoop, fd: FileObject, event: number, callback: Callback, args: readonly unknown[]): Handle {
  loop._checkClosed();
  const handle = new Handle(callback, args, loop);
  const selector = loop._selector;
  const key = selector.lookup(fd);
  if (key === undefined) {
    selector.register(fd, event, event === EVENT_READ ? [handle, undefined] : [undefined, handle]);
    return handle;
  }
  const [reader, writer] = key.data as ReaderWriter;
  selector.modify(fd, key.events | event, event === EVENT_READ ? [handle, writer] : [reader, handle]);
  const replaced = event === EVENT_READ ? reader : writer;
  if (replaced !== undefined) replaced.cancel();
  return handle;
}

function remove(loop: EventLoop, fd: FileObject, event: number): boolean {
  if (loop.isClosed()) return false;
  const selector = loop._selector;
  const key = selector.lookup(fd);
  if (key === undefined) return false;
  const [reader, writer] = key.data as ReaderWriter;
  const mask = key.events & ~event;
  if (mask === 0) selector.unregister(fd);
  else selector.modify(fd, mask, event === EVENT_READ ? [undefined, writer] : [reader, undefined]);
  const removed = event === EVENT_READ ? reader : writer;
  if (removed === undefined) return false;
  removed.cancel();
  return true;
}

/** Call `callback(...args)` whenever `fd` is readable; return its handle. asyncio: BaseSelectorEventLoop._add_reader */
export function addReader(loop: EventLoop, fd: FileObject, callback: Callback, args: readonly unknown[]): Handle {
  return add(loop, fd, EVENT_READ, callback, args);
}

/** Stop watching `fd` for reading; whether a reader was there. asyncio: BaseSelectorEventLoop._remove_reader */
export function removeReader(loop: EventLoop, fd: FileObject): boolean {
  return remove(loop, fd, EVENT_READ);
}

/** Call `callback(...args)` whenever `fd` is writable; return its handle. asyncio: BaseSelectorEventLoop._add_writer */
export function addWriter(loop: EventLoop, fd: FileObject, callback: Callback, args: readonly unknown[]): Handle {
  return add(loop, fd, EVENT_WRITE, callback, args);
}

/** Stop watching `fd` for writing; whether a writer was there. asyncio: BaseSelectorEventLoop._remove_writer */
export function removeWriter(loop: EventLoop, fd: FileObject): boolean {
  return remove(loop, fd, EVENT_WRITE);
}

/**
 * Append the handles of what the wait found ready to the ready queue; a cancelled one
 * is unregistered instead.
 * asyncio: BaseSelectorEventLoop._process_events
 */
export function processEvents(loop: EventLoop, events: readonly ReadyEvent[], schedule: (handle: Handle) => void): void {
  for (const [key, mask] of events) {
    const [reader, writer] = key.data as ReaderWriter;
    if ((mask & EVENT_READ) !== 0 && reader !== undefined) {
      if (reader._cancelled) removeReader(loop, key.fileobj);
      else schedule(reader);
    }
    if ((mask & EVENT_WRITE) !== 0 && writer !== undefined) {
      if (writer._cancelled) removeWriter(loop, key.fileobj);
      else schedule(writer);
    }
  }
}
