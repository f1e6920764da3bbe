"""Deterministic threads for the virtual-clock loop, on native CPython (pyodide has none).

Real OS threads run CPython's own code (ThreadPoolExecutor, run_in_executor's chain of
callbacks, call_soon_threadsafe, shutdown_default_executor), but only one of them runs
at a time, handing a baton over, and only while the loop's thread waits in its
selector, sleeps or joins. That realises, in real CPython, the interleaving aiosim
documents for its simulated threads (docs/divergences.md "Simulated threads"):

- a thread's step is an event at a virtual time; events run in time order, FIFO among
  equal times, while the loop waits: in select(timeout) those due by the end of the
  wait, stopping early once a thread wakes the loop (call_soon_threadsafe);
- time.sleep(d) in a thread ends its step and schedules the next one d later; on the
  loop's thread it blocks the loop while other threads' events run;
- a thread waiting for a condition (a job in an empty work queue, a thread to finish)
  is woken, in the order it began waiting, when the condition may have changed;
- a new thread's first step is scheduled when start() is called; a ThreadPoolExecutor
  wakes idle workers after submit() has adjusted its thread count.

Everything else is CPython's unmodified code. install() patches threading.Thread,
concurrent.futures' work queue and time.sleep; the per-scenario state lives in SIM.
"""
import asyncio
import concurrent.futures.thread as cf_thread
import heapq
import itertools
import logging
import os
import queue
import threading
import time
import types

import virtual_loop

_RealThread = threading.Thread


class _Abort(BaseException):
    """Unwinds a thread left waiting when its scenario is over."""


class Sim:
    def __init__(self):
        self.active = False
        self.loop = None
        self.events = []
        self.seq = itertools.count()
        self.waiting = []
        self.woken = False
        self.back = threading.Semaphore(0)
        self.threads = []
        self.own_now = 0.0

    # The virtual time is the running loop's clock, as aiosim's world is attached to it.
    @property
    def now(self):
        return self.loop._now if self.loop is not None else self.own_now

    @now.setter
    def now(self, t):
        if self.loop is not None:
            self.loop._now = t
        else:
            self.own_now = t

    def schedule(self, at, fn):
        heapq.heappush(self.events, (max(at, self.now), next(self.seq), fn))

    def run_until(self, deadline, stop=lambda: False):
        """Run the events due by `deadline`; return True if `stop()` ended it early."""
        while True:
            if stop():
                return True
            if not self.events or self.events[0][0] > deadline:
                return False
            at, _, fn = heapq.heappop(self.events)
            if at > self.now:
                self.now = at
            fn()

    def wake_waiters(self):
        for entry in list(self.waiting):
            thread, until = entry
            if until():
                self.waiting.remove(entry)
                self.schedule(self.now, thread._sim_resume)

    def wait(self, until, deadline=None):
        """The current simulated thread waits until `until()` (or `deadline`)."""
        thread = threading.current_thread()
        if until():
            return
        entry = (thread, until)
        self.waiting.append(entry)
        if deadline is not None:
            def expire():
                if entry in self.waiting:
                    self.waiting.remove(entry)
                    thread._sim_resume()
            self.schedule(deadline, expire)
        thread._sim_yield()

    def block_main(self, until, deadline=None):
        """The loop's thread blocks: other threads' events run meanwhile."""
        if not self.run_until(float('inf') if deadline is None else deadline, until):
            if deadline is None:
                raise virtual_loop.Stalled('the main thread waits for a thread that can never finish')
            if deadline > self.now:
                self.now = deadline

    def reset(self, loop):
        self.active = True
        self.loop = loop
        self.events = []
        self.waiting = []
        self.woken = False

    def finish(self):
        """Unwind every thread still waiting, so that nothing outlives its scenario."""
        self.active = False
        self.loop = None
        logger = logging.getLogger('concurrent.futures')
        logger.disabled = True
        try:
            for t in self.threads:
                if t._sim_alive:
                    t._sim_abort = True
                    t._sim_go.release()
                    self.back.acquire()
        finally:
            logger.disabled = False
        self.threads = []
        self.events = []
        self.waiting = []
        cf_thread._threads_queues.clear()


SIM = Sim()


def _is_sim_thread(t):
    return isinstance(t, SimThread)


