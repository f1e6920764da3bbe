// threading.excepthook: what an exception escaping a simulated thread's body goes to.
// Expected texts and behaviour are native CPython 3.13.0's:
//   def h(a): print(a.exc_type, a.exc_value, a.exc_traceback is not None, a.thread.name,
//                   threading.current_thread().name)
//   threading.excepthook = h; Thread(target=lambda: sys.exit(2), name='x').start()
//   -> <class 'SystemExit'> 2 True x x
//   threading.excepthook = bad (raises ValueError('in hook')); a failing thread ->
//   "Exception in threading.excepthook:\nTraceback (most recent call last):\n…ValueError: in hook"
//   threading.excepthook = None; threading.Thread() -> RuntimeError: threading.excepthook is None

import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeError, SystemExit, threading, ValueError, world, type ExceptHookArgs } from '../../src/index.js';
import { _setCurrentThreadIdent, MAIN_THREAD_IDENT } from '../../src/runtime/thread-ident.js';
import { captureStderr } from '../_support/stderr.js';

const { Thread } = threading;

afterEach(() => {
  threading.excepthook = threading.__excepthook__;
  world._reset();
  _setCurrentThreadIdent(MAIN_THREAD_IDENT);
});

function runThread(options: ConstructorParameters<typeof Thread>[0]): InstanceType<typeof Thread> {
  const t = new Thread(options);
  t.start();
  t.join();
  return t;
}

describe('threading.excepthook', () => {
  it('receives the exception, its class and the thread, on the failing thread', () => {
    const seen: unknown[] = [];
    threading.excepthook = (args: ExceptHookArgs) => {
      seen.push(args.excType, args.excValue, args.excTraceback, args.thread.name, threading.currentThread().name);
    };
    const exit = new SystemExit(2);
    const text = captureStderr(() => runThread({ name: 'x', target: () => { throw exit; } }));
    expect(seen).toEqual([SystemExit, exit, undefined, 'x', 'x']);
    expect(text).toBe('');
    expect(threading.currentThread()).toBe(threading.mainThread());
  });

  it('by default prints "Exception in thread NAME:" and the traceback, and ignores SystemExit', () => {
    const text = captureStderr(() => {
      runThread({ name: 'quiet', target: () => { throw new SystemExit(3); } });
      runThread({ name: 'loud', target: () => { throw new ValueError('boom'); } });
    });
    expect(text).toMatch(/^Exception in thread loud:\nTraceback \(most recent call last\):\n(?:.*\n)*ValueError: boom\n$/);
  });

  it('prints an exception raised by the hook itself as "Exception in threading.excepthook:"', () => {
    threading.excepthook = () => {
      throw new ValueError('in hook');
    };
    const text = captureStderr(() => runThread({ target: () => { throw new RuntimeError('body'); } }));
    expect(text).toMatch(/^Exception in threading\.excepthook:\nTraceback \(most recent call last\):\n(?:.*\n)*ValueError: in hook\n$/);
  });

  it('set to null (None) refuses new threads; a thread made before falls back on the hook of its creation', () => {
    const seen: string[] = [];
    threading.excepthook = (args) => seen.push(`hook ${args.thread.name}`);
    const early = new Thread({ name: 'early', target: () => { throw new ValueError('x'); } });
    threading.excepthook = null;
    expect(threading.excepthook).toBe(undefined);
    expect(() => new Thread()).toThrow(RuntimeError);
    expect(() => new Thread()).toThrow(/^threading\.excepthook is None$/);
    early.start();
    early.join();
    expect(seen).toEqual(['hook early']);
  });
});
