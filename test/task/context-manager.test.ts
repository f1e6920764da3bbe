// asyncWith (Python's `async with`, and `with` inside a coroutine) and withContext
// (`with` outside one): enter/exit order, the exception exit receives, swallowing, an
// exit that raises, an enter that raises, and cancellation. Every expectation is CPython
// 3.13.2's output for the equivalent Python program (run on the virtual-clock oracle).

import { describe, expect, it } from 'vitest';
import {
  asyncWith, CancelledError, createTask, repr, sleep, ValueError, withContext, type AsyncContextManager, type Coro,
  type ContextManager,
} from '../../src/index.js';
import { ctx, KeyError } from '../_support/python.js';
import { runScenario, type Scene } from '../_support/scenario.js';

interface CmOptions {
  swallow?: unknown;
  exitRaises?: unknown;
  enterRaises?: Error;
}

// Python: class ACM with async __aenter__ (sleeps 0.5) and __aexit__ (sleeps 0.25).
class ACM implements AsyncContextManager<string> {
  constructor(private log: (e: string) => void, private name: string, private opts: CmOptions = {}) {}

  *aenter(): Coro<string> {
    this.log(`${this.name} aenter`);
    yield* sleep(0.5);
    if (this.opts.enterRaises !== undefined) throw this.opts.enterRaises;
    return `${this.name}-value`;
  }

  *aexit(exc?: unknown): Coro<boolean> {
    this.log(`${this.name} aexit ${repr(exc)}`);
    yield* sleep(0.25);
    if ('exitRaises' in this.opts) throw this.opts.exitRaises;
    return this.opts.swallow as boolean;
  }
}

// Python: class CM with __enter__ / __exit__.
class CM implements ContextManager<string> {
  constructor(private log: (e: string) => void, private name: string, private opts: CmOptions = {}) {}

  enter(): string {
    this.log(`${this.name} enter`);
    return `${this.name}-value`;
  }

  exit(exc?: unknown): boolean {
    this.log(`${this.name} exit ${repr(exc)}`);
    if ('exitRaises' in this.opts) throw this.opts.exitRaises;
    return this.opts.swallow as boolean;
  }
}

describe('asyncWith', () => {
  it('enters in order, exits in reverse order, and returns the body value', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* body(): Coro<string | undefined> {
        return yield* asyncWith(new ACM(log, 'a'), function* (va) {
          return yield* asyncWith(new ACM(log, 'b'), function* (vb) {
            log(`body ${va} ${vb}`);
            yield* sleep(1);
            return 'body result';
          });
        });
      }
      log(`returned ${repr(yield* body())}`);
    });
    expect(trace).toEqual([
      [0, 'a aenter'], [0.5, 'b aenter'], [1, 'body a-value b-value'], [2, 'b aexit None'], [2.25, 'a aexit None'],
      [2.5, "returned 'body result'"], ['return', 'None'],
    ]);
  });

  it('passes the exception to aexit, which lets it through, swallows it (undefined) or replaces it', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      try {
        yield* asyncWith(new ACM(log, 'a'), function* () {
          throw new ValueError('body');
        });
      } catch (e) {
        log(`propagated ${repr(e)}`);
      }
      const r = yield* asyncWith(new ACM(log, 's', { swallow: true }), function* (): Coro<string> {
        throw new ValueError('swallowed');
      });
      log(`after swallowing r=${repr(r)}`);
      yield* asyncWith(new ACM(log, 't', { swallow: 'yes' }), function* () {
        throw new ValueError('truthy');
      });
      log('after truthy');
      try {
        yield* asyncWith(new ACM(log, 'r', { exitRaises: new KeyError('from exit') }), function* () {
          throw new ValueError('replaced');
        });
      } catch (e) {
        log(`propagated ${repr(e)}`);
      }
      yield* asyncWith(new ACM(log, 'ok', { swallow: true }), function* () {});
      log('clean exit with swallow=True changes nothing');
      try {
        yield* asyncWith(new ACM(log, 'e', { enterRaises: new ValueError('enter') }), function* () {
          log('body not reached');
        });
      } catch (e) {
        log(`enter raised ${repr(e)}`);
      }
    });
    expect(trace).toEqual([
      [0, 'a aenter'], [0.5, "a aexit ValueError('body')"], [0.75, "propagated ValueError('body')"],
      [0.75, 's aenter'], [1.25, "s aexit ValueError('swallowed')"], [1.5, 'after swallowing r=None'],
      [1.5, 't aenter'], [2, "t aexit ValueError('truthy')"], [2.25, 'after truthy'],
      [2.25, 'r aenter'], [2.75, "r aexit ValueError('replaced')"], [3, "propagated KeyError('from exit')"],
      [3, 'ok aenter'], [3.5, 'ok aexit None'], [3.75, 'clean exit with swallow=True changes nothing'],
      [3.75, 'e aenter'], [4.25, "enter raised ValueError('enter')"], ['return', 'None'],
    ]);
  });

  it('passes a cancellation to aexit and lets it through', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      function* worker(): Coro<void> {
        yield* asyncWith(new ACM(log, 'w'), function* () {
          yield* sleep(10);
        });
      }
      const t = createTask(worker());
      yield* sleep(1);
      t.cancel('stop');
      try {
        yield* t;
      } catch (e) {
        if (!(e instanceof CancelledError)) throw e;
        log(`worker raised ${repr(e)}`);
      }
    });
    expect(trace).toEqual([
      [0, 'w aenter'], [1, "w aexit CancelledError('stop')"], [1.25, "worker raised CancelledError('stop')"],
      ['return', 'None'],
    ]);
  });

  it('accepts a synchronous context manager around a body that awaits', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      yield* asyncWith(new CM(log, 'c'), function* (v) {
        log(`body ${v}`);
        yield* sleep(1);
      });
      log('after');
      yield* asyncWith(new CM(log, 's', { swallow: true }), function* () {
        yield* sleep(1);
        throw new ValueError('swallowed');
      });
      log('after swallow');
      try {
        yield* asyncWith(new CM(log, 'r', { exitRaises: new KeyError('exit') }), function* () {
          throw new ValueError('body');
        });
      } catch (e) {
        log(`propagated ${repr(e)}`);
      }
    });
    expect(trace).toEqual([
      [0, 'c enter'], [0, 'body c-value'], [1, 'c exit None'], [1, 'after'], [1, 's enter'],
      [2, "s exit ValueError('swallowed')"], [2, 'after swallow'], [2, 'r enter'], [2, "r exit ValueError('body')"],
      [2, "propagated KeyError('exit')"], ['return', 'None'],
    ]);
  });
});