class SimThread(_RealThread):
    """threading.Thread whose body runs only when the simulation hands it the baton."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A thread left waiting when its scenario is over must not hold the process.
        self.daemon = True
        self._sim_go = threading.Semaphore(0)
        self._sim_alive = False
        self._sim_abort = False

    def start(self):
        if not SIM.active:
            raise RuntimeError('a simulated thread can only start during a scenario')
        self._sim_alive = True
        SIM.threads.append(self)
        SIM.schedule(SIM.now, self._sim_resume)
        super().start()

    def run(self):
        self._sim_go.acquire()
        try:
            if not self._sim_abort:
                super().run()
        except _Abort:
            pass
        finally:
            self._sim_alive = False
            if SIM.active:
                SIM.wake_waiters()
            SIM.back.release()

    def _sim_resume(self):
        # Run on the loop's thread: hand the baton over and wait until it comes back.
        self._sim_go.release()
        SIM.back.acquire()

    def _sim_yield(self):
        # Run on this thread: give the baton back and wait for the next turn.
        if self._sim_abort:
            raise _Abort()
        SIM.back.release()
        self._sim_go.acquire()
        if self._sim_abort:
            raise _Abort()

    def is_alive(self):
        return self._sim_alive

    def join(self, timeout=None):
        if self is threading.current_thread():
            raise RuntimeError('cannot join current thread')
        if not SIM.active:
            return
        deadline = None if timeout is None else SIM.now + timeout
        if _is_sim_thread(threading.current_thread()):
            SIM.wait(lambda: not self._sim_alive, deadline)
        else:
            SIM.block_main(lambda: not self._sim_alive, deadline)


class SimQueue:
    """ThreadPoolExecutor's work queue: a worker finding it empty waits in the simulation."""

    def __init__(self):
        self.items = []
        self.defer_wake = False

    def put(self, item, block=True, timeout=None):
        self.items.append(item)
        if not self.defer_wake:
            SIM.wake_waiters()

    def get_nowait(self):
        _check_abort()
        if not self.items:
            raise queue.Empty
        return self.items.pop(0)

    def get(self, block=True, timeout=None):
        _check_abort()
        while not self.items:
            if not block:
                raise queue.Empty
            SIM.wait(lambda: bool(self.items))
        return self.items.pop(0)

    def empty(self):
        return not self.items

    def qsize(self):
        return len(self.items)


class _OrderedThreads(dict):
    """ThreadPoolExecutor._threads in start order (shutdown joins them in that order)."""

    def add(self, t):
        self[t] = None


_original_init = cf_thread.ThreadPoolExecutor.__init__


def _init(self, *args, **kwargs):
    _original_init(self, *args, **kwargs)
    self._threads = _OrderedThreads()


def _check_abort():
    # A worker unwound at the end of its scenario (its job saw _Abort and failed) must not
    # take the next queued job: aiosim drops whatever is still pending then.
    if getattr(threading.current_thread(), '_sim_abort', False):
        raise _Abort()


_queue_shim = types.SimpleNamespace(SimpleQueue=SimQueue, Empty=queue.Empty, Queue=queue.Queue)
_original_submit = cf_thread.ThreadPoolExecutor.submit


def _submit(self, fn, /, *args, **kwargs):
    # aiosim's submit queues the job, adjusts the thread count (maybe starting a worker),
    # and only then wakes idle workers.
    q = self._work_queue
    q.defer_wake = True
    try:
        return _original_submit(self, fn, *args, **kwargs)
    finally:
        q.defer_wake = False
        SIM.wake_waiters()


def _sleep(seconds):
    _check_abort()
    if not SIM.active:
        return virtual_loop._sleep(seconds)
    if seconds < 0:
        raise ValueError('sleep length must be non-negative')
    current = threading.current_thread()
    if _is_sim_thread(current):
        current_resume = current._sim_resume
        SIM.schedule(SIM.now + seconds, current_resume)
        current._sim_yield()
        return
    end = SIM.now + seconds
    SIM.run_until(end)
    SIM.now = end


class _ThreadedSelector:
    def __init__(self, loop):
        self._loop = loop

    def select(self, timeout):
        start = self._loop._now
        if SIM.events:
            limit = float('inf') if timeout is None else start + timeout
            SIM.woken = False
            if SIM.run_until(limit, lambda: SIM.woken):
                return []
        if timeout is None:
            raise virtual_loop.Stalled('nothing is ready and no timer is scheduled')
        if timeout > 0:
            self._loop._now = max(self._loop._now, start + timeout)
        return []

    def close(self):
        pass


class ThreadedLoop(virtual_loop.VirtualLoop):
    def __init__(self, start=0.0):
        super().__init__(start)
        self._selector = _ThreadedSelector(self)
        SIM.reset(self)

    def _write_to_self(self):
        SIM.woken = True


class _Policy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        return ThreadedLoop()


def install():
    """Patch threading, concurrent.futures and time.sleep for simulated threads."""
    virtual_loop.install()
    asyncio.set_event_loop_policy(_Policy())
    time.sleep = _sleep
    # aiosim simulates 4 CPUs (setCpuCount): the default executor has 8 workers.
    os.process_cpu_count = lambda: 4
    threading.Thread = SimThread
    cf_thread.queue = _queue_shim
    cf_thread.ThreadPoolExecutor.submit = _submit
    cf_thread.ThreadPoolExecutor.__init__ = _init
