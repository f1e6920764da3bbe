// formatExceptionOnly / formatException: the exception line of a traceback, for
// exceptions and for thrown values that are not Errors (docs/divergences.md, "Thrown
// values"), which print as Python printed format_exception_only(type(v), v) before 3.10.

import { describe, expect, it } from 'vitest';
import {
  asyncWith, BaseExceptionGroup, BrokenBarrierError, CancelledError, ConcurrentCancelledError, createTask, EventLoop, ExceptionGroup,
  InvalidStateError, QueueEmpty, QueueFull, QueueShutDown, RuntimeError, sleep, StopIteration, TaskGroup, timeout, TimeoutError,
  ValueError, waitFor, type Coro, type Future,
} from '../../src/index.js';
import { _setContext } from '../../src/errors/chaining.js';
import { _markUnraised } from '../../src/errors/raised.js';
import { formatRecord } from '../../src/log/logging.js';
import { formatException, formatExceptionOnly } from '../../src/log/traceback.js';
import { captureAsyncioLogs, normaliseSites } from '../_support/capture.js';
import { withoutFrames } from '../_support/scenario.js';

describe('formatExceptionOnly', () => {
  it('prints an exception as its class and message', () => {
    expect(formatExceptionOnly(new ValueError('bad'))).toBe('ValueError: bad');
    expect(formatExceptionOnly(new ValueError())).toBe('ValueError');
  });

  it('prints a thrown value that is not an Error as its type and str()', () => {
    expect([
      formatExceptionOnly('not found'), formatExceptionOnly(42), formatExceptionOnly(1.5), formatExceptionOnly({ code: 7 }),
      formatExceptionOnly(['a']), formatExceptionOnly(undefined),
    ]).toEqual(['str: not found', 'int: 42', 'float: 1.5', "Object: {'code': 7}", "list: ['a']", 'NoneType: None']);
  });

  it('never throws: a value whose str() fails prints <exception str() failed>', () => {
    class Hostile {
      toString(): string {
        throw new Error('no');
      }
    }
    expect(formatExceptionOnly(new Hostile())).toBe('Hostile: <exception str() failed>');
  });
});

describe('formatException', () => {
  it('gives a thrown value that is not an Error a traceback header and its exception line', () => {
    expect(formatException('boom')).toBe('Traceback (most recent call last):\nstr: boom');
  });
});

// Python's traceback.format_exception of exceptions that were never raised (no frames):
// aiosim knows an exception was never raised when it was set on a future and nothing
// raised it since; these tests mark them so, as Future.setException does.
function unraised<E>(...es: E[]): E {
  for (const e of es) _markUnraised(e);
  return es[0]!;
}

