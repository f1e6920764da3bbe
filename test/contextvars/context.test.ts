// contextvars on their own, as CPython 3.13's Lib/test/test_context.py ContextTest checks
// them (docs/cpython-tests/test_context.md lists each method), and the texts of their
// errors and reprs, taken from CPython 3.13.2:
//   v = ContextVar('request_id', default=None); w = ContextVar('w')
//   repr(v) -> <ContextVar name='request_id' default=None at 0x…>; w.get() -> LookupError(w)
//   t = v.set(5); repr(t) -> <Token var=<ContextVar …> at 0x…>; v.reset(t); repr(t) -> <Token used var=…>
//   v.reset(t) -> RuntimeError: <Token used var=…> has already been used once
//   v.reset(w.set(1)) -> ValueError: <Token var=<ContextVar name='w' at …> at …> was created by a different ContextVar
//   v.reset(copy_context().run(v.set, 9)) -> ValueError: <Token …> was created in a different Context
//   ctx.run(lambda: ctx.run(...)) -> RuntimeError: cannot enter context: <_contextvars.Context object at …> is already entered
//   ctx.get(1) -> TypeError: a ContextVar key was expected, got 1; ContextVar(1) -> TypeError: context variable name must be a str
//   v.reset('x') -> TypeError: expected an instance of Token, got 'x'; contextvars.Token() -> RuntimeError: Tokens can only be created by ContextVars

import { describe, expect, it } from 'vitest';
import {
  blockingSleep, contextvars, KeyError, LookupError, repr, RuntimeError, threading, ThreadPoolExecutor, ValueError,
} from '../../src/index.js';
import { currentContext } from '../../src/contextvars/context.js';
import { collectGarbage, nextJob } from '../_support/gc.js';

const { Context, ContextVar, Token, copyContext } = contextvars;

// CPython's @isolated_context: the test runs in a fresh empty context.
function isolated(fn: () => void): () => void {
  return () => new Context().run(fn);
}

const site = (text: string): string => text.replace(/0x[0-9a-f]+/g, '0x?');

