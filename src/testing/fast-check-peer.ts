// fast-check, an optional peer dependency of aiosim/testing: loaded once when the subpath
// is imported, if it is installed, so that the rest of aiosim/testing works without it.
// Its types stay out of the declarations the subpath's index reaches (see fc-arbitrary.ts),
// so TypeScript projects without fast-check compile too.
// asyncio: none (aiosim testing)

import type * as FastCheck from 'fast-check';

/** @internal fast-check's module namespace. */
export type FastCheckModule = typeof FastCheck;

let loaded: FastCheckModule | undefined;
try {
  loaded = await import('fast-check');
} catch (e) {
  // Only a missing package is expected; anything else (a broken install) is reported.
  if ((e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw e;
}

/**
 * @internal Return fast-check, for the helpers that need it.
 * @throws Error naming the helper and saying how to install fast-check.
 */
export function fastCheck(helper: string): FastCheckModule {
  if (loaded === undefined) {
    throw new Error(`${helper}() needs fast-check, an optional peer dependency of aiosim/testing: npm install --save-dev fast-check`);
  }
  return loaded;
}
