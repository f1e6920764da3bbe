// CONTRACT's None rule: wherever asyncio accepts None, aiosim accepts null as well as
// undefined, with the same meaning; where Python refuses None, aiosim refuses null with
// Python's error. Each row runs with null (Python's None) and with undefined (the
// argument left out). The null outcome is what the Python call with None printed on
// CPython 3.13 (the oracle; native 3.13.0 for threads and executors), through
//   def probe(label, fn):
//       try: print(label, 'ok', repr(fn()))
//       except BaseException as e: print(label, 'raised', type(e).__name__, e)
// (rows that await run inside asyncio.run(main())); the Python call is in each row's comment.

import { afterEach, describe, expect, it } from 'vitest';
import {
  allTasks, asCompleted, asyncWith, BoundedSemaphore, Condition, ConcurrentFuture, createTask, currentTask, ensureFuture, EventLoop, Future,
  gather, getRunningLoop, logging, newEventLoop, Protocol, Queue, repr, run, Runner, Semaphore, setEventLoop, sleep, socket, Task, TaskGroup, Thread,
  ThreadPoolExecutor, timeout, timeoutAt, Timeout, wait, waitFor, warnings, wrapFuture, type Coro,
} from '../src/index.js';
import { captureStderr } from './_support/stderr.js';

type None = null | undefined;
/** [Python call, body, outcome with null (CPython's with None), outcome with undefined if different]. */
type Row = [call: string, body: (none: None) => unknown, withNull: string, withUndefined?: string];

function* one(): Coro<number> {
  return 1;
}

const loopOf = (): EventLoop => getRunningLoop() as EventLoop;

function isGenerator(x: unknown): x is Coro<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as Coro<unknown>).next === 'function';
}

// The outcome of a row, as the probe prints it: `ok <repr>` or `raised <Class> <message>`.
// A body that returns a coroutine runs as asyncio.run(main()).
function outcome(body: (none: None) => unknown, none: None): string {
  try {
    const r = body(none);
    const value = isGenerator(r) ? run(r) : r;
    return `ok ${repr(value)}`;
  } catch (e) {
    return `raised ${(e as Error).constructor.name} ${(e as Error).message}`;
  }
}

