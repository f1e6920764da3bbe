// Tasks that are not chained run in no particular order, and a loop stopped early
// leaves them pending: "Task was destroyed but it is pending!" is reported when the
// loop is closed. Chaining the coroutines with yield* runs them in order. This is the
// "chain coroutines" trap of asyncio 3.4's "Develop with asyncio" page, in today's API:
//
//   async def test():
//       asyncio.create_task(create())
//       asyncio.create_task(write())
//       asyncio.create_task(close())
//       await asyncio.sleep(2.0)
//       loop.stop()
//
// CPython 3.13 prints the same lines; it reports the destroyed task when the collector
// frees it (here, at exit), aiosim at loop.close(), its defined collection point.

import { allTasks, createTask, gcCollect, newEventLoop, repr, run, sleep, type Coro } from '../src/index.js';

/** What this example prints that looks like a failure (run-all says so before it runs). */
export const note = `prints asyncio's 'Task was destroyed but it is pending!' report on purpose (the trap it shows)`;

export function main(): void {
  function* create(): Coro<void> {
    yield* sleep(3.0);
    console.log('(1) create file');
  }

  function* write(): Coro<void> {
    yield* sleep(1.0);
    console.log('(2) write into file');
  }

  function* close(): Coro<void> {
    console.log('(3) close file');
  }

  const loop = newEventLoop();

  function* test(): Coro<void> {
    createTask(create());
    createTask(write());
    createTask(close());
    yield* sleep(2.0);
    loop.stop();
  }

  function* testChained(): Coro<void> {
    yield* create();
    yield* write();
    yield* close();
  }

  loop.createTask(test());
  loop.runForever();
  console.log(`Pending tasks at exit: ${repr(allTasks(loop))}`);
  loop.close();
  gcCollect();

  console.log('Chained:');
  run(testChained());
}
