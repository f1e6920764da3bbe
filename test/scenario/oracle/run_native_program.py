"""Run one Python asyncio program on native CPython with virtual_threads.py (the virtual
clock and deterministic threads pyodide cannot give): argv[1] is the program's file; it
prints what the program prints (stderr included, as the oracle's pyodide runs do)."""
import os
import sys
import types

_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [_here, os.path.dirname(_here)]
sys.stderr = sys.stdout

import virtual_threads  # noqa: E402

virtual_threads.install()
path = sys.argv[1]
with open(path) as f:
    source = f.read()
module = types.ModuleType('__main__')
module.__file__ = os.path.basename(path)
exec(compile(source, module.__file__, 'exec'), module.__dict__)
