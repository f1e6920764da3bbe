// The loop's exception handling: the default handler's log record, custom handlers,
// broken handlers, and debug mode's slow-callback warning. Every expected text was printed
// by the quoted Python program on the oracle (CPython 3.13.2) with a logging.Handler on
// the 'asyncio' logger; source sites are compared through normaliseSites.

import { describe, expect, it } from 'vitest';
import { EventLoop, RuntimeError, ValueError, logging, repr, sleep, type Coro, type ExceptionContext } from '../../src/index.js';
import { captureAsyncioLogs, normaliseSites } from '../_support/capture.js';
import { AttributeError, KeyError } from '../_support/python.js';

function boom(..._args: unknown[]): never {
  throw new ValueError('boom');
}

/** [logger name, level, normalised message, repr(exc_info[1]) or 'None'] for each record. */
function summarise(records: logging.LogRecord[]): [string, string, string, string][] {
  return records.map((rec) => [
    rec.name,
    rec.levelname,
    normaliseSites(rec.getMessage()),
    rec.excInfo === undefined ? 'None' : repr(rec.excInfo),
  ]);
}

function runOnce(loop: EventLoop): void {
  loop.callSoon(() => loop.stop());
  loop.runForever();
}

describe('EventLoop.defaultExceptionHandler', () => {
  it('logs one ERROR record per failed callback: the message, then the handle', () => {
    // loop.call_soon(boom, 1); loop.call_soon(lambda: lam_raise()); loop.call_soon(loop.stop); loop.run_forever()
    const loop = new EventLoop();
    const records = captureAsyncioLogs(() => {
      loop.callSoon(boom, 1);
      loop.callSoon(() => {
        throw new ValueError('lam');
      });
      runOnce(loop);
    });
    expect(summarise(records)).toEqual([
      ['asyncio', 'ERROR', 'Exception in callback boom() at F:L\nhandle: <Handle boom() at F:L>', "ValueError('boom')"],
      ['asyncio', 'ERROR', 'Exception in callback <lambda>() at F:L\nhandle: <Handle <lambda>() at F:L>', "ValueError('lam')"],
    ]);
    expect(records[0]!.levelno).toBe(logging.ERROR);
    loop.close();
  });

  it('prints the other keys sorted as key: repr(value), with a default message', () => {
    // loop.call_exception_handler({'message': 'hi', 'zeta': 1, 'alpha': 'a', 'future': fut})
    // loop.call_exception_handler({'exception': RuntimeError('x'), 'task': None})
    // loop.call_exception_handler({'message': '', 'exception': ValueError()})
    // loop.call_exception_handler({})
    const loop = new EventLoop();
    const fut = loop.createFuture();
    const records = captureAsyncioLogs(() => {
      loop.callExceptionHandler({ message: 'hi', zeta: 1, alpha: 'a', future: fut });
      loop.callExceptionHandler({ exception: new RuntimeError('x'), task: null });
      loop.callExceptionHandler({ message: '', exception: new ValueError() });
      loop.callExceptionHandler({});
    });
    expect(summarise(records)).toEqual([
      ['asyncio', 'ERROR', "hi\nalpha: 'a'\nfuture: <Future pending>\nzeta: 1", 'None'],
      ['asyncio', 'ERROR', 'Unhandled exception in event loop\ntask: None', "RuntimeError('x')"],
      ['asyncio', 'ERROR', 'Unhandled exception in event loop', 'ValueError()'],
      ['asyncio', 'ERROR', 'Unhandled exception in event loop', 'None'],
    ]);
    loop.close();
  });

  it('adds source_traceback, or handle_traceback from the running handle, in debug mode', () => {
    // loop.set_debug(True); loop.call_soon(boom)
    // loop.call_soon(lambda: loop.call_exception_handler({'message': 'inside', 'k': 2}))
    // the message lines that are not traceback frames (frames start with two spaces)
    const loop = new EventLoop({ debug: true });
    const records = captureAsyncioLogs(() => {
      loop.callSoon(boom);
      loop.callSoon(() => loop.callExceptionHandler({ message: 'inside', k: 2 }));
      runOnce(loop);
    });
    const heads = records.map((rec) => [
      rec
        .getMessage()
        .split('\n')
        .filter((line) => !line.startsWith('  '))
        .map(normaliseSites),
      rec.excInfo === undefined ? 'None' : repr(rec.excInfo),
    ]);
    expect(heads).toEqual([
      [
        [
          'Exception in callback boom() at F:L',
          'handle: <Handle boom() at F:L created at F:L>',
          'source_traceback: Object created at (most recent call last):',
        ],
        "ValueError('boom')",
      ],
      [['inside', 'handle_traceback: Handle created at (most recent call last):', 'k: 2'], 'None'],
    ]);
    // The traceback lines themselves are frames.
    expect(records[0]!.getMessage().split('\n')[3]).toMatch(/^ {2}File "/);
    loop.close();
  });
});

describe('EventLoop.setExceptionHandler', () => {
  it('passes (loop, context) to a custom handler instead of logging', () => {
    // def handler(l, c): got.append((l is loop, sorted(c), c['message'], repr(c.get('exception'))))
    // loop.set_exception_handler(handler); loop.get_exception_handler() is handler
    // loop.call_soon(boom); loop.call_soon(loop.stop); loop.run_forever()
    // loop.call_exception_handler({'message': 'direct', 'x': 1})
    const loop = new EventLoop();
    const got: unknown[] = [];
    const handler = (l: EventLoop, c: ExceptionContext): void => {
      got.push([l === loop, Object.keys(c).sort(), normaliseSites(c.message ?? ''), repr(c.exception)]);
    };
    loop.setExceptionHandler(handler);
    expect(loop.getExceptionHandler()).toBe(handler);
    const records = captureAsyncioLogs(() => {
      loop.callSoon(boom);
      runOnce(loop);
      loop.callExceptionHandler({ message: 'direct', x: 1 });
    });
    expect(got).toEqual([
      [true, ['exception', 'handle', 'message'], 'Exception in callback boom() at F:L', "ValueError('boom')"],
      [true, ['message', 'x'], 'direct', 'None'],
    ]);
    expect(records).toEqual([]);
    loop.close();
  });

  it('restores the default handler when given undefined', () => {
    // loop.set_exception_handler(None); loop.call_soon(boom); ... run
    const loop = new EventLoop();
    const got: unknown[] = [];
    loop.setExceptionHandler((_l, c) => void got.push(c));
    loop.setExceptionHandler(undefined);
    expect(loop.getExceptionHandler()).toBeUndefined();
    const records = captureAsyncioLogs(() => {
      loop.callSoon(boom);
      runOnce(loop);
    });
    expect(got).toEqual([]);
    expect(summarise(records)).toEqual([
      ['asyncio', 'ERROR', 'Exception in callback boom() at F:L\nhandle: <Handle boom() at F:L>', "ValueError('boom')"],
    ]);
    loop.close();
  });

  it('logs a failing custom handler with the original context', () => {
    // def broken(l, c): raise AttributeError('handler broke')
    // loop.set_exception_handler(broken); loop.call_soon(boom); run
    // loop.call_exception_handler({'message': 'direct', 'x': 1})
    const loop = new EventLoop();
    loop.setExceptionHandler(() => {
      throw new AttributeError('handler broke');
    });
    const records = captureAsyncioLogs(() => {
      loop.callSoon(boom);
      runOnce(loop);
      loop.callExceptionHandler({ message: 'direct', x: 1 });
    });
    expect(summarise(records)).toEqual([
      [
        'asyncio',
        'ERROR',
        "Unhandled error in exception handler\ncontext: {'message': 'Exception in callback boom() at F:L', 'exception': ValueError('boom'), 'handle': <Handle boom() at F:L>}",
        "AttributeError('handler broke')",
      ],
      [
        'asyncio',
        'ERROR',
        "Unhandled error in exception handler\ncontext: {'message': 'direct', 'x': 1}",
        "AttributeError('handler broke')",
      ],
    ]);
    expect(records[0]!.excInfo).toBeInstanceOf(AttributeError);
    loop.close();
  });

  it('logs a failing default handler, and a failing default handler behind a failing custom one', () => {
    // class Loop(VirtualLoop):
    //     def default_exception_handler(self, context): seen.append(repr(context)); raise KeyError('default broke')
    // loop.call_soon(boom); run                                  -> BD4
    // loop.set_exception_handler(broken); loop.call_soon(boom); run -> BD5
    // (KeyError's repr is KeyError('default broke') in both languages; Python's str() would differ.)
    const seen: string[] = [];
    class BrokenDefaultLoop extends EventLoop {
      override defaultExceptionHandler(context: ExceptionContext): void {
        seen.push(normaliseSites(repr(context)));
        throw new KeyError('default broke');
      }
    }
    const loop = new BrokenDefaultLoop();
    const first = captureAsyncioLogs(() => {
      loop.callSoon(boom);
      runOnce(loop);
    });
    expect(summarise(first)).toEqual([
      ['asyncio', 'ERROR', 'Exception in default exception handler', "KeyError('default broke')"],
    ]);
    expect(seen).toEqual([
      "{'message': 'Exception in callback boom() at F:L', 'exception': ValueError('boom'), 'handle': <Handle boom() at F:L>}",
    ]);
    seen.length = 0;
    loop.setExceptionHandler(() => {
      throw new AttributeError('handler broke');
    });
    const second = captureAsyncioLogs(() => {
      loop.callSoon(boom);
      runOnce(loop);
    });
    expect(summarise(second)).toEqual([
      [
        'asyncio',
        'ERROR',
        'Exception in default exception handler while handling an unexpected error in custom exception handler',
        "KeyError('default broke')",
      ],
    ]);
    expect(seen).toEqual([
      "{'message': 'Unhandled error in exception handler', 'exception': AttributeError('handler broke'), 'context': {'message': 'Exception in callback boom() at F:L', 'exception': ValueError('boom'), 'handle': <Handle boom() at F:L>}}",
    ]);
    loop.close();
  });
});

describe('EventLoop.callExceptionHandler: handlers that throw values that are not Errors', () => {
  it('logs the very value a custom handler threw, and undefined as TypeError (docs/divergences.md, "Thrown values")', () => {
    const loop = new EventLoop();
    let next: unknown = 'handler text';
    loop.setExceptionHandler(() => {
      throw next;
    });
    const records = captureAsyncioLogs(() => {
      loop.callExceptionHandler({ message: 'first' });
      next = undefined;
      loop.callExceptionHandler({ message: 'second' });
    });
    expect(summarise(records)).toEqual([
      ['asyncio', 'ERROR', "Unhandled error in exception handler\ncontext: {'message': 'first'}", "'handler text'"],
      ['asyncio', 'ERROR', "Unhandled error in exception handler\ncontext: {'message': 'second'}", "TypeError('exceptions must derive from BaseException')"],
    ]);
    loop.close();
  });

  it('logs the very value a failing default handler threw, and undefined as TypeError', () => {
    let next: unknown = 42;
    class BrokenDefaultLoop extends EventLoop {
      override defaultExceptionHandler(_context: ExceptionContext): void {
        throw next;
      }
    }
    const loop = new BrokenDefaultLoop();
    const records = captureAsyncioLogs(() => {
      loop.callExceptionHandler({ message: 'first' });
      next = null;
      loop.callExceptionHandler({ message: 'second' });
    });
    expect(summarise(records)).toEqual([
      ['asyncio', 'ERROR', 'Exception in default exception handler', '42'],
      ['asyncio', 'ERROR', 'Exception in default exception handler', "TypeError('exceptions must derive from BaseException')"],
    ]);
    loop.close();
  });
});

describe('EventLoop exception reports of values whose repr raises', () => {
  it("prints '<exception str() failed>' for the exception, and reports a failing repr as a failing default handler", () => {
    // class Bad: def __repr__(self): raise RuntimeError('no repr')
    // async def f(): raise ValueError(Bad())
    // def cb(): raise ValueError(Bad())
    // t = loop.create_task(f()); loop.call_soon(cb); loop.run_until_complete(asyncio.sleep(0.1)); del t; gc.collect()
    // -> Exception in callback cb() at F:L / handle: <Handle cb() at F:L> ... ValueError: <exception str() failed>
    // -> Exception in default exception handler ... RuntimeError: no repr (repr(task) fails; aiosim
    //    reports the task at loop.close(), CPython when it is collected)
    class Bad {
      toString(): string {
        throw new RuntimeError('no repr');
      }
    }
    function* f(): Coro<void> {
      throw new ValueError(new Bad());
    }
    function cb(): void {
      throw new ValueError(new Bad());
    }
    const loop = new EventLoop();
    const records = captureAsyncioLogs(() => {
      loop.createTask(f());
      loop.callSoon(cb);
      loop.runUntilComplete(sleep(0.1));
      loop.close();
    });
    const exc = (e: unknown): string => `${(e as Error).constructor.name}: ${(e as Error).message}`;
    expect(records.map((r) => [r.levelname, normaliseSites(r.getMessage()), exc(r.excInfo)])).toEqual([
      ['ERROR', 'Exception in callback cb() at F:L\nhandle: <Handle cb() at F:L>', 'ValueError: <exception str() failed>'],
      ['ERROR', 'Exception in default exception handler', 'RuntimeError: no repr'],
    ]);
  });
});

describe('EventLoop slow callback warning', () => {
  it('warns for every handle and task step with slowCallbackDuration = 0, in virtual seconds', () => {
    // loop.set_debug(True); loop.slow_callback_duration = 0
    // def cb(): pass
    // async def main(): await asyncio.sleep(0); return 'done'
    // loop.call_soon(cb); loop.call_later(1, cb); t = loop.create_task(main(), name='m')
    // loop.run_until_complete(t)
    const loop = new EventLoop({ debug: true });
    loop.slowCallbackDuration = 0;
    function cb(): void {}
    function* main(): Coro<string> {
      yield;
      return 'done';
    }
    let result: string | undefined;
    const records = captureAsyncioLogs(() => {
      loop.callSoon(cb);
      loop.callLater(1, cb);
      const t = loop.createTask(main(), { name: 'm' });
      result = loop.runUntilComplete(t);
    });
    expect(result).toBe('done');
    const rows = summarise(records);
    expect(rows.slice(0, 3)).toEqual([
      ['asyncio', 'WARNING', 'Executing <Handle cb() at F:L created at F:L> took 0.000 seconds', 'None'],
      [
        'asyncio',
        'WARNING',
        "Executing <Task pending name='m' coro=<main() running at F:L> cb=[_run_until_complete_cb() at F:L] created at F:L> took 0.000 seconds",
        'None',
      ],
      [
        'asyncio',
        'WARNING',
        "Executing <Task finished name='m' coro=<main() done, defined at F:L> result='done' created at F:L> took 0.000 seconds",
        'None',
      ],
    ]);
    // CPython: 'Executing <Handle _run_until_complete_cb(<Task finishe...robe/eh.py:86>) at F:L
    // created at F:L> took 0.000 seconds' -- reprlib keeps the last 14 characters of the task's
    // repr, which hold a file name, so only the shape can be compared.
    expect(rows).toHaveLength(4);
    expect(rows[3]![2]).toMatch(
      /^Executing <Handle _run_until_complete_cb\(<Task finishe\.\.\..{14}\) at F:L created at F:L> took 0\.000 seconds$/,
    );
    expect(records.map((rec) => rec.created)).toEqual([0, 0, 0, 0]);
    loop.close();
  });

  it('stays silent below the default threshold of 0.1 seconds', () => {
    // loop.slow_callback_duration = 0.1; loop.call_soon(cb); loop.call_soon(loop.stop); loop.run_forever()
    const loop = new EventLoop({ debug: true });
    expect(loop.slowCallbackDuration).toBe(0.1);
    const records = captureAsyncioLogs(() => {
      loop.callSoon(() => undefined);
      runOnce(loop);
    });
    expect(records).toEqual([]);
    loop.close();
  });

  it('does not warn outside debug mode', () => {
    const loop = new EventLoop();
    loop.slowCallbackDuration = 0;
    const records = captureAsyncioLogs(() => {
      loop.callSoon(() => undefined);
      runOnce(loop);
    });
    expect(records).toEqual([]);
    loop.close();
  });
});
