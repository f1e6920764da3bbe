"""The scenario interpreter for CPython: runs a scenario (see language.ts) with asyncio on
the virtual-clock loop and returns its trace. interpreter.ts is its twin for aiosim;
both give every construct the same meaning, handler for handler (actions.py, steps.py,
jobs.py against actions.ts, steps.ts, jobs.ts).
"""
import asyncio
import gc
import logging
import re
import sys
import warnings

import cpython_order
import virtual_loop
from interp import Interp, normalise, run_body
import actions  # noqa: F401  (registers the action handlers)
import context_actions  # noqa: F401  (registers the context-variable action handlers)
import jobs  # noqa: F401  (registers the job step handlers)
import steps  # noqa: F401  (registers the step handlers)
import agens  # noqa: F401  (registers the async generator step handlers)
import net  # noqa: F401  (registers the network's step and action handlers)
import net_twin

# Messages CPython logs when it collects an object: their timing depends on reference
# counting, which aiosim cannot reproduce (see docs/divergences.md).
# ("unclosed …": a transport or StreamWriter collected while still open; "loop is
# closed": a StreamWriter collected, still open, after its loop closed.)
GC_WARNING = re.compile(r'^(coroutine .* was never awaited|unclosed |loop is closed$)')
GC_MESSAGE = re.compile(r'^(\w+ exception was never retrieved|Task was destroyed but it is pending!)')

# Objects alive now (the interpreter, the stdlib) are never garbage: leave them out of
# the per-scenario collections, which keeps those fast.
gc.freeze()
cpython_order.install()

# Records logged outside a run (objects collected later) go nowhere, not to stderr, and
# so do errors in coroutines closed by the collector after their loop was closed.
logging.getLogger('asyncio').addHandler(logging.NullHandler())
sys.unraisablehook = lambda unraisable: None


class _LogHandler(logging.Handler):
    def __init__(self, interp):
        super().__init__()
        self.interp = interp

    def emit(self, record):
        first = record.getMessage().split('\n')[0]
        if not GC_MESSAGE.match(first):
            self.interp.trace.append(f'log {record.levelname} {normalise(first)}')


async def scenario_main(interp):
    interp.loop = asyncio.get_running_loop()
    interp.futures = [interp.loop.create_future() for _ in range(interp.scn['futures'])]
    interp.make_sync()
    return await run_body(interp, 0, 'main')


def run_scenario(scenario):
    """Run one scenario with asyncio.run on a fresh virtual-clock loop; return its trace."""
    interp = Interp(scenario)
    handler = _LogHandler(interp)
    logger = logging.getLogger('asyncio')
    logger.addHandler(handler)

    if scenario.get('net') is not None:
        # The twin of aiosim's network (its loop is CPython's BaseSelectorEventLoop).
        net_twin.install(loopback_latency=scenario['net']['loopbackLatency'])
        net_twin.set_loopback_model(scenario['net'].get('model'))
    else:
        virtual_loop.install()
    if scenario.get('threads'):
        import virtual_threads
        virtual_threads.install()
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter('always')
        try:
            result = asyncio.run(scenario_main(interp), debug=scenario.get('debug', False))
            interp.trace.append(f'end result {result!r}')
        except (virtual_loop.Stalled, net_twin.Stalled):
            interp.trace.append('end stalled')
        except BaseException as e:
            interp.trace.append(f'end raised {normalise(repr(e))}')
        finally:
            logger.removeHandler(handler)
            if scenario.get('threads'):
                virtual_threads.SIM.finish()
        # Warnings about coroutines never awaited come when objects are collected.
        for w in shown:
            text = str(w.message)
            if not GC_WARNING.match(text):
                interp.trace.append(f'warn {w.category.__name__}: {normalise(text)}')
    trace = list(interp.trace)
    del interp
    # Finalise this run's garbage now, outside any running loop: a suspended coroutine
    # of this run closed later would run its cleanup inside the next scenario's task.
    gc.collect()
    return trace
