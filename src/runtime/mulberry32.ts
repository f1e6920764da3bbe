// mulberry32: a small seeded generator of floats in [0, 1) (k / 2^32), for the choices a
// seed makes reproducible (thread interleavings, a network's drawn latencies and losses).
// The network's twin (test/scenario/oracle/net_twin.py) has the same one.
// asyncio: none

/** Return a generator of floats in [0, 1) seeded by the 32 bits of `seed`. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
