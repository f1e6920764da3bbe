// Timers, futures and a task on the virtual clock. The asyncio original:
//
//   async def waiter(fut):
//       value = await fut
//       print(f'{loop.time():5.2f} waiter got {value}')
//       return value * 2
//
//   async def main():
//       fut = loop.create_future()
//       task = asyncio.create_task(waiter(fut))
//       loop.call_later(2.5, fut.set_result, 21)
//       loop.call_at(1.0, print, ' 1.00 timer at 1.0')
//       print(f'{loop.time():5.2f} result {await task}')
//
// Nothing sleeps for real: the clock jumps from deadline to deadline.

import { createTask, EventLoop, Future, type Coro } from '../src/index.js';

export function main(): void {
  const loop = new EventLoop();
  const log = (text: string): void => console.log(`${loop.time().toFixed(2).padStart(5)} ${text}`);

  function* waiter(fut: Future<number>): Coro<number> {
    const value = yield* fut;
    log(`waiter got ${value}`);
    return value * 2;
  }

  function* mainCoro(): Coro<void> {
    const fut = loop.createFuture<number>();
    const task = createTask(waiter(fut));
    loop.callLater(2.5, (v: number) => fut.setResult(v), 21);
    loop.callAt(1.0, () => log('timer at 1.0'));
    log(`result ${yield* task}`);
  }

  loop.runUntilComplete(mainCoro());
  loop.close();
}
