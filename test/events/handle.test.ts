// Handle and TimerHandle: reprs, cancellation and the error path of running a callback.
// Every expected text was printed by the quoted Python program on the oracle (CPython
// 3.13.2); source sites differ between languages and are compared through normaliseSites.

import { describe, expect, it } from 'vitest';
import { EventLoop, Handle, RecursionError, TimerHandle, ValueError, repr, type ExceptionContext } from '../../src/index.js';
import { normaliseSites } from '../_support/capture.js';

function noop(..._args: unknown[]): void {}

function boom(..._args: unknown[]): never {
  throw new ValueError('boom');
}

const r = (x: unknown): string => normaliseSites(repr(x));

describe('Handle', () => {
  it('hides the arguments outside debug mode and shows only `cancelled` once cancelled', () => {
    // h = loop.call_soon(noop, 1, 2); repr(h), h.cancelled(); h.cancel(); repr(h), h.cancelled(); h.cancel(); repr(h)
    const loop = new EventLoop();
    const h = loop.callSoon(noop, 1, 2);
    expect(h).toBeInstanceOf(Handle);
    const trace: [string, boolean][] = [[r(h), h.cancelled()]];
    h.cancel();
    trace.push([r(h), h.cancelled()]);
    h.cancel();
    trace.push([r(h), h.cancelled()]);
    expect(trace).toEqual([
      ['<Handle noop() at F:L>', false],
      ['<Handle cancelled>', true],
      ['<Handle cancelled>', true],
    ]);
    loop.close();
  });

  it('names an anonymous callback <lambda>, and String() is the repr', () => {
    // h = loop.call_soon(lambda: None); repr(h), str(h) == repr(h)
    const loop = new EventLoop();
    const h = loop.callSoon(() => undefined);
    expect([r(h), String(h) === repr(h)]).toEqual(['<Handle <lambda>() at F:L>', true]);
    loop.close();
  });

  it('shows arguments and the creation site in debug mode, and freezes the repr at cancel', () => {
    // loop.set_debug(True); h = loop.call_soon(noop, 1, 'two', [3, 4], None)
    // repr(h); h.cancel(); repr(h); loop.set_debug(False); repr(h); h.cancel(); repr(h)
    const loop = new EventLoop({ debug: true });
    const h = loop.callSoon(noop, 1, 'two', [3, 4], null);
    const trace = [r(h)];
    h.cancel();
    trace.push(r(h));
    loop.setDebug(false);
    trace.push(r(h));
    h.cancel();
    trace.push(r(h));
    const cancelled = "<Handle cancelled noop(1, 'two', [3, 4], None) at F:L created at F:L>";
    expect(trace).toEqual(["<Handle noop(1, 'two', [3, 4], None) at F:L created at F:L>", cancelled, cancelled, cancelled]);
    expect(h.cancelled()).toBe(true);
    loop.close();
  });

  it('abbreviates long arguments as reprlib does', () => {
    // loop.set_debug(True); repr(loop.call_soon(noop, 'x' * 50, list(range(20))))
    const loop = new EventLoop({ debug: true });
    const h = loop.callSoon(noop, 'x'.repeat(50), Array.from({ length: 20 }, (_, i) => i));
    expect(r(h)).toBe("<Handle noop('xxxxxxxxxxxx...xxxxxxxxxxxxx', [0, 1, 2, 3, 4, 5, ...]) at F:L created at F:L>");
    loop.close();
  });

  it('follows the debug flag for arguments but keeps no creation site from non-debug time', () => {
    // loop.set_debug(False); h2 = loop.call_soon(noop, 1); repr(h2)
    // loop.set_debug(True); repr(h2); h2.cancel(); repr(h2)
    const loop = new EventLoop();
    const h = loop.callSoon(noop, 1);
    const trace = [r(h)];
    loop.setDebug(true);
    trace.push(r(h));
    h.cancel();
    trace.push(r(h));
    expect(trace).toEqual(['<Handle noop() at F:L>', '<Handle noop(1) at F:L>', '<Handle cancelled noop(1) at F:L>']);
    loop.close();
  });

  it('does not run once cancelled', () => {
    // h = loop.call_soon(tr.append, 'soon'); h.cancel(); loop.call_soon(loop.stop); loop.run_forever()
    const loop = new EventLoop();
    const tr: string[] = [];
    loop.callSoon((s: string) => tr.push(s), 'first');
    const h = loop.callSoon((s: string) => tr.push(s), 'soon');
    h.cancel();
    loop.callSoon(() => loop.stop());
    loop.runForever();
    expect(tr).toEqual(['first']);
    loop.close();
  });
});

