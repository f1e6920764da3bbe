"""Run scenarios through interpreter.py on native CPython (for scenarios with threads,
which pyodide cannot run): reads a JSON list of scenarios from the file named by
argv[1], writes a JSON list of traces to stdout."""
import json
import os
import sys

_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [_here, os.path.dirname(_here)]

import interpreter  # noqa: E402

with open(sys.argv[1]) as f:
    scenarios = json.load(f)
json.dump([interpreter.run_scenario(s) for s in scenarios], sys.stdout)
