// W4 cancel churn: n timers as in W3; each one with i % 10 != 0 is cancelled at once.
// On asyncio the first iteration compacts the heap (more than half cancelled).

import { timerWorkload } from './lcg-workload.js';

export const w4Cancel = timerWorkload({ id: 'W4', title: 'cancel churn', full: { n: 200_000, m: 0 }, quick: { n: 20_000, m: 0 }, every: 10 });
