// The selector interface: what an event loop waits on. The loop asks it to wait at most
// a timeout; it returns the registered file objects that became ready meanwhile. Readers
// and writers of simulated I/O register here; a thread-safe call or a signal ends a wait
// early, as CPython's self-pipe does.
// asyncio: selectors.BaseSelector (what selector_events.BaseSelectorEventLoop uses of it)

/** Interest in a file object becoming readable. asyncio: selectors.EVENT_READ */
export const EVENT_READ = 1;
/** Interest in a file object becoming writable. asyncio: selectors.EVENT_WRITE */
export const EVENT_WRITE = 2;

/** A file descriptor, or an object with `fileno()`. asyncio: a selector's `fileobj` */
export type FileObject = number | { fileno(): number };

/** A registration: the file object, its descriptor, the events waited for, and the caller's data. asyncio: selectors.SelectorKey */
export interface SelectorKey<D = unknown> {
  readonly fileobj: FileObject;
  readonly fd: number;
  readonly events: number;
  readonly data: D;
}

/** What a wait found ready: a registration, and which of its events (a mask). */
export type ReadyEvent<D = unknown> = readonly [key: SelectorKey<D>, events: number];

/** Waiting on file objects with a timeout. asyncio: selectors.BaseSelector */
export interface Selector<D = unknown> {
  /**
   * Register `fileobj` for `events` (EVENT_READ, EVENT_WRITE or both) with `data`.
   * @throws ValueError `Invalid events: …` / `Invalid file object: …`; KeyError when already registered.
   */
  register(fileobj: FileObject, events: number, data?: D): SelectorKey<D>;
  /** Unregister `fileobj` and return its key. @throws KeyError `… is not registered`. */
  unregister(fileobj: FileObject): SelectorKey<D>;
  /** Change the events or data of a registration. @throws KeyError `… is not registered`. */
  modify(fileobj: FileObject, events: number, data?: D): SelectorKey<D>;
  /** Return the key of `fileobj`. @throws KeyError `… is not registered`; RuntimeError once closed. */
  getKey(fileobj: FileObject): SelectorKey<D>;
  /** Wait at most `timeout` seconds (null: until something is ready) and return what is ready. */
  select(timeout: number | null): readonly ReadyEvent<D>[];
  /** Drop every registration; the selector takes no more. */
  close(): void;
}
