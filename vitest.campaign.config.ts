import { defineConfig } from 'vitest/config';

// Long property campaigns (test/campaigns/*.campaign.ts), apart from `npm test`: one file per
// block of seeds, so that `npm run campaign -- --shard 2/4` runs one block on its own.
export default defineConfig({
  test: {
    include: ['test/campaigns/*.campaign.ts'],
    setupFiles: ['test/_support/quiet-stderr.ts'],
    testTimeout: 3_600_000,
  },
});
