// FlowControlMixin against CPython's: _drain_helper() returns at once unless writing is
// paused; connection_lost(exc) wakes the waiting drains with exc (a cancelled one leaves);
// after the loss every drain raises ConnectionResetError. Runs on CPython 3.13.2 too.

import { CancelledError, ConnectionResetError, createTask, getRunningLoop, RuntimeError, sleep } from '../../src/index.js';
import { objectId, repr } from '../../src/format/py-repr.js';
import { FlowControlMixin } from '../../src/streams/flow-control.js';
import { differential, log } from './_support.js';

differential('FlowControlMixin against CPython', [
  {
    name: 'waits while paused; connection_lost wakes the drains; later drains raise',
    python: `
import re
async def main():
    loop = asyncio.get_running_loop()
    f = FlowControlMixin()
    log(f._loop is loop, re.sub(r'0x[0-9a-f]+', '0x?', repr(f)))
    await f._drain_helper()
    log('not paused: at once')
    f.pause_writing()
    waiters = [asyncio.create_task(f._drain_helper()) for _ in range(3)]
    await asyncio.sleep(0)
    waiters[1].cancel()
    await asyncio.sleep(0)
    log('waiting', len(f._drain_waiters))
    loop.call_later(2, f.connection_lost, RuntimeError('lost'))
    for t in waiters:
        try:
            await t
            log('woken')
        except (RuntimeError, asyncio.CancelledError) as e:
            log('raised', repr(e))
    log('waiting', len(f._drain_waiters))
    try:
        await f._drain_helper()
    except ConnectionResetError as e:
        log(repr(e))
    g = FlowControlMixin(loop)
    g.connection_lost(None)
    log('lost, not paused', g._paused)
    try:
        await g._drain_helper()
    except ConnectionResetError as e:
        log(repr(e))
`,
    *main() {
      const loop = getRunningLoop();
      const f = new FlowControlMixin();
      log(f._loop === loop, repr(f).replace(objectId(f), '0x?'));
      yield* f._drainHelper();
      log('not paused: at once');
      f.pauseWriting();
      const waiters = [0, 1, 2].map(() => createTask(f._drainHelper()));
      yield* sleep(0);
      waiters[1]!.cancel();
      yield* sleep(0);
      log('waiting', f._drainWaiters.length);
      loop.callLater(2, () => f.connectionLost(new RuntimeError('lost')));
      for (const t of waiters) {
        try {
          yield* t;
          log('woken');
        } catch (e) {
          if (!(e instanceof RuntimeError || e instanceof CancelledError)) throw e;
          log('raised', repr(e));
        }
      }
      log('waiting', f._drainWaiters.length);
      try {
        yield* f._drainHelper();
      } catch (e) {
        if (!(e instanceof ConnectionResetError)) throw e;
        log(repr(e));
      }
      const g = new FlowControlMixin(loop);
      g.connectionLost(undefined);
      log('lost, not paused', g._paused);
      try {
        yield* g._drainHelper();
      } catch (e) {
        if (!(e instanceof ConnectionResetError)) throw e;
        log(repr(e));
      }
    },
  },
]);
