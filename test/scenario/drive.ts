// The drive mode (TypeScript only, see language.ts): a scenario's setup actions run on a
// fresh loop before it starts, then the loop runs until idle — or until a future that a
// timer completes, then until idle — and is closed. The loop may be aiosim's EventLoop
// or a model of it (the reference loop of test/loop/properties.test.ts).

import {
  currentTask, repr, StalledError,
  type AbstractEventLoop, type Coro, type EventLoop, type ExceptionHandler, type Future, type Task,
} from '../../src/index.js';
import type { Interp } from './interp.js';

/** The loop surface a drive-mode scenario uses: EventLoop, or a model of it. */
export interface DriveLoop extends AbstractEventLoop {
  createTask<T>(coro: Coro<T>, options?: { name?: string }): Task<T>;
  runUntilIdle(): void;
  runUntilComplete<T>(future: Future<T>): T;
  setExceptionHandler(handler: ExceptionHandler | undefined): void;
  close(): void;
}

/** Run `interp`'s drive-mode scenario on `loop`, then close it; return the trace's end line. */
export function drive(interp: Interp, loop: DriveLoop): string {
  const { setup, until, mainAt } = interp.scn.drive!;
  // A model of the loop implements what drive-mode scenarios use of EventLoop.
  interp.loop = loop as unknown as EventLoop;
  interp.futures = Array.from({ length: interp.scn.futures }, () => loop.createFuture());
  interp.makeSync();
  loop.setExceptionHandler((_loop, context) => interp.log('loop', `exception ${repr(context.exception)}`, { kind: 'exception' }));
  let main: Future<null> | undefined;
  if (until === 'complete') {
    const fut = loop.createFuture<null>();
    main = fut;
    loop.callLater(mainAt, () => {
      interp.log('top', 'main completes');
      fut.setResult(null);
    });
  }
  for (const op of setup) interp.action(op, { who: 'top', tgStack: [], caught: undefined });
  const end = runLoop(interp, loop, main);
  const current = currentTask(loop);
  interp.observer.finish?.(interp);
  // close() is a collection point: its reports (never-retrieved exceptions, pending
  // tasks destroyed) are tested in test/loop/collection-points.test.ts, not here.
  loop.setExceptionHandler(() => {});
  loop.close();
  return `${end}, current task ${current === undefined ? 'none' : (interp.labelOf(current) ?? 'foreign-task')}`;
}

function runLoop(interp: Interp, loop: DriveLoop, main: Future<null> | undefined): string {
  try {
    if (main !== undefined) {
      loop.runUntilComplete(main);
      interp.log('top', 'runUntilComplete returned');
    }
    loop.runUntilIdle();
    return 'end idle';
  } catch (e) {
    if (!(e instanceof StalledError)) throw e;
    return 'end stalled';
  }
}
