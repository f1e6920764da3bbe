"""Run one Python asyncio program on native CPython 3.13 over the network's twin with
virtual_threads.py (threads, hence name resolution in the default executor, which pyodide
cannot run): argv[1] is the program's file, argv[2] the loopback latency (default 0)."""
import os
import sys
import types

_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [_here, os.path.dirname(_here)]
sys.stderr = sys.stdout

import net_twin  # noqa: E402

net_twin.install(loopback_latency=float(sys.argv[2]) if len(sys.argv) > 2 else 0, threads=True)
path = sys.argv[1]
with open(path) as f:
    source = f.read()
module = types.ModuleType('__main__')
module.__file__ = os.path.basename(path)
exec(compile(source, module.__file__, 'exec'), module.__dict__)
