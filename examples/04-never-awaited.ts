// "Detect never-awaited coroutines": a coroutine created and never awaited is reported
// with a RuntimeWarning (at run()'s end, aiosim's collection point); in debug mode the
// warning says where the coroutine was created. The asyncio original:
//
//   async def test():
//       print("never scheduled")
//
//   async def main():
//       test()
//
//   asyncio.run(main())               # then again with debug=True
//
// CPython prints `test.py:7: RuntimeWarning: coroutine 'test' was never awaited`.

import { coroutine, run, type Coro } from '../src/index.js';

/** What this example prints that looks like a failure (run-all says so before it runs). */
export const note = `prints 'RuntimeWarning: coroutine … was never awaited' on purpose, twice (normal and debug mode)`;

export function main(): void {
  // coroutine() makes the coroutine objects tracked, like Python's `async def`.
  const test = coroutine(function* test(): Coro<void> {
    console.log('never scheduled');
  });

  const mainCoro = coroutine(function* main(): Coro<void> {
    test();
  });

  run(mainCoro());
  console.log('--- debug mode ---');
  run(mainCoro(), { debug: true });

  // The fix: await the coroutine (or createTask it).
  const fixed = coroutine(function* main(): Coro<void> {
    yield* test();
  });
  console.log('--- fixed ---');
  run(fixed());
}
