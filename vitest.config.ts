import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Type tests (test/types/*.test-d.ts) are checked by `npm run typecheck` (tsc), which
    // `npm test` runs first: expectTypeOf and @ts-expect-error fail there as type errors.
    setupFiles: ['test/_support/quiet-stderr.ts'],
    testTimeout: 60_000,
  },
});