describe('formatException (CPython 3.13.2 traceback.format_exception)', () => {
  it('module-qualifies asyncio’s own exception classes, not builtins nor the program’s subclasses', () => {
    // class Mine(asyncio.CancelledError): pass
    // for e in (asyncio.QueueEmpty(), Mine('m'), concurrent.futures.CancelledError(),
    //           asyncio.CancelledError('in cb'), asyncio.InvalidStateError('invalid state'), TimeoutError()):
    //     print(''.join(traceback.format_exception(e)), end='')
    class Mine extends CancelledError {}
    const es = [
      new QueueEmpty(), new Mine('m'), new ConcurrentCancelledError(), new CancelledError('in cb'),
      new InvalidStateError('invalid state'), new TimeoutError(), new QueueFull(), new QueueShutDown(), new BrokenBarrierError(),
    ];
    expect(es.map((e) => formatException(unraised(e)))).toEqual([
      'asyncio.queues.QueueEmpty', 'Mine: m', 'concurrent.futures._base.CancelledError', 'asyncio.exceptions.CancelledError: in cb',
      'asyncio.exceptions.InvalidStateError: invalid state', 'TimeoutError', 'asyncio.queues.QueueFull',
      'asyncio.queues.QueueShutDown', 'asyncio.exceptions.BrokenBarrierError',
    ]);
  });

  it('prints the cause first, linked by "The above exception was the direct cause"', () => {
    // try: raise ValueError('d') from ValueError('k')
    // except ValueError as e: print(''.join(traceback.format_exception(e)))   (the cause was never raised)
    const e = new ValueError('d', { cause: unraised(new ValueError('k')) });
    expect(withoutFrames(formatException(e))).toBe([
      'ValueError: k', '', 'The above exception was the direct cause of the following exception:', '',
      'Traceback (most recent call last):', 'ValueError: d',
    ].join('\n'));
  });

  it('prints the context unless it is suppressed, by raise … from (None included) or __suppress_context__', () => {
    // c = ValueError('ctx'); e = RuntimeError('r'); e.__context__ = c; print(format_exception(e))
    // e.__suppress_context__ = True; print(format_exception(e))
    // e = RuntimeError('loop'); e.__context__ = e
    const e = unraised(new RuntimeError('r'));
    _setContext(e, unraised(new ValueError('ctx')));
    expect(formatException(e)).toBe(
      'ValueError: ctx\n\nDuring handling of the above exception, another exception occurred:\n\nRuntimeError: r');
    (e as { __suppress_context__?: boolean }).__suppress_context__ = true;
    expect(formatException(e)).toBe('RuntimeError: r');
    const fromNone = unraised(new RuntimeError('c', { cause: null }));
    _setContext(fromNone, new ValueError('hidden'));
    expect(formatException(fromNone)).toBe('RuntimeError: c');
    const loop = unraised(new RuntimeError('loop'));
    _setContext(loop, loop);
    expect(formatException(loop)).toBe('RuntimeError: loop');
  });

  it('prints the notes after the exception line', () => {
    // e = ValueError('n'); e.add_note('note one'); e.add_note('two\nlines')
    const e = unraised(new ValueError('n'));
    (e as { __notes__?: string[] }).__notes__ = ['note one', 'two\nlines'];
    expect(formatException(e)).toBe('ValueError: n\nnote one\ntwo\nlines');
  });

  it('draws exception groups in numbered boxes, nested, and 15 members at most', () => {
    // ExceptionGroup('eg', [ValueError(i) for i in range(17)])
    const members = Array.from({ length: 17 }, (_, i) => unraised(new ValueError(i)));
    const wide = unraised(new ExceptionGroup('eg', members));
    const boxes = members.slice(0, 15).flatMap((_, i) => [
      `  ${i === 0 ? '+-' : '  '}+---------------- ${i + 1} ----------------`, `    | ValueError: ${i}`,
    ]);
    expect(formatException(wide)).toBe([
      '  | ExceptionGroup: eg (17 sub-exceptions)', ...boxes, '    +---------------- ... ----------------',
      '    | and 2 more exceptions', '    +------------------------------------',
    ].join('\n'));
    // inner = ExceptionGroup('inner', [ValueError('k'), TypeError('t')])
    // BaseExceptionGroup('outer', [inner, asyncio.CancelledError('c')])
    const inner = unraised(new ExceptionGroup('inner', [unraised(new ValueError('k')), unraised(new TypeError('t'))]));
    const outer = unraised(new BaseExceptionGroup('outer', [inner, unraised(new CancelledError('c'))]));
    expect(formatException(outer)).toBe([
      '  | BaseExceptionGroup: outer (2 sub-exceptions)',
      '  +-+---------------- 1 ----------------',
      '    | ExceptionGroup: inner (2 sub-exceptions)',
      '    +-+---------------- 1 ----------------',
      '      | ValueError: k',
      '      +---------------- 2 ----------------',
      '      | TypeError: t',
      '      +------------------------------------',
      '    +---------------- 2 ----------------',
      '    | asyncio.exceptions.CancelledError: c',
      '    +------------------------------------',
    ].join('\n'));
  });
});

