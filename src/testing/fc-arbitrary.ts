// FcArbitrary: fast-check's Arbitrary<T> described structurally, so that aiosim/testing's
// declarations never import fast-check (an optional peer dependency): a TypeScript
// project without it still compiles against aiosim/testing.
// asyncio: none (aiosim testing)

/**
 * A fast-check arbitrary: fast-check's `Arbitrary<T>` described by its members, so that
 * aiosim's declarations need no fast-check types. Any `fc.Arbitrary<T>` is one, and the
 * arbitraries aiosim/testing returns are real fast-check arbitraries (`fc.array(…)`,
 * `fc.record(…)` take them).
 */
export interface FcArbitrary<T> {
  // The parameter and result types fast-check names (Random, Value, Stream) are left open.
  generate(mrng: any, biasFactor: number | undefined): any;
  canShrinkWithoutContext(value: unknown): value is T;
  shrink(value: T, context: unknown): any;
  filter<U extends T>(refinement: (t: T) => t is U): FcArbitrary<U>;
  filter(predicate: (t: T) => boolean): FcArbitrary<T>;
  map<U>(mapper: (t: T) => U, unmapper?: (possiblyU: unknown) => T): FcArbitrary<U>;
  chain<U>(chainer: (t: T) => FcArbitrary<U>): FcArbitrary<U>;
}
