"""Several hosts on the twin network (net_twin.py), each running CPython's own asyncio
loop (BaseSelectorEventLoop over the twin's fake sockets), stepped as aiosim steps a host's
process (src/runners/host-process.ts, docs/network.md "Several hosts"): one _run_once per
world event, scheduled at the time the loop next has something to do (now, after the
other events due now, when a handle or a socket is ready; else its next timer), or, on a
wake-up (a delivery making a watched socket ready), right after the event that woke it.

    import net_twin, hosts_twin
    net_twin.install(latency=0.005)
    sim = hosts_twin.Simulation()
    sim.add_host('server', ['10.0.0.1'])
    sim.host('server', server_main)
    sim.client('client', client_main)
    sim.run()

Each host has a clock (HostClock, aiosim's src/net/host-clock.ts): a host loop's time()
is the world's time through it, and a timer due at a host's time wakes its loop at the
first global instant its clock reaches it.

Only what the differential tests use: no threads (pyodide has none), asyncio.run's
cleanup reduced to closing the loop.
"""

import asyncio
import heapq
import math
import struct
from asyncio import events, selector_events

import net_twin


# ---- a host's clock (src/net/host-clock.ts, docs/network.md "Clocks") -------------------

def _ordinal(x):
    return struct.unpack('<Q', struct.pack('<d', 0.0 if x == 0 else x))[0]


def _from_ordinal(n):
    return struct.unpack('<d', struct.pack('<Q', n))[0]


_ORDINAL_INFINITY = _ordinal(math.inf)


class HostClock:
    """local(g) = l0 + rate * (g - g0); unskewed: g itself. The same doubles as aiosim's."""

    def __init__(self):
        self.skewed = False
        self.g0, self.l0, self.rate = 0.0, 0.0, 1.0
        self.watchers = []

    def local(self, g):
        return self.l0 + self.rate * (g - self.g0) if self.skewed else g

    def global_at(self, when, now):
        """The first double g >= now with local(g) >= when (local(now) < when)."""
        def reached(o):
            return self.local(_from_ordinal(o)) >= when
        est = self.g0 + (when - self.l0) / self.rate
        if not est > now:
            est = now
        lo, hi = _ordinal(now), _ordinal(est)
        if reached(hi):
            step = 1
            while True:
                c = hi - step
                if c <= lo:
                    break
                if not reached(c):
                    lo = c
                    break
                hi = c
                step *= 2
        else:
            lo = hi
            step = 1
            while True:
                c = min(lo + step, _ORDINAL_INFINITY)
                if reached(c):
                    hi = c
                    break
                lo = c
                step *= 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if reached(mid):
                hi = mid
            else:
                lo = mid
        return _from_ordinal(hi)

    def set(self, now, offset=None, rate=None, initial=False):
        rate = self.rate if rate is None else float(rate)
        current = self.local(now)
        start = current if offset is None else now + offset
        if not initial and start < current:
            raise ValueError('a host clock cannot go back')
        if start == now and rate == 1:
            self.skewed = False
            self.g0, self.l0, self.rate = 0.0, 0.0, 1.0
        else:
            self.skewed = True
            self.g0, self.l0, self.rate = now, start, rate
        for w in list(self.watchers):
            w()


def clock_of(host):
    clock = getattr(host, 'clock', None)
    if clock is None:
        clock = host.clock = HostClock()
    return clock


class HostSelector(net_twin.TwinSelector):
    """The twin's selector, world-driven: select() runs nothing, it collects."""

    def __init__(self):
        super().__init__()
        self.on_wake = None

    def _on_change(self, sock):
        self._candidates[sock] = None
        if self._ready_events(sock):
            self.woken = True
            if self.on_wake is not None:
                self.on_wake()

    def select(self, timeout=None):
        self.woken = False
        return self._collect()

    def has_ready_io(self):
        return any(self._ready_events(s) for s in self._candidates)


