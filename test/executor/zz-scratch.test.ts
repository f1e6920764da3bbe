import { it } from 'vitest';
import { EventLoop, world, type Coro } from '../../src/index.js';
import { runScenario, ticker } from '../_support/scenario.js';

it('scratch', () => {
  world._reset();
  const t = runScenario(function* main({ loop, log }): Coro<number> {
    const job = () => { log('job runs'); return 42; };
    const fut = loop.runInExecutor(undefined, job);
    fut.addDoneCallback(() => log('done cb'));
    ticker(loop, log, 5);
    log('await');
    const r = yield* fut;
    log(`resumed ${r}`);
    return r;
  });
  console.log(JSON.stringify(t));
});
