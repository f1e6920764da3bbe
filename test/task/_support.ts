// Helpers shared by the test/task tests.

import { currentTask, sleep, type Coro, type Task } from '../../src/index.js';

/** Python: `async def raise_after(t, e): await asyncio.sleep(t); raise e`. */
export function* raiseAfter(t: number, e: Error): Coro<void> {
  yield* sleep(t);
  throw e;
}

/** The current task (the tests call it only inside one). */
export const cur = (): Task<unknown> => currentTask() as Task<unknown>;
