import { defineConfig } from 'vitest/config';

// The conformance tools (campaigns, corpus regeneration and replay): run through
// scripts/conformance.mjs, never by `npm test`.
export default defineConfig({
  test: {
    include: ['test/conformance/tools/**/*.tool.ts'],
    testTimeout: 3_600_000,
  },
});
