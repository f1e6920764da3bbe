// Borrowed runs (src/contextvars/snapshot.ts): a callback or task step whose snapshot is
// the current context's very storage runs in the current context, and gets a Context of
// its own at its first write or getContext(). Nothing may show it: these are the cases
// that could, each compared with CPython 3.13 (the oracle, and native 3.13.0 for threads),
// for programs such as
//   def cb(): v.set('a'); ctx = h.get_context(); ctx.run(f)  -> RuntimeError: cannot enter context: … is already entered
//   def cb(): t = v.set('t1')   ... later, in another callback: v.reset(t) -> ValueError: … was created in a different Context
//   def cb(): c = copy_context(); c.run(inner)  (inner sets v, then h.get_context().run(f) -> RuntimeError)

import { afterEach, describe, expect, it } from 'vitest';
import {
  blockingSleep, contextvars, currentTask, eagerTaskFactory, gather, getRunningLoop, newEventLoop, run, RuntimeError, sleep,
  threading, ValueError, world, type Coro, type Handle, type Task,
} from '../../src/index.js';

const { Context, ContextVar, copyContext } = contextvars;
type Ctx = InstanceType<typeof Context>;

// The test runs in a fresh empty context (CPython's @isolated_context).
function isolated(fn: () => void): () => void {
  return () => new Context().run(fn);
}

afterEach(() => {
  world._reset();
});

const v = new ContextVar<string>('v', { default: 'dflt' });

