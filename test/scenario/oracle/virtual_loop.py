"""aiosim's reference loop: CPython's own asyncio.BaseEventLoop, with a virtual clock.

The selector never blocks: select(timeout) moves the clock forward by exactly
`timeout` and returns no events; with no timeout (nothing could ever wake the loop)
it raises. Everything else -- scheduling, timers, futures, tasks -- is CPython's
unmodified code, so programs run on this loop show what CPython does.
"""
import asyncio
import asyncio.events
import threading
import time


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


class _Policy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        return VirtualLoop()


_real_sleep = time.sleep


def _sleep(seconds):
    """time.sleep on the thread running a virtual loop blocks that loop: its clock moves."""
    loop = asyncio.events._get_running_loop()
    if isinstance(loop, VirtualLoop) and loop._thread_id == threading.get_ident():
        loop._now += seconds
    else:
        _real_sleep(seconds)


def install():
    """Make asyncio.run() and asyncio.new_event_loop() use VirtualLoop, and time.sleep()
    on a loop's thread advance its virtual clock."""
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop_policy(_Policy())
    time.sleep = _sleep
