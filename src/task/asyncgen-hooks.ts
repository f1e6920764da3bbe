// The hooks an async generator calls at its first iteration and when it is freed
// unfinished, one pair per (simulated) thread: the event loop installs its own while it
// runs. asyncio: sys.set_asyncgen_hooks / sys.get_asyncgen_hooks

import { getIdent } from '../runtime/thread-ident.js';

/** A hook: called with the async generator (typed loosely: hooks see every generator). */
export type AsyncgenHook = (agen: any) => void;

/** The two hooks: `firstiter` at a generator's first iteration, `finalizer` when it is freed unfinished. */
export interface AsyncgenHooks {
  readonly firstiter: AsyncgenHook | undefined;
  readonly finalizer: AsyncgenHook | undefined;
}

const NONE: AsyncgenHooks = { firstiter: undefined, finalizer: undefined };
const byThread = new Map<number, AsyncgenHooks>();

/** @internal The current thread's hooks. asyncio: sys.get_asyncgen_hooks */
export function _getAsyncgenHooks(): AsyncgenHooks {
  return byThread.get(getIdent()) ?? NONE;
}

/** @internal Set the current thread's hooks. asyncio: sys.set_asyncgen_hooks */
export function _setAsyncgenHooks(hooks: AsyncgenHooks): void {
  if (hooks.firstiter === undefined && hooks.finalizer === undefined) byThread.delete(getIdent());
  else byThread.set(getIdent(), hooks);
}
