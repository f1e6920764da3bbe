// The README's "Testing with aiosim" example, run as it is written there (the last test
// checks that the README shows exactly this code, with the package's import paths).

import { describe } from 'vitest';
import { expectReadmeShows } from './_support.js';

// README:begin
import { expect, it, test as base } from 'vitest';
import { sleep, type Coro, type EventLoop } from '../../src/index.js';
import { loopFixture, loopState, Trace, withLoop } from '../../src/testing/index.js';

// The code under test: polls until ready, waiting 1, 2, 4 … seconds between checks.
function* poll(isReady: () => boolean): Coro<number> {
  let checks = 1;
  for (let delay = 1; !isReady(); delay *= 2) {
    yield* sleep(delay);
    checks++;
  }
  return checks;
}

it('backs off exponentially', () => {
  withLoop(function* (loop) {
    let calls = 0;
    expect(yield* poll(() => ++calls === 4)).toBe(4);
    expect(loop.time()).toBe(7); // 1 + 2 + 4 virtual seconds, in no time
  });
});

// A fresh loop per test, closed afterwards; its clock moves only when the test says so.
const test = base.extend<{ loop: EventLoop }>({ loop: loopFixture({ timeMode: 'manual' }) });

test('waits between checks', ({ loop }) => {
  let ready = false;
  const task = loop.createTask(poll(() => ready));
  loop.advance(2.5);
  expect(loopState(loop).tasks).toEqual([{ name: 'poll', status: 'waiting', waitsFor: 'future 1 (timer at 3.0)' }]);
  ready = true;
  loop.advance(0.5);
  expect(task.result()).toBe(3);
});

it('takes its decisions in this order', () => {
  const trace = new Trace({ kinds: ['step', 'suspend', 'done'] });
  let calls = 0;
  withLoop(() => poll(() => ++calls === 2), { trace });
  expect(trace).toMatchInlineSnapshot(`
    "0.0 poll: start
    0.0 poll: await sleep future 1
    1.0 sleep future 1: done, result=None
    1.0 poll: resume after sleep future 1
    1.0 poll: done, result=2"
  `);
});
// README:end

describe('README', () => {
  it('shows this example, with the package import paths', () => {
    expectReadmeShows(import.meta.filename, '## Testing with aiosim');
  });
});
