// The loop's part in async generators: the hooks it installs while it runs (the first
// iteration registers a generator with the loop; the finalizer schedules the aclose() of
// one freed unfinished) and shutdownAsyncgens(), which closes those still registered.
// asyncio: BaseEventLoop._asyncgen_firstiter_hook / _asyncgen_finalizer_hook / shutdown_asyncgens

import { isException } from '../errors/exceptions.js';
import { named } from '../format/named.js';
import { repr } from '../format/py-repr.js';
import { ResourceWarning, warn } from '../log/warnings.js';
import type { AsyncGeneratorObject } from '../task/async-generator.js';
import { AsyncGenSet } from '../task/async-gen-set.js';
import { _getAsyncgenHooks, _setAsyncgenHooks, type AsyncgenHook, type AsyncgenHooks } from '../task/asyncgen-hooks.js';
import type { Coro } from '../task/coroutine.js';
import { gather } from '../task/gather.js';
import type { EventLoop } from './event-loop.js';

type Agen = AsyncGeneratorObject<unknown, never>;

/** @internal A loop's async generator bookkeeping (LoopServices holds one). */
export class LoopAsyncgens {
  /** The generators first iterated while the loop ran, not finished nor freed. asyncio: loop._asyncgens */
  readonly agens = new AsyncGenSet<Agen>();
  /** asyncio: loop._asyncgens_shutdown_called */
  shutdownCalled = false;
  /** The hooks in force before the loop started running (restored when it stops). */
  #outer: AsyncgenHooks | undefined;
  readonly #hooks: AsyncgenHooks;

  constructor(loop: EventLoop) {
    // Named as object literal properties, as CPython names them: free, where renaming a
    // function afterwards costs a microsecond per loop (see format/named.ts, markBound).
    const hooks = {
      'BaseEventLoop._asyncgen_firstiter_hook': (agen: Agen): void => {
        if (this.shutdownCalled) {
          warn(`asynchronous generator ${repr(agen)} was scheduled after loop.shutdown_asyncgens() call`, ResourceWarning);
        }
        this.agens.add(agen);
      },
      'BaseEventLoop._asyncgen_finalizer_hook': (agen: Agen): void => {
        this.agens.delete(agen);
        if (!loop.isClosed()) loop.callSoonThreadsafe(named('BaseEventLoop.create_task', (coro: Coro<unknown>) => loop.createTask(coro)), agen.aclose());
      },
    } satisfies Record<string, AsyncgenHook>;
    this.#hooks = { firstiter: hooks['BaseEventLoop._asyncgen_firstiter_hook'], finalizer: hooks['BaseEventLoop._asyncgen_finalizer_hook'] };
  }

  /** The finalizer hook this loop installs. */
  get finalizer(): AsyncgenHook {
    return this.#hooks.finalizer!;
  }

  /** The loop starts running: its hooks replace the thread's. asyncio: _run_forever_setup */
  install(): void {
    this.#outer = _getAsyncgenHooks();
    _setAsyncgenHooks(this.#hooks);
  }

  /** The loop stops running: the thread's hooks come back. asyncio: _run_forever_cleanup */
  restore(): void {
    if (this.#outer === undefined) return;
    _setAsyncgenHooks(this.#outer);
    this.#outer = undefined;
  }

  /**
   * Close every registered generator (their aclose() run concurrently, as tasks) and
   * report each one that failed to the loop's exception handler.
   * asyncio: BaseEventLoop.shutdown_asyncgens
   */
  *shutdown(loop: EventLoop): Coro<void> {
    this.shutdownCalled = true;
    if (this.agens.size === 0) return;
    const closing = [...this.agens];
    this.agens.clear();
    const results = yield* gather(closing.map((agen) => agen.aclose()), { returnExceptions: true });
    closing.forEach((agen, i) => {
      const result = results[i];
      if (result !== undefined && isException(result)) {
        loop.callExceptionHandler({
          message: `an error occurred during closing of asynchronous generator ${repr(agen)}`,
          exception: result,
          asyncgen: agen,
        });
      }
    });
  }
}
