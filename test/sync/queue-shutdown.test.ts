// Queue.shutdown (3.13) for Queue, LifoQueue and PriorityQueue: QueueShutDown from puts
// and gets, blocked putters and getters woken, items dropped by shutdown(true) counted as
// done so join() returns. Every expectation is CPython 3.13.2's output for the equivalent
// Python program (run on the virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import {
  createTask, gather, Queue, QueueShutDown, repr, ValueError, type Coro,
} from '../../src/index.js';
import { expectType, py } from '../_support/python.js';
import { runScenario, ticker, type Scene } from '../_support/scenario.js';
import { CLASSES, s, sleep0 } from './_support.js';

describe('Queue.shutdown', () => {
  for (const [name, Cls] of CLASSES) {
    describe(name, () => {
      const attempts = function* (q: Queue<string>, log: (e: string) => void): Coro<void> {
        const ops: [string, () => Coro<unknown>][] = [
          ['put', () => q.put('data')],
          ['put_nowait', function* () { q.putNowait('data'); }],
          ['get', () => q.get()],
          ['get_nowait', function* () { return q.getNowait(); }],
        ];
        for (const [op, f] of ops) {
          try {
            yield* f();
            log(`${op} succeeded`);
          } catch (e) {
            log(`${op} ${repr(expectType(QueueShutDown, e))}`);
          }
        }
      };

      it('makes a blocked get raise QueueShutDown on an empty queue, and puts and gets fail after (test_shutdown_empty)', () => {
        const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
          const q = new Cls<string>();
          const getTask = loop.createTask(q.get());
          yield* sleep0();
          q.shutdown(false);
          log(`${name} qsize=${q.qsize()} ${s(q)}`);
          yield* q.join();
          log('joined');
          yield* sleep0();
          log(`get_task ${py(getTask.done())} ${repr(getTask.exception())}`);
          yield* attempts(q, log);
        });
        expect(trace).toEqual([
          [0, `${name} qsize=0 <${name} maxsize=0 shutdown>`], [0, 'joined'], [0, 'get_task True QueueShutDown()'],
          [0, 'put QueueShutDown()'], [0, 'put_nowait QueueShutDown()'], [0, 'get QueueShutDown()'],
          [0, 'get_nowait QueueShutDown()'], ['return', 'None'],
        ]);
      });

      it('fails a blocked put but still hands out the items left, and join waits for them (test_shutdown_nonempty)', () => {
        const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
          const q = new Cls<string>({ maxsize: 1 });
          q.putNowait('data');
          const joinTask = loop.createTask(q.join());
          const putTask = loop.createTask(q.put('data2'));
          yield* sleep0();
          log(`put done=${py(putTask.done())} ${s(q)}`);
          q.shutdown({ immediate: false });
          log(`qsize=${q.qsize()} ${s(q)}`);
          yield* sleep0();
          log(`put ${py(putTask.done())} ${repr(putTask.exception())}`);
          log(`get ${repr(yield* q.get())}`);
          yield* sleep0();
          log(`join done=${py(joinTask.done())} ${s(q)}`);
          yield* attempts(q, log);
          q.taskDone();
          yield* sleep0();
          log(`join done=${py(joinTask.done())} ${s(q)}`);
          yield* joinTask;
          try {
            q.taskDone();
          } catch (e) {
            log(repr(expectType(ValueError, e)));
          }
        });
        expect(trace).toEqual([
          [0, `put done=False <${name} maxsize=1 _queue=['data'] _putters[1] tasks=1>`],
          [0, `qsize=1 <${name} maxsize=1 _queue=['data'] tasks=1 shutdown>`], [0, 'put True QueueShutDown()'],
          [0, "get 'data'"], [0, `join done=False <${name} maxsize=1 tasks=1 shutdown>`], [0, 'put QueueShutDown()'],
          [0, 'put_nowait QueueShutDown()'], [0, 'get QueueShutDown()'], [0, 'get_nowait QueueShutDown()'],
          [0, `join done=True <${name} maxsize=1 shutdown>`], [0, "ValueError('task_done() called too many times')"],
          ['return', 'None'],
        ]);
      });

      it('drops the items, counting each as done, so join() returns (test_shutdown_immediate)', () => {
        const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
          const q = new Cls<string>();
          q.putNowait('data');
          const joinTask = loop.createTask(q.join());
          q.shutdown(true);
          log(`qsize=${q.qsize()} ${s(q)}`);
          yield* sleep0();
          log(`join done=${py(joinTask.done())}`);
          yield* attempts(q, log);
          try {
            q.taskDone();
          } catch (e) {
            log(repr(expectType(ValueError, e)));
          }
        });
        expect(trace).toEqual([
          [0, `qsize=0 <${name} maxsize=0 shutdown>`], [0, 'join done=True'], [0, 'put QueueShutDown()'],
          [0, 'put_nowait QueueShutDown()'], [0, 'get QueueShutDown()'], [0, 'get_nowait QueueShutDown()'],
          [0, "ValueError('task_done() called too many times')"], ['return', 'None'],
        ]);
      });
    });
  }

  it('keeps join() waiting for items taken before an immediate shutdown (test_shutdown_immediate_with_unfinished)', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const q = new Queue<string>();
      q.putNowait('data');
      q.putNowait('data2');
      const joinTask = loop.createTask(q.join());
      log(`got ${repr(yield* q.get())}`);
      q.shutdown({ immediate: true });
      log(`qsize=${q.qsize()} ${s(q)}`);
      yield* sleep0();
      log(`join done=${py(joinTask.done())}`);
      q.taskDone();
      try {
        q.taskDone();
      } catch (e) {
        log(repr(expectType(ValueError, e)));
      }
      yield* sleep0();
      log(`join done=${py(joinTask.done())} ${s(q)}`);
    });
    expect(trace).toEqual([
      [0, "got 'data'"], [0, 'qsize=0 <Queue maxsize=0 tasks=1 shutdown>'], [0, 'join done=False'],
      [0, "ValueError('task_done() called too many times')"], [0, 'join done=True <Queue maxsize=0 shutdown>'],
      ['return', 'None'],
    ]);
  });

  it('wakes every blocked putter and getter with QueueShutDown', () => {
    const trace = runScenario(function* main({ loop, log }: Scene): Coro<void> {
      const q = new Queue<number>(2);
      q.putNowait(1);
      q.putNowait(2);
      function* putter(n: number): Coro<void> {
        try {
          yield* q.put(n);
          log(`p${n} put`);
        } catch (e) {
          log(`p${n} ${repr(expectType(QueueShutDown, e))}`);
        }
      }
      const ps = [3, 4].map((n) => createTask(putter(n)));
      const e = new Queue<number>();
      function* getter(n: number): Coro<void> {
        try {
          log(`g${n} got ${yield* e.get()}`);
        } catch (x) {
          log(`g${n} ${repr(expectType(QueueShutDown, x))}`);
        }
      }
      const gs = [1, 2].map((n) => createTask(getter(n)));
      ticker(loop, log, 3);
      yield* sleep0();
      log(`${s(q)} ${s(e)}`);
      q.shutdown();
      e.shutdown(true);
      log(`${s(q)} ${s(e)}`);
      yield* gather(...ps, ...gs);
      log(`${q.getNowait()} ${q.getNowait()} ${s(q)}`);
      try {
        q.getNowait();
      } catch (x) {
        log(repr(expectType(QueueShutDown, x)));
      }
      const q2 = new Queue<number>(1);
      q2.putNowait(1);
      const p2 = createTask(q2.put(2));
      yield* sleep0();
      q2.shutdown(true);
      try {
        yield* p2;
      } catch (x) {
        log(`p2 ${repr(expectType(QueueShutDown, x))} ${s(q2)}`);
      }
    });
    expect(trace).toEqual([
      [0, 'tick 0'], [0, '<Queue maxsize=2 _queue=[1, 2] _putters[2] tasks=2> <Queue maxsize=0 _getters[2]>'],
      [0, '<Queue maxsize=2 _queue=[1, 2] tasks=2 shutdown> <Queue maxsize=0 shutdown>'], [0, 'tick 1'],
      [0, 'p3 QueueShutDown()'], [0, 'p4 QueueShutDown()'], [0, 'g1 QueueShutDown()'], [0, 'g2 QueueShutDown()'],
      [0, 'tick 2'], [0, 'tick 3'], [0, '1 2 <Queue maxsize=2 tasks=2 shutdown>'], [0, 'QueueShutDown()'],
      [0, 'p2 QueueShutDown() <Queue maxsize=1 shutdown>'], ['return', 'None'],
    ]);
  });
});
