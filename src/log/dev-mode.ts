// Python's Development Mode (-X dev / PYTHONDEVMODE): new loops start in debug mode and
// every warning is shown once per location (as -W default), ResourceWarning included.

import { _restoreDefaultFilters, simplefilter } from './warnings.js';

let devMode = false;

/** Return whether Development Mode is on. asyncio: sys.flags.dev_mode */
export function isDevMode(): boolean {
  return devMode;
}

/**
 * Turn Python's Development Mode on or off for this process: loops created from now on
 * start in debug mode, and a `default` warnings filter shows every warning once per
 * location (turning it off restores Python's default filters). The environment
 * variable PYTHONDEVMODE turns it on at startup, as in Python.
 */
export function setDevMode(enabled: boolean): void {
  if (enabled === devMode) return;
  devMode = enabled;
  if (enabled) simplefilter('default');
  else _restoreDefaultFilters();
}

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
if (env?.PYTHONDEVMODE) setDevMode(true);
