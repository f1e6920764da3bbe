// The two errors a StreamReader raises about what it read: the stream ended too early,
// or no separator came within the limit.
// asyncio: exceptions.IncompleteReadError, exceptions.LimitOverrunError

import { repr } from '../format/py-repr.js';
import { EOFError, PythonError } from './exceptions.js';

/**
 * The stream ended before the read was complete: `partial` holds the bytes read before
 * the end, `expected` the number asked for (undefined when a separator was sought). The
 * message is `'<len(partial)> bytes read on a total of <expected> expected bytes'`
 * (`undefined expected bytes` without a number); it is the exception's only argument.
 *
 * @example
 * try {
 *   yield* reader.readexactly(10);
 * } catch (e) {
 *   if (e instanceof IncompleteReadError) log(e.partial);
 * }
 * asyncio: asyncio.IncompleteReadError
 */
export class IncompleteReadError extends EOFError {
  // Private behind getters, as `args` is: test runners print own properties of errors.
  readonly #partial: Uint8Array;
  readonly #expected: number | undefined;

  constructor(partial: Uint8Array, expected: number | undefined | null) {
    super(`${partial.length} bytes read on a total of ${expected == null ? 'undefined' : repr(expected)} expected bytes`);
    this.#partial = partial;
    this.#expected = expected ?? undefined;
  }

  /** The bytes read before the end of the stream. */
  get partial(): Uint8Array {
    return this.#partial;
  }

  /** The number of bytes expected, or undefined (Python's None) when unknown. */
  get expected(): number | undefined {
    return this.#expected;
  }
}

/**
 * A separator was not found within the stream's limit (or was found past it): `consumed`
 * is how many bytes the read would have to consume. The data stays in the buffer, so it
 * can be read again. The message is the exception's only argument.
 *
 * @example
 * try {
 *   yield* reader.readuntil(bytes('\r\n'));
 * } catch (e) {
 *   if (e instanceof LimitOverrunError) yield* reader.read(e.consumed);
 * }
 * asyncio: asyncio.LimitOverrunError
 */
export class LimitOverrunError extends PythonError {
  readonly #consumed: number;

  constructor(message: string, consumed: number) {
    super(message);
    this.#consumed = consumed;
  }

  /** The number of bytes to be consumed. */
  get consumed(): number {
    return this.#consumed;
  }
}
