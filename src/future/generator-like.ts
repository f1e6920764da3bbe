// Hand-made coroutine objects (the iterator behind `yield* future`, sleep()'s coroutine,
// tracked and async-function coroutines) are generators in all but implementation.
// asyncio: the interpreter's generator and coroutine types

// %IteratorPrototype%: what every generator object inherits (iterator helpers, and
// `Symbol.dispose` where the runtime has explicit resource management).
const iteratorPrototype: object = Object.getPrototypeOf(Object.getPrototypeOf(Object.getPrototypeOf((function* () {})())));

/**
 * @internal Make a hand-made coroutine class (a class declared a `Generator` by interface
 * merging) inherit what generator objects inherit, so it is a generator in all but
 * implementation on every runtime: the members that newer type libraries add to
 * `Generator` (`[Symbol.dispose]` with `@types/node` 24 and later) exist at run time too.
 * Called once per class, at load time, before any instance exists.
 */
export function inheritGeneratorPrototype(cls: { prototype: object }): void {
  Object.setPrototypeOf(cls.prototype, iteratorPrototype);
}
