// Run a Python program on CPython 3.13.2 (pyodide) over the network's twin (net_twin.py):
// `node test/scenario/oracle/run_twin.mjs prog.py [loopbackLatency]`. What it prints is
// what the program printed. A tool for writing differential tests, not part of them.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const { loadPyodide } = await import(join(root, 'node_modules', 'pyodide', 'pyodide.mjs'));
const py = await loadPyodide({ indexURL: join(root, 'node_modules', 'pyodide') + '/' });
py.FS.mkdirTree('/twin');
for (const f of ['net_twin.py', 'hosts_twin.py', 'virtual_loop.py', 'cpython_order.py']) py.FS.writeFile(`/twin/${f}`, readFileSync(join(here, f), 'utf8'));
py.runPython("import sys; sys.path.insert(0, '/twin')");
py.setStdout({ batched: (s) => process.stdout.write(`${s}\n`) });
py.setStderr({ batched: (s) => process.stderr.write(`${s}\n`) });
py.globals.set('__aiosim_src', readFileSync(process.argv[2], 'utf8'));
py.globals.set('__aiosim_loopback', Number(process.argv[3] ?? 0));
py.runPython(`
import types, net_twin
net_twin.install(loopback_latency=__aiosim_loopback)
_m = types.ModuleType('__main__')
_m.__file__ = 'prog.py'
exec(compile(__aiosim_src, 'prog.py', 'exec'), _m.__dict__)
`);