const rows: Row[] = [
  // await asyncio.wait_for(noop(), None); await asyncio.wait_for(noop(), timeout=None)
  ['wait_for(aw, None)', function* (v) { return yield* waitFor(one(), v); }, 'ok 1'],
  ['wait_for(aw, timeout=None)', function* (v) { return yield* waitFor(one(), { timeout: v }); }, 'ok 1'],
  // t = asyncio.create_task(noop(), name=None, context=None); await t; t.get_name().startswith('Task-')
  ['create_task(coro, name=None, context=None)', function* (v) {
    const t = createTask(one(), { name: v, context: v });
    yield* t;
    return /^Task-\d+$/.test(t.getName());
  }, 'ok True'],
  ['loop.create_task(coro, name=None, context=None)', function* (v) {
    const t = loopOf().createTask(one(), { name: v, context: v });
    yield* t;
    return /^Task-\d+$/.test(t.getName());
  }, 'ok True'],
  // t = asyncio.Task(noop(), loop=None, name=None, context=None, eager_start=None)
  // (t.get_loop() is loop, t.done(), await t)
  ['Task(coro, loop=None, eager_start=None)', function* (v) {
    const t = new Task(one(), { loop: v, name: v, context: v, eagerStart: v });
    return [t.getLoop() === loopOf(), t.done(), yield* t];
  }, 'ok [True, False, 1]'],
  // await asyncio.ensure_future(noop(), loop=None); asyncio.ensure_future(f, loop=None) is f
  ['ensure_future(coro, loop=None)', function* (v) { return yield* ensureFuture(one(), { loop: v }); }, 'ok 1'],
  ['ensure_future(fut, loop=None)', function* (v) {
    const f = loopOf().createFuture<number>();
    return ensureFuture(f, { loop: v }) === f;
  }, 'ok True'],
  // asyncio.Future(loop=None).get_loop() is loop
  ['Future(loop=None)', function* (v) { return new Future({ loop: v }).getLoop() === loopOf(); }, 'ok True'],
  // async with asyncio.timeout(None) as cm: cm.when()
  ['timeout(None)', function* (v) { return yield* asyncWith(timeout(v), function* (cm) { return cm.when(); }); }, 'ok None'],
  // async with asyncio.timeout_at(5) as cm: cm.reschedule(None); cm.when()
  ['timeout_at(5).reschedule(None)', function* (v) {
    return yield* asyncWith(timeoutAt(5), function* (cm) {
      cm.reschedule(v);
      return cm.when();
    });
  }, 'ok None'],
  ['timeout_at(None), Timeout(None)', function* (v) {
    return [
      yield* asyncWith(timeoutAt(v), function* (cm) { return cm.when(); }),
      yield* asyncWith(new Timeout(v), function* (cm) { return cm.when(); }),
    ];
  }, 'ok [None, None]'],
  // len((await asyncio.wait([t], timeout=None))[0])
  ['wait(fs, timeout=None)', function* (v) {
    const [done] = yield* wait([createTask(one())], { timeout: v });
    return done.size;
  }, 'ok 1'],
  // await asyncio.wait([t], return_when=None)
  ['wait(fs, return_when=None)', function* (v) {
    const t = createTask(one());
    try {
      // @ts-expect-error Python refuses None here.
      yield* wait([t], { returnWhen: v });
    } finally {
      yield* t;
    }
    return 'no error';
  }, 'raised ValueError Invalid return_when value: None', "ok 'no error'"],
  // s = await loop.create_server(asyncio.Protocol, '127.0.0.1', 8888, start_serving=None, reuse_address=None,
  //     reuse_port=None, keep_alive=None, sock=None, ssl=None, ssl_handshake_timeout=None, ssl_shutdown_timeout=None)
  // [s.is_serving(), s.sockets[0].getsockopt(SOL_SOCKET, SO_REUSEADDR)]: start_serving=None does not start it
  ['loop.create_server(pf, host, port, start_serving=None, reuse_address=None, …)', function* (v) {
    const s = yield* loopOf().createServer(() => new Protocol(), '127.0.0.1', 8888, {
      startServing: v, reuseAddress: v, reusePort: v, keepAlive: v, sock: v, ssl: v, sslHandshakeTimeout: v, sslShutdownTimeout: v,
    });
    const result = [s.isServing(), s.sockets[0]!.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR)];
    s.close();
    return result;
  }, 'ok [False, 1]', 'ok [True, 1]'],
  // await loop.create_server(asyncio.Protocol, None, None)
  ['loop.create_server(pf, None, None)', function* (v) {
    return yield* loopOf().createServer(() => new Protocol(), v, v);
  }, 'raised ValueError Neither host/port nor sock were specified'],
  // for c in asyncio.as_completed([noop()], timeout=None): await c
  ['as_completed(aws, timeout=None)', function* (v) {
    let r = 0;
    for (const c of asCompleted([one()], { timeout: v })) r = yield* c;
    return r;
  }, 'ok 1'],
  // await asyncio.gather(noop(), return_exceptions=None)
  ['gather(aw, return_exceptions=None)', function* (v) { return yield* gather(one(), { returnExceptions: v }); }, 'ok [1]'],
  // async with asyncio.TaskGroup() as tg: tg.create_task(noop(), name=None, context=None)
  ['TaskGroup.create_task(coro, name=None, context=None)', function* (v) {
    return yield* asyncWith(new TaskGroup(), function* (tg) {
      return /^Task-\d+$/.test(tg.createTask(one(), { name: v, context: v }).getName());
    });
  }, 'ok True'],
  // loop.set_task_factory(None); loop.get_task_factory()
  ['loop.set_task_factory(None)', function* (v) {
    const loop = loopOf();
    loop.setTaskFactory((l, coro) => new Task(coro, { loop: l }));
    loop.setTaskFactory(v);
    return loop.getTaskFactory();
  }, 'ok None'],
  // loop.set_exception_handler(None); loop.get_exception_handler()
  ['loop.set_exception_handler(None)', function* (v) {
    const loop = loopOf();
    loop.setExceptionHandler(() => undefined);
    loop.setExceptionHandler(v);
    return loop.getExceptionHandler();
  }, 'ok None'],
  // await loop.run_in_executor(None, lambda: 5); await loop.shutdown_default_executor(None)
  ['loop.run_in_executor(None, fn)', function* (v) { return yield* loopOf().runInExecutor(v, () => 5); }, 'ok 5'],
  ['loop.shutdown_default_executor(None)', function* (v) {
    yield* loopOf().runInExecutor(undefined, () => 5);
    return yield* loopOf().shutdownDefaultExecutor(v);
  }, 'ok None'],
  // asyncio.current_task(None) is not None, len(asyncio.all_tasks(None))
  ['current_task(None), all_tasks(None)', function* (v) { return [currentTask(v) !== undefined, allTasks(v).size]; }, 'ok [True, 1]'],
  // f = loop.create_future(); f.cancel(None); repr(f), f.exception() raises CancelledError() (no args)
  ['Future.cancel(None)', function* (v) {
    const f = loopOf().createFuture();
    f.cancel(v);
    try {
      f.result();
    } catch (e) {
      return [String(f), e];
    }
    return 'no error';
  }, "ok ['<Future cancelled>', CancelledError()]"],
  // cf = concurrent.futures.Future(); f = asyncio.wrap_future(cf, loop=None); cf.set_result(3); await f
  ['wrap_future(cf, loop=None)', function* (v) {
    const cf = new ConcurrentFuture<number>();
    const f = wrapFuture(cf, { loop: v });
    cf.setResult(3);
    return yield* f;
  }, 'ok 3'],
  // asyncio.Condition(None).locked()
  ['Condition(None)', (v) => [new Condition(v).locked(), new Condition({ lock: v }).locked()], 'ok [False, False]'],
  // with a task waiting on c: async with c: c.notify(None)
  ['Condition.notify(None)', function* (v) {
    const c = new Condition();
    const waiter = createTask(asyncWith(c, function* () {
      yield* c.wait();
    }));
    yield* sleep(0);
    try {
      yield* asyncWith(c, function* () {
        // @ts-expect-error Python refuses None here (when a task waits).
        c.notify(v);
      });
      return 'no error';
    } finally {
      yield* asyncWith(c, function* () {
        c.notifyAll();
      });
      yield* waiter;
    }
  }, "raised TypeError '>=' not supported between instances of 'int' and 'NoneType'", "ok 'no error'"],
  // asyncio.Queue(None).full(): the maxsize None is kept, and fails there
  // @ts-expect-error Python refuses None here (at full()).
  ['Queue(None).full()', (v) => new Queue(v).full(), "raised TypeError '<=' not supported between instances of 'NoneType' and 'int'", 'ok False'],
  // q = asyncio.Queue(); q.shutdown(None); q.shutdown(immediate=None)
  ['Queue.shutdown(None)', (v) => {
    const q = new Queue();
    q.shutdown(v);
    q.shutdown({ immediate: v });
    return q.qsize();
  }, 'ok 0'],
  // asyncio.Semaphore(None); asyncio.BoundedSemaphore(None)
  // @ts-expect-error Python refuses None here.
  ['Semaphore(None)', (v) => new Semaphore(v).locked(), "raised TypeError '<' not supported between instances of 'NoneType' and 'int'", 'ok False'],
  // @ts-expect-error Python refuses None here.
  ['BoundedSemaphore(None)', (v) => new BoundedSemaphore(v).locked(), "raised TypeError '<' not supported between instances of 'NoneType' and 'int'", 'ok False'],
  // asyncio.run(noop(), debug=None, loop_factory=None)
  ['run(coro, debug=None, loop_factory=None)', (v) => run(one(), { debug: v, loopFactory: v }), 'ok 1'],
  // loop.set_debug(True); asyncio.Runner(debug=None, loop_factory=lambda: loop).run(...); loop.get_debug()
  ['Runner(debug=None) leaves the loop’s debug setting', (v) => {
    const loop = new EventLoop();
    loop.setDebug(true);
    const runner = new Runner({ debug: v, loopFactory: () => loop });
    runner.run(sleep(0));
    runner.close();
    return loop.getDebug();
  }, 'ok True'],
  // asyncio.Runner().run(noop(), context=None)
  ['Runner.run(coro, context=None)', (v) => {
    const runner = new Runner();
    try {
      return runner.run(one(), { context: v });
    } finally {
      runner.close();
    }
  }, 'ok 1'],
  ['set_event_loop(None)', (v) => setEventLoop(v), 'ok None'],
  // ex = ThreadPoolExecutor(None): ex._max_workers (min(32, cpu_count + 4): aiosim simulates
  // 4 CPUs, native CPython here had 2, so printed 6); ThreadPoolExecutor(max_workers=None,
  // thread_name_prefix=None, initializer=None, initargs=None).submit(lambda: 7): f.result(None), f.exception(None)
  ['ThreadPoolExecutor(None, thread_name_prefix=None, initializer=None, initargs=None)', (v) => {
    const pool = new ThreadPoolExecutor(v);
    const named = new ThreadPoolExecutor({ maxWorkers: v, threadNamePrefix: v, initializer: v, initargs: v });
    const f = named.submit(() => 7);
    named.shutdown();
    pool.shutdown();
    return [pool._maxWorkers, f.result(v), f.exception(v)];
  }, 'ok [8, 7, None]'],
  // ex.shutdown(wait=None, cancel_futures=None) does not wait (None is false); shutdown() does
  ['ThreadPoolExecutor.shutdown(wait=None)', (v) => {
    const pool = new ThreadPoolExecutor(1);
    let finished = false;
    pool.submit(() => {
      finished = true;
    });
    pool.shutdown(v === undefined ? undefined : { wait: v, cancelFutures: v });
    const atReturn = finished;
    pool.shutdown();
    return atReturn;
  }, 'ok False', 'ok True'],
  ['ThreadPoolExecutor.shutdown(None)', (v) => {
    const pool = new ThreadPoolExecutor(1);
    let finished = false;
    pool.submit(() => {
      finished = true;
    });
    pool.shutdown(v);
    const atReturn = finished;
    pool.shutdown();
    return atReturn;
  }, 'ok False', 'ok True'],
  // th = threading.Thread(target=None, name=None, daemon=None); th.start(); th.join(None)
  // (th.name, th.daemon, th.is_alive())
  ['Thread(target=None, name=None, args=None, daemon=None).join(None)', (v) => {
    const t = new Thread({ target: v, name: v, args: v, daemon: v });
    t.start();
    t.join(v);
    return [/^Thread-\d+$/.test(t.name), t.daemon, t.isAlive()];
  }, 'ok [True, False, False]'],
  // logging.getLogger(None).name
  ['logging.getLogger(None)', (v) => logging.getLogger(v).name, "ok 'root'"],
  // with warnings.catch_warnings(record=True) as log: simplefilter('always'); warn('w', None); log[0].category.__name__
  ['warnings.warn(message, None)', (v) => warnings.catchWarnings({ record: true }, (log) => {
    warnings.simplefilter('always');
    warnings.warn('w', v);
    return log.map((w) => w.category.name);
  }), "ok ['UserWarning']"],
  // warnings.filterwarnings('error', message=None)
  ['warnings.filterwarnings(action, message=None)', (v) => warnings.catchWarnings({ record: v }, () => {
    // @ts-expect-error Python refuses None here.
    warnings.filterwarnings('error', { message: v });
  }), 'raised TypeError message must be a string', 'ok None'],
  // aiosim's own loop options take null as left out too.
  ['EventLoop({ every option: null })', (v) => {
    const loop = new EventLoop({ debug: v, start: v, clockResolution: v, measureRealTime: v, logSlowSelector: v, timeMode: v });
    const other = newEventLoop({ start: v });
    other.close();
    loop.close();
    return [loop.time(), loop.getDebug()];
  }, 'ok [0, False]'],
];

afterEach(() => {
  setEventLoop(undefined);
});

describe('the None rule', () => {
  it.each(rows)('%s: null behaves as Python’s None, undefined as the argument left out', (_call, body, withNull, withUndefined) => {
    expect(outcome(body, null)).toBe(withNull);
    expect(outcome(body, undefined)).toBe(withUndefined ?? withNull);
  });

  it('leaves basicConfig’s level as it is for level=None, and formats with %(message)s for format=None', () => {
    // logging.basicConfig(level=None, format=None): the root keeps WARNING; its handler's
    // formatter is Formatter(None), '%(message)s' (native CPython 3.13.0).
    const root = logging.getLogger();
    const saved = [...root.handlers];
    let written = '';
    try {
      root.handlers.length = 0;
      logging.basicConfig({ level: null, format: null, handlers: null });
      expect(root.level).toBe(logging.WARNING);
      expect(root.handlers).toHaveLength(1);
      written = captureStderr(() => logging.getLogger('asyncio').error('boom %s', 1));
    } finally {
      root.handlers.length = 0;
      for (const h of saved) root.addHandler(h);
    }
    expect(written).toBe('boom 1\n');
  });
});