describe('asyncWith: thrown values (docs/divergences.md, "Thrown values" and "Deep await chains")', () => {
  const noneError = "TypeError('exceptions must derive from BaseException')";

  it('exits with the very value the body threw; undefined, from the body or the exit, as TypeError', () => {
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      for (const [name, body, opts] of [
        ['t', 'text', {}], ['u', undefined, {}], ['x', 'text', { exitRaises: undefined }],
      ] as [string, unknown, CmOptions][]) {
        try {
          yield* asyncWith(new ACM(log, name, opts), function* () {
            throw body;
          });
        } catch (e) {
          const context = ctx(e);
          log(`propagated ${repr(e)}${context === undefined ? '' : ` context ${repr(context)}`}`);
        }
      }
    });
    expect(trace).toEqual([
      [0, 't aenter'], [0.5, "t aexit 'text'"], [0.75, "propagated 'text'"],
      [0.75, 'u aenter'], [1.25, `u aexit ${noneError}`], [1.5, `propagated ${noneError}`],
      [1.5, 'x aenter'], [2, "x aexit 'text'"], [2.25, `propagated ${noneError} context 'text'`], ['return', 'None'],
    ]);
  });

  it('exits with RecursionError when the block overflows the stack', () => {
    function* chain(n: number): Coro<number> {
      if (n === 0) {
        yield* sleep(1);
        return 0;
      }
      return 1 + (yield* chain(n - 1));
    }
    const trace = runScenario(function* main({ log }: Scene): Coro<void> {
      try {
        yield* asyncWith(new ACM(log, 'deep'), function* () {
          return yield* chain(20_000);
        });
      } catch (e) {
        log(`propagated ${repr(e)}`);
      }
    });
    expect(trace).toEqual([
      [0, 'deep aenter'], [0.5, "deep aexit RecursionError('maximum recursion depth exceeded')"],
      [0.75, "propagated RecursionError('maximum recursion depth exceeded')"], ['return', 'None'],
    ]);
  });
});

describe('withContext', () => {
  it('enters, runs the body, exits with its exception, and returns its value or undefined when swallowed', () => {
    const trace: string[] = [];
    const log = (e: string): void => {
      trace.push(e);
    };
    const f = (): string | undefined => withContext(new CM(log, 'x'), (v) => {
      log(`body ${v}`);
      return 'r';
    });
    log(`returned ${repr(f())}`);
    const swallowed = withContext(new CM(log, 's', { swallow: true }), (): string => {
      throw new ValueError('swallowed');
    });
    log(`continues ${repr(swallowed)}`);
    try {
      withContext(new CM(log, 'p'), () => {
        throw new ValueError('body');
      });
    } catch (e) {
      log(`propagated ${repr(e)}`);
    }
    try {
      withContext(new CM(log, 'r', { exitRaises: new KeyError('exit') }), () => {
        throw new ValueError('body');
      });
    } catch (e) {
      log(`propagated ${repr(e)}`);
    }
    expect(trace).toEqual([
      'x enter', 'body x-value', 'x exit None', "returned 'r'", 's enter', "s exit ValueError('swallowed')",
      'continues None', 'p enter', "p exit ValueError('body')", "propagated ValueError('body')", 'r enter',
      "r exit ValueError('body')", "propagated KeyError('exit')",
    ]);
  });

  it('exits with TypeError when the body throws undefined or null, and with any other value as it is', () => {
    const trace: string[] = [];
    const log = (e: string): void => {
      trace.push(e);
    };
    for (const value of [undefined, null, 42]) {
      try {
        withContext(new CM(log, 'c'), () => {
          throw value;
        });
      } catch (e) {
        log(`propagated ${repr(e)}`);
      }
    }
    const noneError = "TypeError('exceptions must derive from BaseException')";
    expect(trace).toEqual([
      'c enter', `c exit ${noneError}`, `propagated ${noneError}`, 'c enter', `c exit ${noneError}`, `propagated ${noneError}`,
      'c enter', 'c exit 42', 'propagated 42',
    ]);
  });
});
