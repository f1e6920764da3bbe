// A request id in a context variable: every task runs in its own copy of the context,
// toThread carries the caller's context into the worker thread, a thread started by hand
// begins with an empty one, and a callback runs in the context it is given
// (`inContext(ctx)`, Python's `context=ctx`). The asyncio original is
// examples/python/14-context-variables.py.

import {
  asyncWith, contextvars, getRunningLoop, inContext, repr, run, sleep, TaskGroup, threading, toThread, type Coro,
  type Task,
} from '../src/index.js';

export function main(): void {
  const requestId = new contextvars.ContextVar('request_id', { default: '-' });

  const log = (text: string): void => {
    const now = getRunningLoop().time();
    console.log(`${now.toFixed(1).padStart(4)} [${requestId.get()}] ${text}`);
  };

  // Runs in a worker thread, in a copy of the caller's context.
  function lookup(user: string): string {
    return `${user} found by ${threading.currentThread().name} for ${requestId.get()}`;
  }

  function* handle(n: number, delay: number): Coro<number> {
    requestId.set(`req-${n}`);
    log('start');
    yield* sleep(delay);
    log(yield* toThread(lookup, `user${n}`));
    log('done');
    return n * 10;
  }

  function plainThread(): void {
    console.log(`a new thread sees request_id = ${repr(requestId.get())}`);
  }

  function* mainCoro(): Coro<void> {
    let first!: Task<number>;
    let second!: Task<number>;
    yield* asyncWith(new TaskGroup(), function* (tg) {
      first = tg.createTask(handle(1, 0.2));
      second = tg.createTask(handle(2, 0.1));
    });
    log(`results ${first.result()} and ${second.result()}; main kept its own value`);

    const token = requestId.set('req-main');
    const thread = new threading.Thread({ target: plainThread });
    thread.start();
    yield* toThread(() => thread.join());
    requestId.reset(token);

    const ctx = contextvars.copyContext();
    ctx.run(() => requestId.set('req-9'));
    const loop = getRunningLoop();
    const done = loop.createFuture<void>();
    loop.callSoon(() => {
      log('callback in the given context');
      done.setResult(undefined);
    }, inContext(ctx));
    yield* done;
    log(`the given context still holds ${repr(ctx.getItem(requestId))}`);
  }

  run(mainCoro());
}