function dict(ctx: Ctx): string {
  return `{${[...ctx.items()].map(([k, x]) => `'${k.name}': '${String(x)}'`).join(', ')}}`;
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

// One callback on a fresh loop (CPython: loop.call_soon(cb); run_forever), with an
// exception handler that records what it sees (it runs in the handle's context).
function runCase(out: string[], name: string, fn: (h: () => Handle) => void): Handle {
  const loop = newEventLoop();
  loop.setExceptionHandler((_loop, context) => {
    const e = context.exception as Error;
    out.push(`${name} handler ${e.constructor.name} ${e.message} sees ${v.get()}`);
  });
  let handle: Handle | undefined;
  handle = loop.callSoon(() => fn(() => handle!));
  loop.callSoon(() => loop.stop());
  loop.runForever();
  out.push(`${name} after: outer sees ${v.get()} handle ctx ${dict(handle.getContext())}`);
  loop.close();
  return handle;
}

const ENTERED = /^cannot enter context: <_contextvars\.Context object at 0x[0-9a-f]+> is already entered$/;

describe('a borrowed run', () => {
  it('gets its own Context, entered, at its first write or getContext()', isolated(() => {
    const out: string[] = [];
    runCase(out, 'set_then_get', (h) => {
      v.set('a');
      const ctx = h().getContext();
      out.push(`set_then_get: ctx[v] ${String(ctx.getItem(v))} same again ${ctx === h().getContext()}`);
      const e = caught(() => ctx.run(() => undefined));
      expect(e).toBeInstanceOf(RuntimeError);
      expect((e as Error).message).toMatch(ENTERED);
    });
    runCase(out, 'get_first', (h) => {
      const ctx = h().getContext();
      if (caught(() => ctx.run(() => undefined)) instanceof RuntimeError) out.push('get_first: run -> RuntimeError');
      v.set('b');
      out.push(`get_first: ctx[v] after set ${String(ctx.get(v))} v.get ${v.get()}`);
    });
    runCase(out, 'copy', (h) => {
      const c = copyContext();
      v.set('c');
      out.push(`copy: copy sees ${String(c.get(v, 'none'))} len ${c.size} is handle ctx ${c === h().getContext()}`);
      out.push(`copy2 sees ${String(copyContext().getItem(v))}`);
    });
    expect(out).toEqual([
      'set_then_get: ctx[v] a same again true',
      "set_then_get after: outer sees dflt handle ctx {'v': 'a'}",
      'get_first: run -> RuntimeError',
      'get_first: ctx[v] after set b v.get b',
      "get_first after: outer sees dflt handle ctx {'v': 'b'}",
      'copy: copy sees none len 0 is handle ctx false',
      'copy2 sees c',
      "copy after: outer sees dflt handle ctx {'v': 'c'}",
    ]);
  }));

  it('asked for its Context inside a nested Context.run, has it entered below that one', isolated(() => {
    const out: string[] = [];
    runCase(out, 'nested_run', (h) => {
      const c = copyContext();
      c.run(() => {
        v.set('inner');
        const hctx = h().getContext();
        out.push(`nested: inner sees ${v.get()} hctx has v ${hctx.has(v)} hctx is c ${hctx === c}`);
        if (caught(() => hctx.run(() => undefined)) instanceof RuntimeError) out.push('nested: hctx.run -> RuntimeError');
        if (caught(() => c.run(() => undefined)) instanceof RuntimeError) out.push('nested: c.run -> RuntimeError');
      });
      out.push(`nested: after run sees ${v.get()} c[v] ${String(c.getItem(v))}`);
      v.set('outer');
      out.push(`nested: hctx[v] ${String(h().getContext().getItem(v))}`);
    });
    expect(out).toEqual([
      'nested: inner sees inner hctx has v false hctx is c false',
      'nested: hctx.run -> RuntimeError',
      'nested: c.run -> RuntimeError',
      'nested: after run sees dflt c[v] inner',
      'nested: hctx[v] outer',
      "nested_run after: outer sees dflt handle ctx {'v': 'outer'}",
    ]);
  }));

  it("gives tokens that name its own Context: reset elsewhere is refused, reset in the run works once", isolated(() => {
    const out: string[] = [];
    let token: contextvars.Token<string> | undefined;
    runCase(out, 'token_escape', () => {
      token = v.set('t1');
      out.push(`token: var is v ${token.var === v} old ${String(token.oldValue === contextvars.Token.MISSING)}`);
    });
    runCase(out, 'token_reset_elsewhere', () => {
      const e = caught(() => v.reset(token!));
      expect(e).toBeInstanceOf(ValueError);
      expect((e as Error).message).toMatch(/^<Token var=<ContextVar name='v' default='dflt' at 0x[0-9a-f]+> at 0x[0-9a-f]+> was created in a different Context$/);
      out.push(`token: v still ${v.get()}`);
    });
    runCase(out, 'token_reset_same', (h) => {
      const t = v.set('x');
      v.reset(t);
      out.push(`token same: after reset ${v.get()} len ctx ${h().getContext().size}`);
      if (caught(() => v.reset(t)) instanceof RuntimeError) out.push('token same: reuse -> RuntimeError');
    });
    const top = v.set('top');
    runCase(out, 'token_from_outside', () => {
      if (caught(() => v.reset(top)) instanceof ValueError) out.push(`outside token: reset -> ValueError, v ${v.get()}`);
    });
    v.reset(top);
    expect(out).toEqual([
      'token: var is v true old true',
      "token_escape after: outer sees dflt handle ctx {'v': 't1'}",
      'token: v still dflt',
      'token_reset_elsewhere after: outer sees dflt handle ctx {}',
      'token same: after reset dflt len ctx 0',
      'token same: reuse -> RuntimeError',
      'token_reset_same after: outer sees dflt handle ctx {}',
      'outside token: reset -> ValueError, v top',
      "token_from_outside after: outer sees top handle ctx {'v': 'top'}",
    ]);
  }));

  it('that raises is left as any run: the handler runs in its context, the caller sees its own', isolated(() => {
    const out: string[] = [];
    runCase(out, 'raise', () => {
      v.set('r');
      throw new ValueError('boom');
    });
    runCase(out, 'raise_plain', () => {
      throw new ValueError('plain');
    });
    expect(out).toEqual([
      'raise handler ValueError boom sees r',
      "raise after: outer sees dflt handle ctx {'v': 'r'}",
      'raise_plain handler ValueError plain sees dflt',
      "raise_plain after: outer sees dflt handle ctx {}",
    ]);
  }));

  it("of a task's step makes the task's Context, which its later steps run in", isolated(() => {
    const out: string[] = [];
    run((function* main(): Coro<void> {
      function* t1(): Coro<string> {
        const T = (currentTask() as Task<unknown>).getContext();
        if (caught(() => T.run(() => undefined)) instanceof RuntimeError) out.push('task: T.run -> RuntimeError');
        yield* sleep(0);
        v.set('task');
        yield* sleep(0);
        out.push(`task: step 3 sees ${v.get()} T[v] ${String(T.get(v))} same ctx ${T === (currentTask() as Task<unknown>).getContext()}`);
        return v.get();
      }
      function* t2(): Coro<undefined> {
        yield* sleep(0);
        v.set('t2');
        const tok = v.set('t2b');
        yield* sleep(0);
        v.reset(tok);
        out.push(`task2: after reset across steps ${v.get()} ctx ${String((currentTask() as Task<unknown>).getContext().getItem(v))}`);
        return undefined;
      }
      const r = yield* gather(t1(), t2());
      out.push(`main sees ${v.get()} ${r[0]} ${String(r[1])}`);
      const loop = getRunningLoop();
      loop.setTaskFactory(eagerTaskFactory);
      function* e(): Coro<void> {
        out.push(`eager sees ${v.get()}`);
        v.set('eager');
        out.push(`eager set ${v.get()}`);
        yield* sleep(0);
        out.push(`eager later ${v.get()}`);
      }
      loop.callSoon(() => {
        v.set('cbset');
        const t = loop.createTask(e());
        out.push(`cb after eager sees ${v.get()} eager ctx ${String(t.getContext().getItem(v))}`);
      });
      loop.callSoon(() => {
        const t = loop.createTask(e());
        out.push(`cb2 after eager sees ${v.get()} eager ctx ${String(t.getContext().getItem(v))}`);
      });
      yield* sleep(0);
      yield* sleep(0);
      yield* sleep(0);
      loop.setTaskFactory(null);
      out.push(`main end sees ${v.get()}`);
    })());
    expect(out).toEqual([
      'task: T.run -> RuntimeError',
      'task: step 3 sees task T[v] task same ctx true',
      'task2: after reset across steps t2 ctx t2',
      'main sees dflt task undefined',
      'eager sees cbset',
      'eager set eager',
      'cb after eager sees cbset eager ctx eager',
      'eager sees dflt',
      'eager set eager',
      'cb2 after eager sees dflt eager ctx eager',
      'eager later eager',
      'eager later eager',
      'main end sees dflt',
    ]);
  }));

  it('is seen from a simulated thread as CPython threads see it (native 3.13.0)', isolated(() => {
    const out: string[] = [];
    const loop = newEventLoop();
    let h: Handle | undefined;
    let seenByThread: Ctx | undefined;
    const threadBody = (): void => {
      const ctx = h!.getContext();
      if (caught(() => ctx.run(() => undefined)) instanceof RuntimeError) out.push('thread: handle ctx.run -> RuntimeError');
      out.push(`thread sees ${v.get()}`);
      v.set('thread');
      // A loop in the thread: its callback borrows the thread's context.
      const tloop = newEventLoop();
      const th = tloop.callSoon(() => {
        out.push(`tcb sees ${v.get()}`);
        v.set('tcb');
        const hctx = h!.getContext();
        out.push(`tcb: main handle ctx has v ${hctx.has(v)} is ctx ${hctx === ctx}`);
      });
      tloop.callSoon(() => tloop.stop());
      tloop.runForever();
      tloop.close();
      out.push(`thread after its loop sees ${v.get()} tcb ctx ${String(th.getContext().getItem(v))}`);
      seenByThread = ctx;
    };
    h = loop.callSoon(() => {
      const t = new threading.Thread({ target: threadBody });
      t.start();
      t.join();
      out.push(`cb sees ${v.get()}`);
      v.set('cb');
      out.push(`cb: handle ctx is the one the thread saw ${h!.getContext() === seenByThread} ${String(seenByThread!.getItem(v))}`);
    });
    loop.callSoon(() => loop.stop());
    loop.runForever();
    out.push(`main after sees ${v.get()}`);
    let h2: Handle | undefined;
    h2 = loop.callSoon(() => {
      v.set('cb2');
      const t = new threading.Thread({
        target: () => {
          const c = h2!.getContext();
          out.push(`thread2: handle ctx[v] ${String(c.getItem(v))}`);
          if (caught(() => c.run(() => undefined)) instanceof RuntimeError) out.push('thread2: run -> RuntimeError');
        },
      });
      t.start();
      t.join();
      out.push(`cb2 sees ${v.get()}`);
    });
    loop.callSoon(() => loop.stop());
    loop.runForever();
    out.push(`main after 2 sees ${v.get()}`);
    let h3: Handle | undefined;
    let c3: Ctx | undefined;
    h3 = loop.callSoon(() => {
      const t = new threading.Thread({
        target: () => {
          // (The thread reads first: the main thread's context is parked when it asks.)
          out.push(`thread3 sees ${v.get()}`);
          c3 = h3!.getContext();
          blockingSleep(0.01);
          if (caught(() => c3!.run(() => undefined)) instanceof RuntimeError) out.push('thread3: run -> RuntimeError');
        },
      });
      t.start();
      t.join();
      v.set('cb3');
      out.push(`cb3: ctx the thread saw [v] ${String(c3!.getItem(v))} ${c3 === h3!.getContext()}`);
    });
    loop.callSoon(() => loop.stop());
    loop.runForever();
    out.push(`main after 3 sees ${v.get()}`);
    loop.close();
    expect(out).toEqual([
      'thread: handle ctx.run -> RuntimeError',
      'thread sees dflt',
      'tcb sees thread',
      'tcb: main handle ctx has v false is ctx true',
      'thread after its loop sees thread tcb ctx tcb',
      'cb sees dflt',
      'cb: handle ctx is the one the thread saw true cb',
      'main after sees dflt',
      'thread2: handle ctx[v] cb2',
      'thread2: run -> RuntimeError',
      'cb2 sees cb2',
      'main after 2 sees dflt',
      'thread3 sees dflt',
      'thread3: run -> RuntimeError',
      'cb3: ctx the thread saw [v] cb3 true',
      'main after 3 sees dflt',
    ]);
  }));
});