describe('TimerHandle', () => {
  it('prints when= after the class name, and after `cancelled` once cancelled', () => {
    // t = loop.call_at(123.0, noop, 1, 2); repr(t), t.when(); t.cancel(); repr(t), t.when(), t.cancelled()
    const loop = new EventLoop();
    const t = loop.callAt(123.0, noop, 1, 2);
    expect(t).toBeInstanceOf(TimerHandle);
    const trace: [string, number, boolean][] = [[r(t), t.when(), t.cancelled()]];
    t.cancel();
    trace.push([r(t), t.when(), t.cancelled()]);
    expect(trace).toEqual([
      ['<TimerHandle when=123.0 noop() at F:L>', 123, false],
      ['<TimerHandle cancelled when=123.0>', 123, true],
    ]);
    loop.close();
  });

  it('prints when= as a Python float', () => {
    // repr(loop.call_later(0.1, noop)), repr(loop.call_at(1e20, noop)),
    // repr(loop.call_at(1/3, noop)), repr(loop.call_at(-2.5, noop))
    // CPython prints call_at(5) as when=5 (an int); JavaScript numbers are all floats and
    // aiosim prints when=5.0 (CONTRACT: times print as Python floats).
    const loop = new EventLoop();
    expect([
      r(loop.callLater(0.1, noop)),
      r(loop.callAt(1e20, noop)),
      r(loop.callAt(1 / 3, noop)),
      r(loop.callAt(-2.5, noop)),
      r(loop.callAt(5, noop)),
    ]).toEqual([
      '<TimerHandle when=0.1 noop() at F:L>',
      '<TimerHandle when=1e+20 noop() at F:L>',
      '<TimerHandle when=0.3333333333333333 noop() at F:L>',
      '<TimerHandle when=-2.5 noop() at F:L>',
      '<TimerHandle when=5.0 noop() at F:L>',
    ]);
    loop.close();
  });

  it('keeps the callback and creation site in a cancelled repr in debug mode', () => {
    // loop.set_debug(True); t = loop.call_at(7.5, noop, 1); repr(t); t.cancel(); repr(t)
    const loop = new EventLoop({ debug: true });
    const t = loop.callAt(7.5, noop, 1);
    const before = r(t);
    t.cancel();
    expect([before, r(t)]).toEqual([
      '<TimerHandle when=7.5 noop(1) at F:L created at F:L>',
      '<TimerHandle cancelled when=7.5 noop(1) at F:L created at F:L>',
    ]);
    loop.close();
  });

  it('counts a cancellation towards compaction only while the timer is scheduled', () => {
    // t = loop.call_later(1, tr.append, 'ran'); loop.call_later(2, loop.stop); loop.run_forever(); t.cancel()
    // tr, t.cancelled(), loop._timer_cancelled_count, repr(t)  -> ['ran'] True 0 <TimerHandle cancelled when=1.0>
    // t2 = loop.call_later(1, tr.append, 'x'); t2.cancel(); t2.cancel(); loop._timer_cancelled_count -> 1
    const loop = new EventLoop();
    const tr: string[] = [];
    const t = loop.callLater(1, (s: string) => tr.push(s), 'ran');
    loop.callLater(2, () => loop.stop());
    loop.runForever();
    t.cancel();
    expect([tr, t.cancelled(), loop._timerCancelledCount, r(t)]).toEqual([
      ['ran'], true, 0, '<TimerHandle cancelled when=1.0>',
    ]);
    const t2 = loop.callLater(1, (s: string) => tr.push(s), 'x');
    t2.cancel();
    t2.cancel();
    expect(loop._timerCancelledCount).toBe(1);
    loop.close();
  });
});