describe('tracebacks the loop logs (CPython 3.13.2, frames left out)', () => {
  it('qualifies, chains and leaves out the traceback of exceptions set and never raised, as CPython prints them', () => {
    // def cb(): raise asyncio.CancelledError('in cb')
    // def cb2(f): f.set_result(1)
    // async def wf(): await asyncio.wait_for(asyncio.sleep(10), 1)
    // async def tm():
    //     async with asyncio.timeout(1): await asyncio.sleep(10)
    // async def sup():
    //     try: raise KeyError('a')
    //     except KeyError: raise ValueError('c') from None
    // async def main():
    //     loop = asyncio.get_running_loop()
    //     loop.call_soon(cb)
    //     f = loop.create_future(); f.set_result(0); loop.call_soon(cb2, f)
    //     await asyncio.sleep(0)
    //     ts = [asyncio.create_task(c()) for c in (wf, tm, sup)]
    //     f2 = loop.create_future(); f2.set_exception(ValueError('f2'))
    //     f3 = loop.create_future(); f3.set_exception(StopIteration())
    //     await asyncio.sleep(2)
    // loop = asyncio.new_event_loop(); loop.run_until_complete(main()); gc.collect()
    // (CPython logs the collected ones in its collector's order; aiosim in creation order.)
    function cb(): void {
      throw new CancelledError('in cb');
    }
    function cb2(f: Future<number>): void {
      f.setResult(1);
    }
    function* wf(): Coro<void> {
      yield* waitFor(sleep(10), 1);
    }
    function* tm(): Coro<void> {
      yield* asyncWith(timeout(1), function* () {
        yield* sleep(10);
      });
    }
    function* sup(): Coro<void> {
      try {
        throw new ValueError('a');
      } catch {
        throw new ValueError('c', { cause: null });
      }
    }
    const loop = new EventLoop();
    const records = captureAsyncioLogs(() => {
      loop.runUntilComplete((function* main(): Coro<void> {
        loop.callSoon(cb);
        const f = loop.createFuture<number>();
        f.setResult(0);
        loop.callSoon(cb2, f);
        yield* sleep(0);
        for (const c of [wf, tm, sup]) createTask(c());
        loop.createFuture().setException(new ValueError('f2'));
        loop.createFuture().setException(new StopIteration());
        yield* sleep(2);
      })());
      loop.close();
    });
    const texts = records.map((r) => withoutFrames(normaliseSites(formatRecord(r))).replace(/Task-\d+/, 'Task-?'));
    const cpython = [
      'Exception in callback cb() at F:L\nhandle: <Handle cb() at F:L>\nTraceback (most recent call last):\nasyncio.exceptions.CancelledError: in cb',
      'Exception in callback cb2() at F:L\nhandle: <Handle cb2() at F:L>\nTraceback (most recent call last):\nasyncio.exceptions.InvalidStateError: invalid state',
      "Task exception was never retrieved\nfuture: <Task finished name='Task-?' coro=<wf() done, defined at F:L> exception=TimeoutError()>\n" +
        'Traceback (most recent call last):\nasyncio.exceptions.CancelledError\n\n' +
        'The above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\nTimeoutError',
      "Task exception was never retrieved\nfuture: <Task finished name='Task-?' coro=<tm() done, defined at F:L> exception=TimeoutError()>\n" +
        'Traceback (most recent call last):\nasyncio.exceptions.CancelledError\n\n' +
        'The above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\nTimeoutError',
      "Task exception was never retrieved\nfuture: <Task finished name='Task-?' coro=<sup() done, defined at F:L> exception=ValueError('c')>\n" +
        'Traceback (most recent call last):\nValueError: c',
      "Future exception was never retrieved\nfuture: <Future finished exception=ValueError('f2')>\nValueError: f2",
      "Future exception was never retrieved\nfuture: <Future finished exception=RuntimeError('StopIteration interacts badly with generators and cannot be raised into a Future')>\n" +
        'StopIteration\n\nThe above exception was the direct cause of the following exception:\n\n' +
        'RuntimeError: StopIteration interacts badly with generators and cannot be raised into a Future',
    ];
    expect(texts).toEqual(cpython);
  });

  it('prints a TaskGroup’s exception group in boxes', () => {
    // async def child(i): raise ValueError(f'x{i}')
    // async def grp():
    //     async with asyncio.TaskGroup() as tg: tg.create_task(child(1)); tg.create_task(child(2))
    // async def main(): t = asyncio.create_task(grp()); await asyncio.sleep(1)
    function* child(i: number): Coro<void> {
      throw new ValueError(`x${i}`);
    }
    function* grp(): Coro<void> {
      yield* asyncWith(new TaskGroup(), function* (tg) {
        tg.createTask(child(1));
        tg.createTask(child(2));
      });
    }
    const loop = new EventLoop();
    const records = captureAsyncioLogs(() => {
      loop.runUntilComplete((function* main(): Coro<void> {
        createTask(grp());
        yield* sleep(1);
      })());
      loop.close();
    });
    const text = normaliseSites(formatRecord(records[0]!)).replace(/Task-\d+/, 'Task-?').split('\n').filter((l) => !/^ *\| {3}File /.test(l));
    expect(text).toEqual([
      'Task exception was never retrieved',
      "future: <Task finished name='Task-?' coro=<grp() done, defined at F:L> exception=ExceptionGroup('unhandled errors in a TaskGroup', [ValueError('x1'), ValueError('x2')])>",
      '  + Exception Group Traceback (most recent call last):',
      '  | ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)',
      '  +-+---------------- 1 ----------------',
      '    | Traceback (most recent call last):',
      '    | ValueError: x1',
      '    +---------------- 2 ----------------',
      '    | Traceback (most recent call last):',
      '    | ValueError: x2',
      '    +------------------------------------',
    ]);
  });
});

describe('formatException: raised or not', () => {
  it('gives an exception set on a future its traceback block once result() raised it', () => {
    // f.set_exception(ValueError('x')); then f.result() raises it: it now has a traceback.
    const loop = new EventLoop();
    const f = loop.createFuture();
    const e = new ValueError('x');
    f.setException(e);
    expect(formatException(e)).toBe('ValueError: x');
    expect(() => f.result()).toThrow(e);
    expect(formatException(e)).toMatch(/^Traceback \(most recent call last\):\n(?: {2}File .*\n)*ValueError: x$/);
    loop.close();
  });
});
