// A long fault campaign of the fixed services of examples/18-network-faults.ts and
// examples/19-leases-and-clocks.ts, in blocks: each
// block is a file with its own fast-check seed, so `vitest --shard i/n` (which splits by
// file) or a CI matrix runs them apart, and each reproduces on its own. Not part of
// `npm test`: `npm run campaign` (docs/testing.md, "Campaigns across machines").

import { describe, it } from 'vitest';
import { depositsOverTcp, depositsOverUdp, partitions } from '../../examples/18-network-faults.js';
import { leases, skews } from '../../examples/19-leases-and-clocks.js';
import { assertProperty } from '../../src/testing/index.js';

/** Runs per property per block: CAMPAIGN_RUNS, default 1,250 (4 blocks, 3 properties: 15,000 runs). */
const runs = Number(process.env.CAMPAIGN_RUNS ?? 1250);

/** Register block `block`: the three fixed properties, with seed `block` (reported on failure). */
export function depositsCampaign(block: number): void {
  describe(`deposits campaign, block ${block}`, () => {
    it(`retries over a lossy link keep each deposit once (${runs} runs, seed ${block})`, () => {
      assertProperty({}, depositsOverUdp('idempotency keys'), { seed: block, runs });
    });
    it(`reconnects through partitions keep each deposit once (${runs} runs, seed ${block})`, () => {
      assertProperty(partitions, depositsOverTcp('idempotency keys'), { seed: block, runs });
    });
    it(`workers keep a margin for skewed clocks (${runs} runs, seed ${block})`, () => {
      assertProperty(skews, leases('with a margin'), { seed: block, runs });
    });
  });
}
