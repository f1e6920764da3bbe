// aiosim's hand-made coroutines inherit what generator objects inherit (%IteratorPrototype%):
// newer type libraries declare members on every Generator (`[Symbol.dispose]` with
// @types/node 24+), and these objects are typed as generators.

import { describe, expect, it } from 'vitest';
import { coroutine, EventLoop, Future, sleep, type Coro } from '../../src/index.js';
import { asyncCoroutine } from '../../src/testing/index.js';

const iteratorPrototype: object = Object.getPrototypeOf(Object.getPrototypeOf(Object.getPrototypeOf((function* () {})())));

describe('hand-made coroutines', () => {
  it('have the prototype chain of generator objects', () => {
    const loop = new EventLoop();
    const made: object[] = [
      sleep(0),
      coroutine(function* tracked(): Coro<void> {})(),
      asyncCoroutine(async function viaAsync() {})(),
      new Future({ loop })[Symbol.iterator](),
    ];
    for (const obj of made) {
      expect(iteratorPrototype.isPrototypeOf(obj), String(obj.constructor.name)).toBe(true);
      // Their own methods still come first.
      expect(typeof (obj as Generator).next).toBe('function');
      // Whatever this runtime gives generators (Symbol.dispose on Node 24), they have too.
      expect((obj as Record<symbol, unknown>)[Symbol.dispose]).toBe(((function* () {})() as unknown as Record<symbol, unknown>)[Symbol.dispose]);
      (obj as Generator).return(undefined);
    }
    loop.close();
  });
});