describe('Handle._run', () => {
  function collect(debug: boolean): { contexts: ExceptionContext[]; handles: Handle[] } {
    // loop.set_exception_handler(lambda l, c: ctxs.append(c))
    // h = loop.call_soon(boom, 1, 'x'); t = loop.call_later(1, boom)
    // loop.call_soon(lambda: lam_raise())      # lam_raise raises ValueError('lam')
    // loop.call_later(2, loop.stop); loop.run_forever()
    const loop = new EventLoop({ debug });
    const contexts: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, c) => void contexts.push(c));
    const h = loop.callSoon(boom, 1, 'x');
    const t = loop.callLater(1, boom);
    const lam = loop.callSoon(() => {
      throw new ValueError('lam');
    });
    loop.callLater(2, () => loop.stop());
    loop.runForever();
    loop.close();
    return { contexts, handles: [h, lam, t] };
  }

  const summary = (c: ExceptionContext): unknown[] => [
    Object.keys(c),
    normaliseSites(c.message ?? ''),
    repr(c.exception),
    r(c.handle),
  ];

  it('reports an exception to the handler with message, exception and handle', () => {
    const { contexts, handles } = collect(false);
    expect(contexts.map(summary)).toEqual([
      [['message', 'exception', 'handle'], 'Exception in callback boom() at F:L', "ValueError('boom')", '<Handle boom() at F:L>'],
      [['message', 'exception', 'handle'], 'Exception in callback <lambda>() at F:L', "ValueError('lam')", '<Handle <lambda>() at F:L>'],
      [['message', 'exception', 'handle'], 'Exception in callback boom() at F:L', "ValueError('boom')", '<TimerHandle when=1.0 boom() at F:L>'],
    ]);
    expect(contexts.map((c) => c.handle)).toEqual(handles);
  });

  it('adds the arguments and source_traceback in debug mode', () => {
    const { contexts, handles } = collect(true);
    const keys = ['message', 'exception', 'handle', 'source_traceback'];
    expect(contexts.map(summary)).toEqual([
      [keys, "Exception in callback boom(1, 'x') at F:L", "ValueError('boom')", "<Handle boom(1, 'x') at F:L created at F:L>"],
      [keys, 'Exception in callback <lambda>() at F:L', "ValueError('lam')", '<Handle <lambda>() at F:L created at F:L>'],
      [keys, 'Exception in callback boom() at F:L', "ValueError('boom')", '<TimerHandle when=1.0 boom() at F:L created at F:L>'],
    ]);
    for (const [i, c] of contexts.entries()) {
      expect(c.source_traceback).toBe(handles[i]!._sourceTraceback);
      expect((c.source_traceback as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it('reports a non-callable callback as a TypeError when it runs', () => {
    // h = loop.call_soon(1); h2 = loop.call_soon('abc', 5); repr(h), repr(h2)
    // -> <Handle 1()>, <Handle 'abc'()>
    // contexts: 'Exception in callback 1()', TypeError("'int' object is not callable"), and the same for 'abc'
    const loop = new EventLoop();
    const contexts: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, c) => void contexts.push(c));
    const anyLoop = loop as unknown as { callSoon(cb: unknown, ...args: unknown[]): Handle };
    const h = anyLoop.callSoon(1);
    const h2 = anyLoop.callSoon('abc', 5);
    expect([r(h), r(h2)]).toEqual(['<Handle 1()>', "<Handle 'abc'()>"]);
    loop.callSoon(() => loop.stop());
    loop.runForever();
    loop.close();
    expect(contexts.map((c) => [Object.keys(c), c.message, repr(c.exception)])).toEqual([
      [['message', 'exception', 'handle'], 'Exception in callback 1()', `TypeError("'int' object is not callable")`],
      [['message', 'exception', 'handle'], "Exception in callback 'abc'()", `TypeError("'str' object is not callable")`],
    ]);
    expect(contexts[0]!.exception).toBeInstanceOf(TypeError);
  });

  it('reports the very value a callback or a done callback threw; undefined and null as TypeError, an overflow as RecursionError', () => {
    // docs/divergences.md, "Thrown values" and "Deep await chains"
    const loop = new EventLoop();
    const contexts: ExceptionContext[] = [];
    loop.setExceptionHandler((_l, c) => void contexts.push(c));
    const thrown = { code: 1 };
    const recurse = (n: number): number => recurse(n + 1) + 1;
    for (const value of ['text', thrown, undefined, null]) {
      loop.callSoon(() => {
        throw value;
      });
    }
    loop.callSoon(() => recurse(0));
    const fut = loop.createFuture();
    fut.addDoneCallback(() => {
      throw 7;
    });
    fut.setResult(1);
    loop.callSoon(() => loop.callSoon(() => loop.stop()));
    loop.runForever();
    loop.close();
    expect(contexts.map((c) => repr(c.exception))).toEqual([
      "'text'", "{'code': 1}", "TypeError('exceptions must derive from BaseException')",
      "TypeError('exceptions must derive from BaseException')", "RecursionError('maximum recursion depth exceeded')", '7',
    ]);
    expect(contexts[1]!.exception).toBe(thrown);
    expect(contexts[4]!.exception).toBeInstanceOf(RecursionError);
    expect(normaliseSites(contexts[0]!.message ?? '')).toBe('Exception in callback <lambda>() at F:L');
  });
});
