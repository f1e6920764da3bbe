"""CPython's own asyncio.BaseEventLoop on a virtual clock, for the benchmarks.

The selector never blocks: select(timeout) moves the clock forward by exactly
`timeout` and returns no events; with no timeout (nothing could ever wake the loop)
it raises. Scheduling, timers, futures and tasks are CPython's unmodified code (the C
_asyncio Future and Task included), so this is what asyncio itself costs on a
virtual clock. (The same idea as test/conformance/virtual_loop.py; a separate copy.)
"""
import asyncio


class Stalled(RuntimeError):
    """The loop would block forever: nothing ready, no timer scheduled."""


class _VirtualSelector:
    def __init__(self, loop):
        self._loop = loop

    def select(self, timeout):
        if timeout is None:
            raise Stalled('nothing is ready and no timer is scheduled')
        if timeout > 0:
            self._loop._now += timeout
        return []

    def close(self):
        pass


class VirtualLoop(asyncio.BaseEventLoop):
    def __init__(self, start=0.0):
        super().__init__()
        self._now = float(start)
        self._selector = _VirtualSelector(self)
        self._clock_resolution = 1e-09

    def time(self):
        return self._now

    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        pass
