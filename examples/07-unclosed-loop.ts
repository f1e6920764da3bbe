// A loop never closed is reported at a collection point with a ResourceWarning, which
// Python hides by default: show it with the `default` filter (`python -W default`), as
// the "Developing with asyncio" page advises. The asyncio original:
//
//   import gc, warnings
//   warnings.simplefilter('default')
//   loop = asyncio.new_event_loop()
//   loop.run_until_complete(asyncio.sleep(1))
//   del loop
//   gc.collect()     # ResourceWarning: unclosed event loop <… running=False closed=False debug=False>

import { gcCollect, newEventLoop, sleep, warnings } from '../src/index.js';

/** What this example prints that looks like a failure (run-all says so before it runs). */
export const note = `prints 'ResourceWarning: unclosed event loop' on purpose`;

export function main(): void {
  warnings.catchWarnings({}, () => {
    warnings.showwarning = (message, category) => console.log(`${category.name}: ${String(message)}`);
    warnings.simplefilter('default');
    const loop = newEventLoop();
    loop.runUntilComplete(sleep(1));
    gcCollect();
  });
}
