// "Detect never-retrieved exceptions": a task whose exception nobody retrieves is
// reported when it is collected (aiosim: at run()'s end), with its repr and the
// traceback; debug mode adds where the task was created. The asyncio original:
//
//   async def bug():
//       raise Exception("not consumed")
//
//   async def main():
//       asyncio.create_task(bug())
//
//   asyncio.run(main())               # then again with debug=True

import { createTask, logging, run, type Coro } from '../src/index.js';

/** What this example prints that looks like a failure (run-all says so before it runs). */
export const note = `prints 'Task exception was never retrieved' and its traceback on purpose, twice (normal and debug mode)`;

export function main(): void {
  // Print the records as Python's last-resort handler would, but on stdout.
  const handler = new logging.StreamHandler((text) => process.stdout.write(text));
  logging.getLogger('asyncio').addHandler(handler);
  try {
    function* bug(): Coro<void> {
      throw new Error('not consumed');
    }

    function* mainCoro(): Coro<void> {
      createTask(bug());
    }

    run(mainCoro());
    console.log('--- debug mode ---');
    run(mainCoro(), { debug: true });
  } finally {
    logging.getLogger('asyncio').removeHandler(handler);
  }
}