class HostLoop(net_twin.TwinLoop):
    def __init__(self):
        selector_events.BaseSelectorEventLoop.__init__(self, HostSelector())
        self._clock_resolution = 1e-09
        self._clock = clock_of(self._selector._host)

    def time(self):
        return self._clock.local(net_twin.WORLD.now)


def next_wake(loop):
    """aiosim's EventLoop._nextWake (in the host's time)."""
    now = loop.time()
    if loop._stopping or loop._ready or loop._selector.has_ready_io():
        return now
    if loop._scheduled:
        return max(loop._scheduled[0]._when, now)
    return math.inf


# Every process, and the loop and tasks of the crashed ones, kept alive: a generator or a
# coroutine collected would run its finally clauses (a crashed process runs none of its
# code again) and log 'Task was destroyed but it is pending!' whenever the collector
# runs, in the output of a later program.
GRAVEYARD = []


class Process:
    def __init__(self, sim, host, main, client):
        self.sim = sim
        self.host = host
        self.client = client
        self.crashed = False
        GRAVEYARD.append(self)
        self.token = 0
        self.state = 'scheduled'
        self.done = False
        self.result = None
        self.exception = None
        self.wake = math.inf
        self.gen = self.steps(main)
        clock_of(host).watchers.append(self.on_clock)
        self.schedule(net_twin.WORLD.now)

    def on_clock(self):
        if self.state == 'waiting' and self.wake != math.inf:
            self.wait(self.wake)

    def schedule(self, at, urgent=False):
        self.token += 1
        token = self.token
        self.state = 'scheduled'

        def turn():
            if token == self.token:
                self.turn()
        if urgent:
            self.sim.urgent.append(turn)
        else:
            net_twin.WORLD.schedule(at, turn)

    def woken(self):
        if self.state == 'waiting':
            self.schedule(net_twin.WORLD.now, True)

    def turn(self):
        self.state = 'running'
        previous = net_twin.NET.current
        previous_owner = net_twin.NET.current_owner
        net_twin.NET.current = self.host
        net_twin.NET.current_owner = self
        try:
            wake = next(self.gen)
        except StopIteration as stop:
            self.end(stop.value, None)
            return
        except BaseException as exc:
            self.end(None, exc)
            return
        finally:
            net_twin.NET.current = previous
            net_twin.NET.current_owner = previous_owner
        self.wait(wake)

    def wait(self, wake):
        clock = clock_of(self.host)
        now = net_twin.WORLD.now
        if wake <= clock.local(now):
            self.schedule(now)
            return
        self.wake = wake
        at = clock.global_at(wake, now) if clock.skewed and wake != math.inf else wake
        if at == math.inf:
            self.token += 1
            self.state = 'waiting'
        else:
            self.schedule(at)
            self.state = 'waiting'

    def kill(self):
        """aiosim's HostProcess._kill: as a crash, and the loop's descriptors are free."""
        if self.done:
            return
        self.crash()
        loop = getattr(self, 'loop', None)
        if loop is not None:
            loop._selector.close()
        net_twin.close_process_sockets(self.host, self)

    def crash(self):
        """aiosim's HostProcess._crash: it ends where it stands, nothing more runs."""
        if self.done:
            return
        self.crashed = True
        loop = getattr(self, 'loop', None)
        GRAVEYARD.append((self.gen, loop, asyncio.all_tasks(loop) if loop is not None else ()))
        self.end(None, None)

    @property
    def exitcode(self):
        if not self.done:
            return None
        return -9 if self.crashed else 0 if self.exception is None else 1

    def end(self, result, exc):
        clock_of(self.host).watchers.remove(self.on_clock)
        self.state = 'done'
        self.token += 1
        self.done = True
        self.result = result
        self.exception = exc

    def steps(self, main):
        coro = main()
        loop = HostLoop()
        loop._selector.on_wake = self.woken
        self.loop = loop
        task = loop.create_task(coro)
        task.add_done_callback(lambda fut: loop.stop())
        try:
            while True:
                events._set_running_loop(loop)
                try:
                    loop._run_once()
                finally:
                    events._set_running_loop(None)
                if loop._stopping:
                    break
                yield next_wake(loop)
            loop._stopping = False
            return task.result()
        finally:
            loop.close()


