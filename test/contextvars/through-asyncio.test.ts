// What a coroutine's context writes do on the way through asyncio's combinators: a new
// task (gather, shield, ensure_future, wait, TaskGroup, as_completed) runs in a copy of
// the context current when it was made, so its writes stay there; wait_for and timeout
// await in the caller's own task, so its writes are the caller's. The expected lines are
// what CPython 3.13.2 printed for this program (the oracle):
//
//   v = contextvars.ContextVar('v', default='-')
//   async def child(name, value):
//       before = v.get(); v.set(value); await asyncio.sleep(0)
//       return f'{name}: saw {before}, set {v.get()}'
//   async def main():
//       v.set('main')
//       print(await asyncio.gather(child('g1', 'a'), child('g2', 'b')), v.get())
//       print(await asyncio.shield(child('shield', 'c')), v.get())
//       print(await asyncio.wait_for(child('wait_for', 'd'), 1), v.get())
//       async with asyncio.timeout(1): print(await child('timeout', 'e'), v.get())
//       async with asyncio.TaskGroup() as tg: t = tg.create_task(child('tg', 'f'))
//       print(t.result(), v.get())
//       print(await child('await', 'g'), v.get())
//       t2 = asyncio.ensure_future(child('ensure_future', 'h')); print(await t2, v.get())
//       done, _ = await asyncio.wait([asyncio.create_task(child('wait', 'i'))])
//       print([d.result() for d in done], v.get())
//       for c in asyncio.as_completed([child('as_completed', 'j')]): print(await c, v.get())
//       fut = loop.create_future(); fut.add_done_callback(lambda f: print('callback sees', v.get()))
//       v.set('later'); fut.set_result(None); await asyncio.sleep(0)
//   asyncio.run(main())

import { expect, it } from 'vitest';
import {
  asCompleted, asyncWith, contextvars, createTask, ensureFuture, gather, getRunningLoop, repr, run, shield, sleep, TaskGroup, timeout, wait,
  waitFor, type Coro, type Task,
} from '../../src/index.js';

it('task copies keep their writes; waitFor and timeout write in the caller (as CPython 3.13)', () => {
  const out: string[] = [];
  const print = (...xs: unknown[]): void => {
    out.push(xs.map((x) => (typeof x === 'string' ? x : repr(x))).join(' '));
  };
  new contextvars.Context().run(() => {
    const v = new contextvars.ContextVar('v', { default: '-' });
    function* child(name: string, value: string): Coro<string> {
      const before = v.get();
      v.set(value);
      yield* sleep(0);
      return `${name}: saw ${before}, set ${v.get()}`;
    }
    function* main(): Coro<void> {
      v.set('main');
      print(yield* gather(child('g1', 'a'), child('g2', 'b')), v.get());
      print(yield* shield(child('shield', 'c')), v.get());
      print(yield* waitFor(child('wait_for', 'd'), 1), v.get());
      yield* asyncWith(timeout(1), function* () {
        print(yield* child('timeout', 'e'), v.get());
      });
      let t!: Task<string>;
      yield* asyncWith(new TaskGroup(), function* (tg) {
        t = tg.createTask(child('tg', 'f'));
      });
      print(t.result(), v.get());
      print(yield* child('await', 'g'), v.get());
      const t2 = ensureFuture(child('ensure_future', 'h'));
      print(yield* t2, v.get());
      const [done] = yield* wait([createTask(child('wait', 'i'))]);
      print([...done].map((d) => d.result()), v.get());
      for (const c of asCompleted([child('as_completed', 'j')])) print(yield* c, v.get());
      const fut = getRunningLoop().createFuture<void>();
      fut.addDoneCallback(() => print('callback sees', v.get()));
      v.set('later');
      fut.setResult(undefined);
      yield* sleep(0);
    }
    run(main());
  });
  expect(out).toEqual([
    "['g1: saw main, set a', 'g2: saw main, set b'] main",
    'shield: saw main, set c main',
    'wait_for: saw main, set d d',
    'timeout: saw d, set e e',
    'tg: saw e, set f e',
    'await: saw e, set g g',
    'ensure_future: saw g, set h g',
    "['wait: saw g, set i'] g",
    'as_completed: saw g, set j g',
    'callback sees g',
  ]);
});
