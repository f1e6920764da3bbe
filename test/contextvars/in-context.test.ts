// inContext(ctx), Python's `context=ctx` keyword of call_soon, call_later, call_at and
// call_soon_threadsafe, and the context a handle's callback runs in. Expected values are
// CPython 3.13.2's (the oracle), for programs such as:
//   ctx = copy_context(); ctx.run(v.set, 'ctx'); h = loop.call_soon(print, 'x', context=ctx)
//   repr(h) -> <Handle print()>; h.get_context() is ctx -> True
//   ctx.run(loop.run_until_complete, sleep(0)) -> the handle fails to enter ctx: the default
//   handler logs 'Exception in callback print()' with RuntimeError('cannot enter context:
//   <_contextvars.Context object at 0x…> is already entered'); a custom handler, run in the
//   handle's context, fails the same way: 'Unhandled error in exception handler'.

import { describe, expect, it } from 'vitest';
import {
  contextvars, EventLoop, Handle, inContext, repr, RuntimeError, sleep, threading, TimerHandle, type Coro,
  type ExceptionContext,
} from '../../src/index.js';
import { InContext } from '../../src/contextvars/in-context.js';
import { captureAsyncioLogs, thrown } from '../_support/capture.js';

const { Context, ContextVar, copyContext } = contextvars;

// The test runs in a fresh empty context (CPython's @isolated_context).
function isolated(fn: () => void): () => void {
  return () => new Context().run(fn);
}

function withLoop(fn: (loop: EventLoop) => void): void {
  const loop = new EventLoop();
  try {
    fn(loop);
  } finally {
    loop.close();
  }
}

describe('inContext', () => {
  it('returns one marker per context, and the None marker for null and undefined', () => {
    const ctx = new Context();
    expect(inContext(ctx)).toBe(inContext(ctx));
    expect(inContext(ctx)).not.toBe(inContext(new Context()));
    expect(inContext(null)).toBe(inContext(undefined));
    expect(inContext(ctx).context).toBe(ctx);
    expect(inContext(null).context).toBeUndefined();
    expect(String(inContext(null))).toBe('inContext(None)');
    expect(repr(inContext(ctx))).toMatch(/^inContext\(<_contextvars\.Context object at 0x[0-9a-f]+>\)$/);
  });

  it('refuses what is not a Context with TypeError, and cannot be made directly', () => {
    for (const bad of [1, 'ctx', {}, { run: () => undefined }]) {
      const e = thrown(() => inContext(bad as never));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toBe('an instance of Context was expected');
    }
    expect(() => new InContext(new Context())).toThrow(/^InContext cannot be created directly: use inContext\(ctx\)$/);
  });

  it('must be the last argument: elsewhere it is a TypeError naming the method', () => {
    withLoop((loop) => {
      const ctx = new Context();
      expect(() => loop.callSoon(() => undefined, inContext(ctx), 1)).toThrow(/^inContext\(\) must be the last argument of call_soon\(\)$/);
      // (Regression: callLater's message named call_at, the method it calls.)
      expect(() => loop.callLater(1, () => undefined, inContext(ctx), 1)).toThrow(/^inContext\(\) must be the last argument of call_later\(\)$/);
      expect(() => loop.callAt(1, () => undefined, inContext(ctx), 1)).toThrow(/^inContext\(\) must be the last argument of call_at\(\)$/);
      // Placed last, it is taken off the arguments: the callback gets the others only.
      // callLater goes through callAt (which a subclass may override), the context too.
      const v = new ContextVar('v', { default: 'outside' });
      ctx.run(() => v.set('inside'));
      const seen: unknown[] = [];
      const viaCallAt: number[] = [];
      const callAt = loop.callAt.bind(loop);
      loop.callAt = (when, cb, ...rest) => {
        viaCallAt.push(when);
        return callAt(when, cb, ...rest);
      };
      loop.callLater(1, (...a: unknown[]) => seen.push([...a, v.get()]), 'x', inContext(ctx));
      loop.advance(1);
      expect(seen).toEqual([['x', 'inside']]);
      expect(viaCallAt).toEqual([1]);
      expect(() => loop.callSoonThreadsafe(() => undefined, inContext(ctx), inContext(ctx))).toThrow(/last argument of call_soon_threadsafe\(\)/);
    });
  });
});

