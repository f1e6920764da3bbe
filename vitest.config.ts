import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Type tests (test/types/*.test-d.ts) are checked by `npm run typecheck` (tsc), which
    // `npm test` runs first: expectTypeOf and @ts-expect-error fail there as type errors.
    setupFiles: ['test/_support/quiet-stderr.ts'],
    // Generous limits, for loaded machines: the slowest test takes about 6 s on a quiet
    // two-core machine; none depends on speed, only on finishing.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