describe('ContextVar', () => {
  it('test_context_var_new_1 — takes a str name, read-only', () => {
    expect(() => new ContextVar(1 as never)).toThrow(new TypeError('context variable name must be a str'));
    const c = new ContextVar('aaa');
    expect(c.name).toBe('aaa');
    expect(() => {
      (c as { name: string }).name = 'bbb';
    }).toThrow(TypeError);
  });

  it('test_context_var_repr_1 — shows the name, the default, "..." for a recursive default, and "used" tokens', isolated(() => {
    expect(site(repr(new ContextVar('a')))).toBe("<ContextVar name='a' at 0x?>");
    expect(site(repr(new ContextVar('a', { default: 123 })))).toBe("<ContextVar name='a' default=123 at 0x?>");
    expect(site(repr(new ContextVar('request_id', { default: undefined })))).toBe("<ContextVar name='request_id' default=None at 0x?>");
    const lst: unknown[] = [];
    const c = new ContextVar<unknown>('a', { default: lst });
    lst.push(c);
    expect(repr(c)).toContain('...');
    expect(repr(lst)).toContain('...');
    const t = c.set(1);
    expect(repr(t)).toContain(repr(c));
    expect(repr(t)).not.toContain(' used ');
    c.reset(t);
    expect(repr(t)).toContain(' used ');
    expect(site(repr(t))).toBe(`<Token used var=${site(repr(c))} at 0x?>`);
  }));

  it('test_context_getset_1 — get, set, reset, tokens and the contexts that keep a value', isolated(() => {
    const c = new ContextVar<unknown>('c');
    const missing = ((): unknown => {
      try {
        c.get();
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(missing).toBeInstanceOf(LookupError);
    expect((missing as LookupError).args).toEqual([c]);
    expect(c.get(undefined)).toBeUndefined();

    const t0 = c.set(42);
    expect([c.get(), c.get(undefined)]).toEqual([42, 42]);
    expect(t0.oldValue).toBe(Token.MISSING);
    expect(t0.var).toBe(c);
    expect(repr(Token.MISSING)).toBe('<Token.MISSING>');

    const t = c.set('spam');
    expect([c.get(), t.oldValue]).toEqual(['spam', 42]);
    c.reset(t);
    expect(c.get()).toBe(42);

    c.set('spam2');
    expect(() => c.reset(t)).toThrow(RuntimeError);
    expect(() => c.reset(t)).toThrow(/^<Token used var=<ContextVar name='c' at 0x[0-9a-f]+> at 0x[0-9a-f]+> has already been used once$/);
    expect(c.get()).toBe('spam2');

    const ctx1 = copyContext();
    expect(ctx1.has(c)).toBe(true);
    c.reset(t0);
    expect(() => c.reset(t0)).toThrow(/has already been used/);
    expect(c.get(undefined)).toBeUndefined();

    expect(ctx1.has(c)).toBe(true);
    expect([ctx1.getItem(c), ctx1.get(c, 'aa'), ctx1.size]).toEqual(['spam2', 'spam2', 1]);
    expect([...ctx1.items()]).toEqual([[c, 'spam2']]);
    expect([...ctx1.values()]).toEqual(['spam2']);
    expect([...ctx1.keys()]).toEqual([c]);
    expect([...ctx1]).toEqual([c]);

    const ctx2 = copyContext();
    expect(ctx2.has(c)).toBe(false);
    expect(() => ctx2.getItem(c)).toThrow(KeyError);
    expect([ctx2.get(c, 'aa'), ctx2.size, [...ctx2]]).toEqual(['aa', 0, []]);
  }));

  it('test_context_getset_2 — refuses a token of another variable', isolated(() => {
    const v1 = new ContextVar('v1');
    const v2 = new ContextVar('v2');
    const t1 = v1.set(42);
    expect(() => v2.reset(t1 as never)).toThrow(ValueError);
    expect(() => v2.reset(t1 as never)).toThrow(/^<Token var=<ContextVar name='v1' at 0x[0-9a-f]+> at 0x[0-9a-f]+> was created by a different ContextVar$/);
  }));

  it('test_context_getset_3 — a value set inside a context lives in that context only', isolated(() => {
    const c = new ContextVar('c', { default: 42 });
    const ctx = new Context();
    ctx.run(() => {
      expect(c.get()).toBe(42);
      expect(() => ctx.getItem(c)).toThrow(KeyError);
      expect(ctx.get(c)).toBeUndefined();
      expect(ctx.get(c, 'spam')).toBe('spam');
      expect(ctx.has(c)).toBe(false);
      expect([...ctx.keys()]).toEqual([]);
      const t = c.set(1);
      expect([...ctx.keys()]).toEqual([c]);
      expect(ctx.getItem(c)).toBe(1);
      c.reset(t);
      expect([...ctx.keys()]).toEqual([]);
      expect(() => ctx.getItem(c)).toThrow(KeyError);
    });
  }));

  it('test_context_getset_4 — refuses a token made in another context', isolated(() => {
    const c = new ContextVar('c', { default: 42 });
    const tok = new Context().run((v: number) => c.set(v), 1);
    expect(() => c.reset(tok)).toThrow(ValueError);
    expect(() => c.reset(tok)).toThrow(/^<Token var=<ContextVar name='c' default=42 at 0x[0-9a-f]+> at 0x[0-9a-f]+> was created in a different Context$/);
  }));

  it('test_context_getset_5 — a value set in a copy does not reach the original', isolated(() => {
    const c = new ContextVar<number[]>('c', { default: [42] });
    c.set([]);
    copyContext().run(() => {
      c.set([]);
      c.get().push(42);
      expect(c.get()).toEqual([42]);
    });
    expect(c.get()).toEqual([]);
  }));

  it('refuses what is not a token, and a token made by hand', () => {
    const v = new ContextVar('v');
    expect(() => v.reset('x' as never)).toThrow(new TypeError("expected an instance of Token, got 'x'"));
    expect(() => new Token(v, Token.MISSING, new Context())).toThrow(new RuntimeError('Tokens can only be created by ContextVars'));
  });
});

describe('Context', () => {
  it('test_context_typerrors_1 — keys must be ContextVars', () => {
    const ctx = new Context();
    for (const f of [() => ctx.getItem(1 as never), () => ctx.has(1 as never), () => ctx.get(1 as never)]) {
      expect(f).toThrow(new TypeError('a ContextVar key was expected, got 1'));
    }
  });

  it('test_context_get_context_1 — copyContext() gives a Context', () => {
    expect(copyContext()).toBeInstanceOf(Context);
    expect(site(repr(new Context()))).toBe('<_contextvars.Context object at 0x?>');
  });

  it('test_context_run_2 — passes its arguments on and returns the result', () => {
    const ctx = new Context();
    const f = (...args: unknown[]): unknown[] => [...args, 'bar'];
    expect(ctx.run(f)).toEqual(['bar']);
    expect(ctx.run(f, 1)).toEqual([1, 'bar']);
    expect(ctx.run(f, 11, 12)).toEqual([11, 12, 'bar']);
  });

  it('test_context_run_3 — lets an exception through', () => {
    const ctx = new Context();
    const f = (): never => {
      throw new ValueError('boom');
    };
    expect(() => ctx.run(f)).toThrow(ValueError);
  });

  it('test_context_run_4 — runs in the context it is asked to, and gives the caller its own back', isolated(() => {
    const ctx1 = new Context();
    const ctx2 = new Context();
    const v = new ContextVar<string | undefined>('var');
    const returned = ctx1.run(() => {
      expect(v.get(undefined)).toBeUndefined();
      v.set('spam');
      ctx2.run(() => expect(v.get(undefined)).toBeUndefined());
      expect(v.get(undefined)).toBe('spam');
      const cur = copyContext();
      expect([cur.size, cur.getItem(v)]).toEqual([1, 'spam']);
      return cur;
    });
    expect([...returned.items()]).toEqual([...ctx1.items()]);
    expect(returned.getItem(v)).toBe('spam');
    expect(returned.has(v)).toBe(true);
  }));

  it('test_context_run_5 — restores the caller\'s context after an exception', () => {
    const ctx = new Context();
    const v = new ContextVar<string | undefined>('var');
    expect(() => ctx.run(() => {
      expect(v.get(undefined)).toBeUndefined();
      v.set('spam');
      throw new ValueError('x');
    })).toThrow(ValueError);
    expect(v.get(undefined)).toBeUndefined();
  });

  it('test_context_run_6 — a variable set inside run() is in the context', () => {
    const ctx = new Context();
    const c = new ContextVar('a', { default: 0 });
    ctx.run(() => {
      expect(c.get()).toBe(0);
      expect(ctx.get(c)).toBeUndefined();
      c.set(42);
      expect([c.get(), ctx.get(c)]).toEqual([42, 42]);
    });
  });

  it('test_context_run_7 — cannot be entered twice', () => {
    const ctx = new Context();
    ctx.run(() => {
      expect(() => ctx.run(() => 1)).toThrow(RuntimeError);
      expect(() => ctx.run(() => 1)).toThrow(/^cannot enter context: <_contextvars\.Context object at 0x[0-9a-f]+> is already entered$/);
    });
  });

  it('test_context_copy_1 — a copy keeps the values it was made with', () => {
    const ctx1 = new Context();
    const c = new ContextVar('c', { default: 42 });
    ctx1.run(() => {
      c.set(10);
      const ctx2 = ctx1.copy();
      expect(ctx2.getItem(c)).toBe(10);
      c.set(20);
      expect([ctx1.getItem(c), ctx2.getItem(c)]).toEqual([20, 10]);
      ctx2.run(() => {
        expect(c.get()).toBe(10);
        c.set(30);
        expect(c.get()).toBe(30);
      });
      expect([ctx1.getItem(c), ctx2.getItem(c)]).toEqual([20, 30]);
    });
  });

  it('starts a simulated thread in an empty context (3.13) and forgets it when the thread ends', async () => {
    const v = new ContextVar<string>('v', { default: 'unset' });
    const token = v.set('main');
    let seen = '';
    let context: WeakRef<object> | undefined;
    const t = new threading.Thread({
      target: () => {
        seen = v.get();
        v.set('thread');
        context = new WeakRef(currentContext());
      },
    });
    t.start();
    t.join();
    expect([seen, v.get()]).toEqual(['unset', 'main']);
    v.reset(token);
    await nextJob();
    collectGarbage();
    // The thread's context held the value 'thread': nothing keeps it after the thread ended.
    expect(context!.deref()).toBeUndefined();
  });

  it('test_context_threads_1 — each simulated thread has its own current context', isolated(() => {
    const cvar = new ContextVar<number>('cvar');
    function sub(num: number): number {
      for (let i = 0; i < 10; i++) {
        cvar.set(num + i);
        // Deterministic stand-in for CPython's random.uniform(0.001, 0.05) sleeps.
        blockingSleep(0.001 + ((num * 7 + i * 3) % 50) / 1000);
        expect(cvar.get()).toBe(num + i);
      }
      return num;
    }
    const tp = new ThreadPoolExecutor({ maxWorkers: 10 });
    try {
      const results = [...tp.map(sub, Array.from({ length: 10 }, (_, i) => i))];
      expect(results).toEqual(Array.from({ length: 10 }, (_, i) => i));
    } finally {
      tp.shutdown();
    }
  }));
});