class Simulation:
    def __init__(self, seed=0):
        self.processes = []
        self.urgent = []
        self.next_address = 1
        net_twin.NET.seed = seed
        self.started = {}

    def add_host(self, name, ipv4=None, ipv6=(), offset=None, rate=None):
        if ipv4 is None:
            n = self.next_address
            self.next_address += 1
            ipv4, ipv6 = [f'10.0.0.{n}'], [f'fd00::{n:x}']
        host = net_twin.NET.add_host(name, ipv4, ipv6)
        if offset is not None or rate is not None:
            clock_of(host).set(net_twin.WORLD.now, offset, rate, initial=True)
        return host

    # Clocks (docs/network.md "Clocks"), as aiosim's Simulation.setClock sets them.
    def set_clock(self, name, offset=None, rate=None):
        clock_of(net_twin.NET.hosts[name]).set(net_twin.WORLD.now, offset, rate)

    def clock_time(self, name):
        return clock_of(net_twin.NET.hosts[name]).local(net_twin.WORLD.now)

    # Faults, by host names (net_twin's, as aiosim's Simulation sets them).
    def partition(self, a, b, one_way=False):
        net_twin.partition(a, b, one_way)

    def repair(self, a=None, b=None, one_way=False):
        net_twin.repair(a, b, one_way)

    def hold(self, a, b):
        net_twin.hold(a, b)

    def release(self, a, b):
        net_twin.release(a, b)

    def drop_datagrams(self, a, b, count=1):
        net_twin.drop_datagrams(a, b, count)

    def duplicate_datagrams(self, a, b, count=1):
        net_twin.duplicate_datagrams(a, b, count)

    # Link models (docs/network.md, "Link models").
    def set_latency(self, a, b, latency):
        net_twin.set_latency(a, b, latency)

    def set_bandwidth(self, a, b, bytes_per_second):
        net_twin.set_bandwidth(a, b, bytes_per_second)

    def set_datagram_faults(self, a, b, loss=0, duplicate=0):
        net_twin.set_datagram_faults(a, b, loss, duplicate)

    def delay_datagrams(self, a, b, seconds, count=1):
        net_twin.delay_datagrams(a, b, seconds, count)

    def reset(self, a, b):
        net_twin.reset_connections(a, b)

    # Crashes and restarts (docs/network.md, "Crashes and restarts"), as aiosim's.
    def crash(self, name):
        host = net_twin.NET.hosts[name]
        if host._down:
            return
        for p in self.processes:
            if p.host is host:
                p.crash()
        net_twin.crash_host(name)

    def kill(self, p):
        p.kill()

    def restart(self, name, main=None, client=None):
        last = self.started.get(name)
        run = main if main is not None else last[0]
        self.crash(name)
        net_twin.boot_host(name)
        return self._start(name, run, client if client is not None else last[1])

    def _start(self, name, main, client):
        host = net_twin.NET.hosts.get(name) or self.add_host(name)
        self.started[name] = (main, client)
        p = Process(self, host, main, client)
        self.processes.append(p)
        return p

    def host(self, name, main):
        return self._start(name, main, False)

    def client(self, name, main):
        return self._start(name, main, True)

    def run(self):
        world = net_twin.WORLD
        while not all(p.done for p in ([p for p in self.processes if p.client] or self.processes)):
            failed = [p for p in self.processes if p.exception is not None]
            if failed:
                raise failed[0].exception
            if self.urgent:
                self.urgent.pop(0)()
                continue
            if not world.events:
                raise net_twin.Stalled('the simulation stalled at t=%r' % world.now)
            time, _, fn = heapq.heappop(world.events)
            if time > world.now:
                world.now = time
            fn()
