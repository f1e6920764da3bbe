// The CPython 3.13 oracle: pyodide (CPython 3.13.2 in WebAssembly) with aiosim's
// virtual-clock loop installed. Loaded once per test file (about 3 s).

import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPyodide, type PyodideInterface } from 'pyodide';
import type { Scenario } from '../language.js';

const here = dirname(fileURLToPath(import.meta.url));
let pyodide: Promise<PyodideInterface> | undefined;

async function load(): Promise<PyodideInterface> {
  const py = await loadPyodide();
  const files = [
    ...['virtual_loop.py', 'cpython_order.py', 'net_twin.py', 'hosts_twin.py'].map((f) => join(here, f)),
    ...['interpreter.py', 'interp.py', 'actions.py', 'context_actions.py', 'steps.py', 'jobs.py', 'agens.py', 'net.py', 'net_state.py', 'net_datagrams.py'].map((f) => join(here, '..', f)),
  ];
  for (const file of files) {
    py.FS.writeFile(`/home/pyodide/${basename(file)}`, readFileSync(file, 'utf8'));
  }
  py.runPython('import sys; sys.path.insert(0, "/home/pyodide")');
  return py;
}

/** Run scenarios through interpreter.py on CPython 3.13; return one trace per scenario. */
export async function runScenariosPython(scenarios: readonly Scenario[]): Promise<string[][]> {
  pyodide ??= load();
  const py = await pyodide;
  // What the interpreter prints (the RuntimeWarnings of its gc.collect(): output timed by
  // the collector, which the oracle leaves out of traces) is not part of the traces.
  py.setStdout({ batched: () => {} });
  py.setStderr({ batched: () => {} });
  py.globals.set('__aiosim_scenarios', JSON.stringify(scenarios));
  const out = py.runPython(`
import json, interpreter
json.dumps([interpreter.run_scenario(s) for s in json.loads(__aiosim_scenarios)])
`) as string;
  return JSON.parse(out) as string[][];
}

/** Run a Python program on CPython 3.13 with the virtual clock; return what it printed. */
export async function runPython(source: string, filename = 'prog.py'): Promise<string> {
  pyodide ??= load();
  const py = await pyodide;
  let out = '';
  py.setStdout({ batched: (s: string) => { out += `${s}\n`; } });
  py.setStderr({ batched: (s: string) => { out += `${s}\n`; } });
  py.globals.set('__aiosim_src', source);
  py.globals.set('__aiosim_file', filename);
  py.runPython(`
import types, virtual_loop
virtual_loop.install()
_m = types.ModuleType('__main__')
_m.__file__ = __aiosim_file
exec(compile(__aiosim_src, __aiosim_file, 'exec'), _m.__dict__)
`);
  return out;
}

/**
 * Run a Python program on CPython 3.13 over the twin of aiosim's simulated network
 * (net_twin.py: fake sockets, a virtual selector, BaseSelectorEventLoop on the virtual
 * clock); return what it printed.
 */
export async function runNetPython(source: string, loopbackLatency = 0, filename = 'prog.py'): Promise<string> {
  pyodide ??= load();
  const py = await pyodide;
  let out = '';
  py.setStdout({ batched: (s: string) => { out += `${s}\n`; } });
  py.setStderr({ batched: (s: string) => { out += `${s}\n`; } });
  py.globals.set('__aiosim_src', source);
  py.globals.set('__aiosim_file', filename);
  py.globals.set('__aiosim_loopback', loopbackLatency);
  py.runPython(`
import types, net_twin
net_twin.install(loopback_latency=__aiosim_loopback)
_m = types.ModuleType('__main__')
_m.__file__ = __aiosim_file
exec(compile(__aiosim_src, __aiosim_file, 'exec'), _m.__dict__)
`);
  return out;
}
