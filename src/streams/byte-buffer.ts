// The growable byte string a StreamReader buffers into: appends at the end, consumes from
// the front, searches for separators.
// asyncio: the bytearray StreamReader._buffer (extend, find, startswith, del [:n], clear)

/**
 * @internal A bytearray used as a FIFO: bytes are appended with `extend` and removed from
 * the front with `take`/`consume`.
 */
export class ByteBuffer {
  // Invariant: the contents are #data[#start, #end); consuming moves #start, so removing
  // a prefix is O(1); extend compacts or grows when there is no room at the end.
  #data = new Uint8Array(0);
  #start = 0;
  #end = 0;

  /** `len(buffer)`. */
  get length(): number {
    return this.#end - this.#start;
  }

  /** `buffer.extend(data)`. */
  extend(data: Uint8Array): void {
    const n = data.length;
    if (this.#end + n > this.#data.length) {
      const size = this.length;
      if (size + n > this.#data.length) {
        const grown = new Uint8Array(Math.max(size + n, 2 * this.#data.length));
        grown.set(this.#data.subarray(this.#start, this.#end), 0);
        this.#data = grown;
      } else {
        this.#data.copyWithin(0, this.#start, this.#end);
      }
      this.#start = 0;
      this.#end = size;
    }
    this.#data.set(data, this.#end);
    this.#end += n;
  }

  /** `buffer.find(sep, offset)`: the index of the first `sep` at or after `offset`, or -1. */
  find(sep: Uint8Array, offset: number): number {
    const data = this.#data;
    const first = sep[0];
    const last = this.#end - sep.length;
    for (let i = this.#start + Math.max(offset, 0); i <= last; i++) {
      if (data[i] !== first) continue;
      let j = 1;
      while (j < sep.length && data[i + j] === sep[j]) j++;
      if (j === sep.length) return i - this.#start;
    }
    return -1;
  }

  /** `buffer.startswith(sep, at)`. */
  startsWith(sep: Uint8Array, at: number): boolean {
    if (at + sep.length > this.length) return false;
    for (let j = 0; j < sep.length; j++) if (this.#data[this.#start + at + j] !== sep[j]) return false;
    return true;
  }

  /** `bytes(buffer[:n])` then `del buffer[:n]`: remove the first `n` bytes and return them. */
  take(n: number): Uint8Array {
    const k = Math.min(Math.max(n, 0), this.length);
    const out = this.#data.slice(this.#start, this.#start + k);
    this.consume(k);
    return out;
  }

  /** `del buffer[:n]`. */
  consume(n: number): void {
    this.#start += Math.min(Math.max(n, 0), this.length);
    if (this.#start === this.#end) this.clear();
  }

  /** `buffer.clear()`. */
  clear(): void {
    this.#start = 0;
    this.#end = 0;
  }

  /** `bytes(buffer)`: a copy of the contents. */
  bytes(): Uint8Array {
    return this.#data.slice(this.#start, this.#end);
  }
}