describe('Handle context', () => {
  it('callSoon, callLater, callAt and callSoonThreadsafe run the callback in the context given; getContext() is it', isolated(() => {
    const v = new ContextVar<string>('v', { default: 'dflt' });
    const ctx = copyContext();
    ctx.run(() => v.set('ctx'));
    const seen: string[] = [];
    withLoop((loop) => {
      const handles = [
        loop.callSoon((tag: string) => seen.push(`${tag} ${v.get()}`), 'soon', inContext(ctx)),
        loop.callLater(1, (tag: string) => seen.push(`${tag} ${v.get()}`), 'later', inContext(ctx)),
        loop.callAt(2, (tag: string) => seen.push(`${tag} ${v.get()}`), 'at', inContext(ctx)),
        loop.callSoonThreadsafe((tag: string) => seen.push(`${tag} ${v.get()}`), 'threadsafe', inContext(ctx)),
      ];
      for (const h of handles) expect(h.getContext()).toBe(ctx);
      loop.runUntilComplete(sleep(3));
    });
    expect(seen).toEqual(['soon ctx', 'threadsafe ctx', 'later ctx', 'at ctx']);
    expect(v.get()).toBe('dflt');
  }));

  it('without one (or with inContext(null)), the callback runs in a copy of the context current when it was scheduled', isolated(() => {
    const v = new ContextVar<string>('v', { default: 'dflt' });
    const seen: string[] = [];
    withLoop((loop) => {
      v.set('at schedule');
      const h1 = loop.callSoon(() => {
        seen.push(v.get());
        v.set('set by h1');
      });
      const h2 = loop.callSoon(() => seen.push(v.get()), inContext(null));
      v.set('after');
      expect(h2.getContext()).not.toBe(h1.getContext());
      expect(h2.getContext().get(v)).toBe('at schedule');
      loop.runUntilComplete(sleep(0));
      // Each handle has its own copy, and keeps it: h1's holds what h1 set.
      expect(h1.getContext().get(v)).toBe('set by h1');
      expect(h2.getContext().get(v)).toBe('at schedule');
      expect(h1.getContext()).toBe(h1.getContext());
    });
    expect(seen).toEqual(['at schedule', 'at schedule']);
    expect(v.get()).toBe('after');
  }));

  it('getContext() during the run is the context the callback runs in, and stays it after', isolated(() => {
    const v = new ContextVar<string>('v');
    withLoop((loop) => {
      let during: contextvars.Context | undefined;
      const h: Handle = loop.callSoon(() => {
        during = h.getContext();
        expect(during.has(v)).toBe(false);
        // Running it again from inside is entering it twice.
        expect(() => during!.run(() => undefined)).toThrow(RuntimeError);
      });
      loop.runUntilComplete(sleep(0));
      expect(h.getContext()).toBe(during);
      // Set now, seen later by anyone holding the context.
      during!.run(() => v.set('x'));
      expect(h.getContext().get(v)).toBe('x');
    });
  }));

  it("a handle's context given before the run, then written to, is what the callback sees", isolated(() => {
    const v = new ContextVar<string>('v', { default: 'dflt' });
    withLoop((loop) => {
      let seen: string | undefined;
      const h = loop.callSoon(() => (seen = v.get()));
      h.getContext().run(() => v.set('written before the run'));
      loop.runUntilComplete(sleep(0));
      expect(seen).toBe('written before the run');
    });
  }));

  it('a context already entered when the handle runs goes to the exception handler (the default one logs it)', isolated(() => {
    withLoop((loop) => {
      const ctx = copyContext();
      loop.callSoon(function cb() {}, inContext(ctx));
      const records = captureAsyncioLogs(() => ctx.run(() => loop.runUntilComplete(sleep(0))));
      expect(records.map((r) => r.getMessage().split('\n')[0])).toEqual([expect.stringMatching(/^Exception in callback cb\(\) at \S+in-context\.test\.ts:\d+/)]);
      const exc = records[0]!.excInfo as Error;
      expect(exc).toBeInstanceOf(RuntimeError);
      expect(exc.message).toMatch(/^cannot enter context: <_contextvars\.Context object at 0x[0-9a-f]+> is already entered$/);
    });
  }));

  it('a custom exception handler runs in the handle context: entering it fails again, and that is logged', isolated(() => {
    withLoop((loop) => {
      const ctx = copyContext();
      let calls = 0;
      loop.setExceptionHandler(() => void calls++);
      loop.callSoon(function cb() {}, inContext(ctx));
      const records = captureAsyncioLogs(() => ctx.run(() => loop.runUntilComplete(sleep(0))));
      expect(calls).toBe(0);
      expect(records.map((r) => r.getMessage().split('\n')[0])).toEqual(['Unhandled error in exception handler']);
      expect((records[0]!.excInfo as Error).message).toMatch(/is already entered$/);
    });
  }));

  it("a custom exception handler runs in the failing callback's context, with what it set", isolated(() => {
    const v = new ContextVar<string>('v', { default: 'dflt' });
    withLoop((loop) => {
      const seen: string[] = [];
      loop.setExceptionHandler((_l: unknown, context: ExceptionContext) => void seen.push(`${String(context.message).split(' at ')[0]} ${v.get()}`));
      loop.callSoon(function bad() {
        v.set('bad');
        throw new Error('x');
      });
      loop.runUntilComplete(sleep(0));
      expect(seen).toEqual(['Exception in callback bad() bad']);
      expect(v.get()).toBe('dflt');
    });
  }));

  it('leaves Handle and TimerHandle reprs as they were (in debug mode too, with the arguments)', () => {
    withLoop((loop) => {
      const ctx = new Context();
      function print(): void {}
      for (const debug of [false, true]) {
        loop.setDebug(debug);
        const given = [loop.callSoon(print, 'x', inContext(ctx)), loop.callLater(1, print, 'y', inContext(ctx))];
        const plain = [loop.callSoon(print, 'x'), loop.callLater(1, print, 'y')];
        const reprs = (hs: Handle[]): string[] => hs.map((h) => repr(h).replace(/created at \S+/, 'created at F:L'));
        expect(reprs(given)).toEqual(reprs(plain));
        expect(reprs(given)[1]).toMatch(debug ? /^<TimerHandle when=1\.0 print\('y'\) at / : /^<TimerHandle when=1\.0 print\(\) at /);
        expect(given[1]).toBeInstanceOf(TimerHandle);
        for (const h of [...given, ...plain]) h.cancel();
      }
    });
  });

  it('callSoonThreadsafe from a simulated thread copies that thread context (empty at its start)', isolated(() => {
    const v = new ContextVar<string>('v', { default: 'dflt' });
    const seen: string[] = [];
    withLoop((loop) => {
      const ctx = copyContext();
      ctx.run(() => v.set('ctx'));
      v.set('loop thread');
      function* main(): Coro<void> {
        const t = new threading.Thread({
          target: () => {
            seen.push(`thread ${v.get()}`);
            v.set('thread');
            loop.callSoonThreadsafe(() => seen.push(`threadsafe ${v.get()}`));
            loop.callSoonThreadsafe(() => seen.push(`threadsafe ctx ${v.get()}`), inContext(ctx));
          },
        });
        t.start();
        t.join();
        yield* sleep(0);
      }
      loop.runUntilComplete(main());
    });
    expect(seen).toEqual(['thread dflt', 'threadsafe thread', 'threadsafe ctx ctx']);
  }));
});
