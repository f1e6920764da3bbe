"""The Python twin of aiosim's simulated network (docs/network.md), for the CPython oracle.

CPython 3.13's own selector_events and base_events run unchanged over fake sockets and a
virtual selector that follow the same model as src/net/ with the same parameters: the
same fds, ports, deliveries at the same virtual times in the same order, the same
errors. Programs print the same lines on both sides.

What is adapted to pyodide, and why:
- pyodide's errno numbers are not Linux's (emscripten's), so OSError(111, ...) does not
  become ConnectionRefusedError there: the fake sockets raise the Linux subclasses
  explicitly, the errno module's constants are set to Linux's values, and
  BaseSelectorEventLoop._sock_connect_cb (the one place asyncio builds an OSError from an
  errno) is restated with Linux's errno-to-class mapping.
- the socket module lacks constants asyncio uses: they are set to Linux's values.
- the loop's self-pipe is the virtual selector's wake flag, as in aiosim.
"""
import asyncio
import concurrent.futures
import errno as _errno
import gc
import heapq
import ipaddress
import itertools
import logging
import math
import selectors
import socket as _socket
import sys
import time
import traceback
import warnings
from asyncio import selector_events

# ---- Linux's constants, errnos and texts ---------------------------------------------

CONSTANTS = dict(
    AF_UNIX=1, AF_INET=2, AF_INET6=10, AF_UNSPEC=0, SOCK_STREAM=1, SOCK_DGRAM=2, SOCK_RAW=3,
    IPPROTO_TCP=6, IPPROTO_UDP=17, SOL_SOCKET=1, SO_REUSEADDR=2, SO_ERROR=4, SO_SNDBUF=7,
    SO_RCVBUF=8, SO_KEEPALIVE=9, SO_REUSEPORT=15, TCP_NODELAY=1, SHUT_RD=0, SHUT_WR=1,
    SHUT_RDWR=2, SOMAXCONN=4096, AI_PASSIVE=1, IPPROTO_IPV6=41, IPV6_V6ONLY=26,
)
AF_UNIX, AF_INET, AF_INET6 = 1, 2, 10
SOCK_STREAM, SOCK_DGRAM, SOCK_RAW = 1, 2, 3
IPPROTO_TCP, IPPROTO_UDP = 6, 17
SOL_SOCKET, SO_REUSEADDR, SO_ERROR, SO_SNDBUF, SO_RCVBUF, SO_KEEPALIVE, SO_REUSEPORT = 1, 2, 4, 7, 8, 9, 15
TCP_NODELAY = 1
IPPROTO_IPV6, IPV6_V6ONLY = 41, 26
SHUT_RD, SHUT_WR = 0, 1
SOMAXCONN = 4096

EBADF, EAGAIN, EINVAL, EPIPE, EDESTADDRREQ, EMSGSIZE = 9, 11, 22, 32, 89, 90
EAFNOSUPPORT, EADDRINUSE, EADDRNOTAVAIL, ENETUNREACH, ECONNABORTED, ECONNRESET = 97, 98, 99, 101, 103, 104
EISCONN, ENOTCONN, ETIMEDOUT, ECONNREFUSED, EALREADY, EINPROGRESS = 106, 107, 110, 111, 114, 115
ENOMEM, ENFILE, EMFILE, ENOBUFS = 12, 23, 24, 105

TEXTS = {
    EBADF: 'Bad file descriptor', EAGAIN: 'Resource temporarily unavailable',
    EINVAL: 'Invalid argument', EPIPE: 'Broken pipe',
    EDESTADDRREQ: 'Destination address required', EMSGSIZE: 'Message too long',
    EAFNOSUPPORT: 'Address family not supported by protocol',
    EADDRINUSE: 'Address already in use', EADDRNOTAVAIL: 'Cannot assign requested address',
    ENETUNREACH: 'Network is unreachable', ECONNABORTED: 'Software caused connection abort',
    ECONNRESET: 'Connection reset by peer', EISCONN: 'Transport endpoint is already connected',
    ENOTCONN: 'Transport endpoint is not connected', ETIMEDOUT: 'Connection timed out',
    ECONNREFUSED: 'Connection refused', EALREADY: 'Operation already in progress',
    EINPROGRESS: 'Operation now in progress', ENOMEM: 'Cannot allocate memory',
    ENFILE: 'Too many open files in system', EMFILE: 'Too many open files', ENOBUFS: 'No buffer space available',
}
CLASSES = {
    EAGAIN: BlockingIOError, EALREADY: BlockingIOError, EINPROGRESS: BlockingIOError,
    EPIPE: BrokenPipeError, 108: BrokenPipeError, ECONNABORTED: ConnectionAbortedError,
    ECONNREFUSED: ConnectionRefusedError, ECONNRESET: ConnectionResetError, ETIMEDOUT: TimeoutError,
}
LINUX_ERRNO = dict(
    EBADF=EBADF, EAGAIN=EAGAIN, EWOULDBLOCK=EAGAIN, EINVAL=EINVAL, EPIPE=EPIPE, EMSGSIZE=EMSGSIZE,
    EADDRINUSE=EADDRINUSE, EADDRNOTAVAIL=EADDRNOTAVAIL, ECONNABORTED=ECONNABORTED,
    ECONNRESET=ECONNRESET, EISCONN=EISCONN, ENOTCONN=ENOTCONN, ETIMEDOUT=ETIMEDOUT,
    ECONNREFUSED=ECONNREFUSED, EALREADY=EALREADY, EINPROGRESS=EINPROGRESS,
    ENOMEM=ENOMEM, ENFILE=ENFILE, EMFILE=EMFILE, ENOBUFS=ENOBUFS,
)


def oserror(errno, text=None):
    """OSError(errno, text) as Linux's CPython makes it (the subclass of the errno)."""
    return CLASSES.get(errno, OSError)(errno, TEXTS.get(errno, 'Unknown error %d' % errno) if text is None else text)


class Stalled(RuntimeError):
    """The loop would wait forever."""


# ---- the world: one clock, the network's deliveries -----------------------------------

class World:
    def __init__(self):
        self.now = 0.0
        self.events = []
        self.seq = itertools.count()

    def schedule(self, time, fn):
        heapq.heappush(self.events, (max(time, self.now), next(self.seq), fn))

    def run_until(self, deadline, woken):
        """Run the deliveries due by `deadline` in order; True when one woke the selector."""
        while True:
            if woken():
                return True
            if not self.events or self.events[0][0] > deadline:
                return False
            time, _, fn = heapq.heappop(self.events)
            if time > self.now:
                self.now = time
            fn()


# ---- addresses, hosts, the network ---------------------------------------------------

def parse_ipv4(s):
    parts = s.split('.')
    if len(parts) != 4:
        return None
    for p in parts:
        if not p.isdigit() or (len(p) > 1 and p[0] == '0') or len(p) > 3 or int(p) > 255:
            return None
    return s


def parse_ipv6(s):
    # pyodide's inet_pton refuses AF_INET6 ("IPv6 is disabled"): ipaddress parses in Python.
    if not isinstance(s, str) or '%' in s:
        return None
    try:
        return str(ipaddress.IPv6Address(s))
    except ValueError:
        return None


_real_inet_pton = _socket.inet_pton


def inet_pton(af, s):
    """socket.inet_pton with AF_INET6 (which pyodide disables), as Linux's."""
    if af == AF_INET6:
        try:
            return ipaddress.IPv6Address(s).packed
        except ValueError:
            raise OSError('illegal IP address string passed to inet_pton') from None
    return _real_inet_pton(af, s)


def is_loopback(a):
    return a == '::1' or a.startswith('127.')


def is_wildcard(a):
    return a in ('0.0.0.0', '::')


def wildcard_of(v6):
    return '::' if v6 else '0.0.0.0'


EPHEMERAL_FIRST, EPHEMERAL_LAST = 32768, 60999


class Host:
    def __init__(self, name, ipv4, ipv6):
        self.name, self.ipv4, self.ipv6 = name, list(ipv4), list(ipv6)
        self.next_fd = 3
        self.free_fds = []
        self.fds = {}
        self.next_port = EPHEMERAL_FIRST
        self.ports = {}
        self._down = False
        self._waiting = []

    def sockets(self):
        """Host._sockets: with a descriptor in ascending order, then by port only."""
        found = {}
        for fd in sorted(self.fds):
            if self.fds[fd] is not None:
                found[self.fds[fd]] = None
        for users in self.ports.values():
            for s in users:
                found[s] = None
        return list(found)

    def reboot(self):
        self.next_fd = 3
        self.free_fds = []
        self.fds = {}
        self.next_port = EPHEMERAL_FIRST
        self.ports = {}

    def alloc_fd(self, owner):
        fd = heapq.heappop(self.free_fds) if self.free_fds else self.next_fd
        if fd == self.next_fd:
            self.next_fd += 1
        self.fds[fd] = owner
        return fd

    def free_fd(self, fd):
        if fd in self.fds:
            del self.fds[fd]
            heapq.heappush(self.free_fds, fd)

    def socket_at(self, fd):
        return self.fds.get(fd)

    def owns(self, a):
        return is_loopback(a) or a in self.ipv4 or a in self.ipv6

    def source_for(self, dest, v6):
        if is_loopback(dest):
            return '::1' if v6 else '127.0.0.1'
        addrs = self.ipv6 if v6 else self.ipv4
        return addrs[0] if addrs else None

    def port_users(self, type, port):
        return self.ports.get((type, port))

    def use_port(self, sock, port):
        self.ports.setdefault((sock.type, port), {})[sock] = None

    def release_port(self, sock, port):
        users = self.ports.get((sock.type, port))
        if users is None:
            return
        users.pop(sock, None)
        if not users:
            del self.ports[(sock.type, port)]

    def ephemeral_port(self, type):
        for _ in range(EPHEMERAL_LAST - EPHEMERAL_FIRST + 1):
            port = self.next_port
            self.next_port = EPHEMERAL_FIRST if port == EPHEMERAL_LAST else port + 1
            if (type, port) not in self.ports:
                return port
        return None


class Link:
    """One direction of a link and its faults (src/net/link-faults.ts)."""

    def __init__(self):
        self.partitioned = False
        self.held = False
        self.queue = []
        self.drop = 0
        self.duplicate = 0

    def flush(self):
        if self.partitioned or self.held:
            return
        queue, self.queue = self.queue, []
        for fn in queue:
            fn()


def mulberry32(seed):
    """src/runtime/mulberry32.ts: floats in [0, 1), k / 2**32."""
    a = seed & 0xFFFFFFFF

    def imul(x, y):
        return (x * y) & 0xFFFFFFFF

    def random():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = a
        t = imul(t ^ (t >> 15), t | 1)
        t = (t ^ ((t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296
    return random


class LinkModel:
    """A link's model (src/net/link-model.ts): latency range, bandwidth, loss."""

    def __init__(self):
        self.latency = None  # (min, max)
        self.bandwidth = math.inf
        self.loss = 0
        self.duplicate = 0
        self.busy_until = 0
        self.last_ordered = 0
        self.delays = []

    def departure(self, now, nbytes):
        if self.bandwidth == math.inf:
            return now
        self.busy_until = max(now, self.busy_until) + nbytes / self.bandwidth
        return self.busy_until


class Network:
    def __init__(self, world, latency=0.001, loopback_latency=0):
        self.world = world
        self.latency = latency
        self.loopback_latency = loopback_latency
        self.pairs = {}
        self.default_host = Host('localhost', [], [])
        self.hosts = {'localhost': self.default_host}
        self.by_address = {}
        self.current = self.default_host
        # The process running now (hosts_twin's), which owns the sockets it opens.
        self.current_owner = None
        self.links = {}
        self.models = {}
        self.seed = 0
        self._random = None

    def add_host(self, name, ipv4, ipv6=()):
        host = Host(name, ipv4, ipv6)
        self.hosts[name] = host
        for a in [*ipv4, *ipv6]:
            self.by_address[a] = host
        return host

    def route(self, frm, addr):
        return frm if is_loopback(addr) else self.by_address.get(addr)

    def resolve(self, name):
        if name == 'localhost':
            return ['127.0.0.1']
        host = self.hosts.get(name)
        return None if host is None else [*host.ipv4, *host.ipv6]

    def set_latency(self, a, b, seconds):
        self.pairs[frozenset((a.name, b.name))] = seconds

    def latency_between(self, a, b):
        if a is b:
            return self.loopback_latency
        return self.pairs.get(frozenset((a.name, b.name)), self.latency)

    # ---- faults (docs/network.md, "Faults"): the same as src/net/network.ts ----

    def deliver(self, frm, to, fn, nbytes=0):
        """A reliable packet (TCP's): across a partition it waits for the repair."""
        self.world.schedule(self._ordered(frm, to, nbytes),
                            lambda: self._arrive(frm, to, fn, False, None))

    def deliver_lossy(self, frm, to, fn, lost=None):
        """A SYN or an ICMP error: a partition loses it (then `lost` runs)."""
        self.world.schedule(self._ordered(frm, to, 0),
                            lambda: self._arrive(frm, to, fn, True, lost))

    def deliver_datagram(self, frm, to, fn, nbytes=0):
        model = self.models.get((frm.name, to.name))
        sent = self.world.now if model is None else model.departure(self.world.now, nbytes)
        link = self.links.get((frm.name, to.name))
        if link is not None and link.drop > 0:
            link.drop -= 1
            return
        twice = link is not None and link.duplicate > 0
        if twice:
            link.duplicate -= 1
        time = sent + self.latency_between(frm, to)
        if model is not None:
            fate = 0
            if not twice and (model.loss > 0 or model.duplicate > 0):
                r = self._draw()
                fate = 1 if r < model.loss else 2 if r < model.loss + model.duplicate else 0
            if fate == 1:
                return
            twice = twice or fate == 2
            extra = model.delays.pop(0) if model.delays else 0
            time = sent + self._latency(frm, to, model) + extra
        self.world.schedule(time, lambda: self._arrive(frm, to, fn, True, None))
        if twice:
            self.world.schedule(time, lambda: self._arrive(frm, to, fn, True, None))

    def _draw(self):
        if self._random is None:
            self._random = mulberry32(self.seed)
        return self._random()

    def _ordered(self, frm, to, nbytes):
        model = self.models.get((frm.name, to.name))
        if model is None:
            return self.world.now + self.latency_between(frm, to)
        time = max(model.departure(self.world.now, nbytes) + self._latency(frm, to, model), model.last_ordered)
        model.last_ordered = time
        return time

    def _latency(self, frm, to, model):
        if model.latency is None:
            return self.latency_between(frm, to)
        lo, hi = model.latency
        return lo if lo == hi else lo + (hi - lo) * self._draw()

    def model(self, frm, to):
        return self.models.setdefault((frm.name, to.name), LinkModel())

    def delay_datagrams(self, frm, to, seconds, count):
        self.model(frm, to).delays.extend([seconds] * count)

    def _nominal(self, frm, to):
        model = self.models.get((frm.name, to.name))
        if model is not None and model.latency is not None:
            return model.latency[0]
        return self.latency_between(frm, to)

    def _arrive(self, frm, to, fn, lossy, lost):
        link = self.links.get((frm.name, to.name))
        if link is None:
            self._reach(frm, to, fn, lossy, lost)
        elif link.partitioned and lossy:
            if lost is not None:
                lost()
        elif link.partitioned or link.held or link.queue:
            link.queue.append(lambda: self._reach(frm, to, fn, lossy, lost))
        else:
            self._reach(frm, to, fn, lossy, lost)

    def _reach(self, frm, to, fn, lossy, lost):
        # A crashed host (docs/network.md, "Crashes and restarts"): TCP's packets wait
        # for its restart, the lossy ones are lost.
        if not to._down:
            fn()
        elif lossy:
            if lost is not None:
                lost()
        else:
            to._waiting.append((frm, fn))

    def crashed(self, host):
        host._down = True
        for (frm, _), link in self.links.items():
            if link.partitioned and frm == host.name:
                link.queue = []
        for other in self.hosts.values():
            if other._waiting:
                other._waiting = [(f, fn) for f, fn in other._waiting if f is not host]

    def booted(self, host):
        host._down = False
        waiting, host._waiting = host._waiting, []
        for frm, fn in waiting:
            self.deliver(frm, host, fn)

    def _link(self, frm, to):
        return self.links.setdefault((frm.name, to.name), Link())

    def partition(self, frm, to):
        self._link(frm, to).partitioned = True

    def repair(self, frm, to):
        link = self.links.get((frm.name, to.name))
        if link is None or not link.partitioned:
            return
        link.partitioned = False
        self.at(self.world.now + self._nominal(frm, to), link.flush)

    def hold(self, frm, to):
        self._link(frm, to).held = True

    def release(self, frm, to):
        link = self.links.get((frm.name, to.name))
        if link is None or not link.held:
            return
        link.held = False
        self.at(self.world.now, link.flush)

    def drop_datagrams(self, frm, to, count):
        self._link(frm, to).drop += count

    def duplicate_datagrams(self, frm, to, count):
        self._link(frm, to).duplicate += count

    def at(self, time, fn):
        self.world.schedule(time, fn)


WORLD = World()
NET = Network(WORLD)


# ---- faults by host names, as aiosim's Simulation sets them --------------------------

def _hosts(group):
    names = [group] if isinstance(group, str) else list(group)
    return [NET.hosts[n] for n in names]


def _links(a, b, one_way):
    links = [(f, t) for f in _hosts(a) for t in _hosts(b)]
    if not one_way:
        links += [(f, t) for f in _hosts(b) for t in _hosts(a)]
    return links


def partition(a, b, one_way=False):
    for f, t in _links(a, b, one_way):
        NET.partition(f, t)


def repair(a=None, b=None, one_way=False):
    if a is None or b is None:
        for f in list(NET.hosts.values()):
            for t in list(NET.hosts.values()):
                NET.repair(f, t)
        return
    for f, t in _links(a, b, one_way):
        NET.repair(f, t)


def hold(a, b):
    NET.hold(NET.hosts[a], NET.hosts[b])


def release(a, b):
    NET.release(NET.hosts[a], NET.hosts[b])


def drop_datagrams(a, b, count=1):
    NET.drop_datagrams(NET.hosts[a], NET.hosts[b], count)


def duplicate_datagrams(a, b, count=1):
    NET.duplicate_datagrams(NET.hosts[a], NET.hosts[b], count)


def _both_ways(a, b):
    ha, hb = NET.hosts[a], NET.hosts[b]
    return [(ha, ha)] if ha is hb else [(ha, hb), (hb, ha)]


def set_latency(a, b, latency):
    """A number of seconds, or a (min, max) range drawn per message."""
    if isinstance(latency, tuple):
        for f, t in _both_ways(a, b):
            NET.model(f, t).latency = latency
    else:
        NET.set_latency(NET.hosts[a], NET.hosts[b], latency)


def set_bandwidth(a, b, bytes_per_second):
    for f, t in _both_ways(a, b):
        NET.model(f, t).bandwidth = math.inf if bytes_per_second is None else bytes_per_second


def set_datagram_faults(a, b, loss=0, duplicate=0):
    for f, t in _both_ways(a, b):
        m = NET.model(f, t)
        m.loss, m.duplicate = loss, duplicate


def delay_datagrams(a, b, seconds, count=1):
    NET.delay_datagrams(NET.hosts[a], NET.hosts[b], seconds, count)


def set_loopback_model(model):
    """The scenario language's loopback model (test/scenario/language.ts, LoopbackModel)."""
    if not model:
        return
    NET.seed = model['seed']
    h = NET.default_host
    m = NET.model(h, h)
    if 'latency' in model:
        m.latency = tuple(model['latency'])
    m.bandwidth = model.get('bandwidth', math.inf)
    m.loss = model.get('loss', 0)
    m.duplicate = model.get('duplicate', 0)


def crash_host(name):
    """src/net/host-faults.ts crashHost: every socket vanishes, silently."""
    host = NET.hosts[name]
    if host._down:
        return
    for s in host.sockets():
        s._closed = True
        s._vanished = True
        s._watcher = None
    host.reboot()
    NET.crashed(host)


def boot_host(name):
    host = NET.hosts[name]
    if host._down:
        NET.booted(host)


def close_process_sockets(host, owner):
    """src/net/host-faults.ts closeProcessSockets: the kernel closes a killed process's sockets."""
    for s in host.sockets():
        if s._owner is owner and s._fd >= 0:
            s.close()


def _end_to(s, peer_host):
    if s._type != SOCK_STREAM or s._family == AF_UNIX or s._state != CONNECTED:
        return False
    peer = s._peer
    return peer is not None and peer._peer is s and peer._host is peer_host


def reset_connections(a, b):
    """src/net/host-faults.ts resetConnections: a RST to each end, now."""
    ha, hb = NET.hosts[a], NET.hosts[b]
    pairs = [(ha, ha)] if ha is hb else [(ha, hb), (hb, ha)]
    ends = [s for here, there in pairs for s in here.sockets() if _end_to(s, there)]
    for s in ends:
        NET.at(WORLD.now, lambda s=s: _rst_arrives(s))


def reset(latency=0.001, loopback_latency=0, world=None):
    global WORLD, NET
    WORLD = World() if world is None else world
    NET = Network(WORLD, latency, loopback_latency)


class SimWorld:
    """The world when virtual_threads.py simulates threads too (native CPython): one queue
    of events, its SIM's, holding threads' steps and deliveries in one FIFO order, as
    aiosim's world holds both."""

    def __init__(self, sim):
        self.sim = sim

    @property
    def now(self):
        return self.sim.now

    @now.setter
    def now(self, t):
        self.sim.now = t

    @property
    def events(self):
        return self.sim.events

    def schedule(self, time, fn):
        self.sim.schedule(time, fn)

    def run_until(self, deadline, woken):
        return self.sim.run_until(deadline, woken)


# ---- sockets ---------------------------------------------------------------------------

FRESH, CONNECTING, CONNECTED, LISTENING, DONE = range(5)
DEFAULT_BUFFER_SIZE = 65536
SYN_RETRIES = 6


def parse_sockaddr(sock, address, op):
    v6 = sock.family == AF_INET6
    if not isinstance(address, tuple):
        raise TypeError('%s address must be tuple, not %s' % ('AF_INET6' if v6 else 'AF_INET', type(address).__name__))
    host, port = address[0], address[1]
    if host == '':
        return wildcard_of(v6), port
    literal = parse_ipv6(host) if v6 else parse_ipv4(host)
    if literal is not None:
        return literal, port
    if (parse_ipv4(host) if v6 else parse_ipv6(host)) is not None:
        raise _socket.gaierror(-9, 'Address family for hostname not supported')
    for a in NET.resolve(host) or ():
        if (parse_ipv6(a) if v6 else parse_ipv4(a)) is not None:
            return a, port
    raise _socket.gaierror(-2, 'Name or service not known')


def find_bound(host, type, family, addr, port):
    users = host.port_users(type, port)
    if not users:
        return None
    wildcard = None
    for u in users:
        if u.family != family or u._closed:
            continue
        if type == SOCK_STREAM and u._state != LISTENING:
            continue
        if u._local_addr == addr:
            return u
        if wildcard is None and is_wildcard(u._local_addr):
            wildcard = u
    return wildcard


class FakeSocket:
    def __init__(self, family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None, _on=None):
        if family not in (AF_INET, AF_INET6, AF_UNIX):
            raise oserror(EAFNOSUPPORT)
        if type not in (SOCK_STREAM, SOCK_DGRAM):
            raise oserror(EINVAL)
        self._family, self._type, self._proto = family, type, proto
        self._host = _on if _on is not None else NET.current
        self._owner = NET.current_owner
        self._fd = -1
        self._closed = False
        self._vanished = False
        self._timeout = None
        self._reuse_addr = False
        self._reuse_port = 0
        self._nodelay = 0
        self._keepalive = 0
        self._v6only = 0
        self._sndbuf = self._rcvbuf = DEFAULT_BUFFER_SIZE
        self._local_addr = ''
        self._local_port = 0
        self._remote_addr = None
        self._remote_port = 0
        self._err = 0
        self._state = FRESH
        self._rx = None
        self._rx_offset = 0
        self._rx_bytes = 0
        self._fin = self._rd_shut = self._wr_shut = False
        self._peer = None
        self._capacity = self._in_pipe = 0
        self._attempt = 0
        self._syn_first = 0
        self._backlog = 0
        self._accept_queue = None
        self._pending = 0
        self._listener = None
        self._queued = False
        self._dgrams = None
        self._dgram_bytes = 0
        self._watcher = None
        if _on is None:
            self._fd = self._host.alloc_fd(self)

    family = property(lambda self: self._family)
    type = property(lambda self: self._type)
    proto = property(lambda self: self._proto)

    def _spawn(self):
        conn = FakeSocket(self._family, self._type, self._proto, _on=self._host)
        conn._reuse_addr = self._reuse_addr
        conn._owner = self._owner
        conn._listener = self
        return conn

    def fileno(self):
        return self._fd

    def _check(self):
        if self._closed:
            raise oserror(EBADF)

    def _would_block(self, what, errno=EAGAIN):
        if self._timeout == 0:
            raise oserror(errno)
        raise RuntimeError('aiosim: blocking socket calls are not simulated (%s would block): call setblocking(false)' % what)

    def _changed(self):
        if self._watcher is not None:
            self._watcher(self)

    def _readable(self):
        if self._closed:
            return False
        if self._type == SOCK_STREAM:
            if self._state == LISTENING:
                return len(self._accept_queue) > 0
            return self._rx_bytes > 0 or self._fin or self._rd_shut or self._err != 0 or self._state == DONE
        return self._err != 0 or bool(self._dgrams)

    def _writable(self):
        if self._closed:
            return False
        if self._type != SOCK_STREAM:
            return True
        if self._err != 0 or self._state == DONE:
            return True
        return self._state == CONNECTED and (self._wr_shut or self._in_pipe < self._capacity)

    # -- binding
    def bind(self, address):
        self._check()
        addr, port = parse_sockaddr(self, address, 'bind')
        if self._local_port != 0:
            raise oserror(EINVAL)
        if not is_wildcard(addr) and not self._host.owns(addr):
            raise oserror(EADDRNOTAVAIL)
        self._bind_to(addr, port)

    def _bind_to(self, addr, port):
        if port == 0:
            port = self._host.ephemeral_port(self._type)
            if port is None:
                raise oserror(EADDRINUSE)
        elif self._conflicts(addr, port):
            raise oserror(EADDRINUSE)
        self._local_addr, self._local_port = addr, port
        self._host.use_port(self, port)

    def _autobind(self):
        if self._local_port == 0:
            self._bind_to(wildcard_of(self._family == AF_INET6), 0)

    def _conflicts(self, addr, port):
        for u in self._host.port_users(self._type, port) or ():
            if u.family != self._family:
                continue
            if u._local_addr != addr and not is_wildcard(u._local_addr) and not is_wildcard(addr):
                continue
            shared = self._reuse_addr and u._reuse_addr and (self._type == SOCK_DGRAM or u._state != LISTENING)
            if not shared:
                return True
        return False

    # -- streams
    def listen(self, backlog=min(SOMAXCONN, 128)):
        self._check()
        if self._type != SOCK_STREAM:
            raise OSError(95, 'Operation not supported')
        if self._state not in (FRESH, LISTENING):
            raise oserror(EINVAL)
        self._autobind()
        self._backlog = min(max(backlog, 0), SOMAXCONN)
        if self._accept_queue is None:
            self._accept_queue = []
        self._state = LISTENING

    def accept(self):
        self._check()
        if self._state != LISTENING:
            raise oserror(EINVAL)
        if not self._accept_queue:
            self._would_block('accept')
        conn = self._accept_queue.pop(0)
        self._pending -= 1
        conn._listener = None
        conn._queued = False
        conn._fd = self._host.alloc_fd(conn)
        if conn._family == AF_INET6:
            return conn, (conn._remote_addr, conn._remote_port, 0, 0)
        return conn, (conn._remote_addr, conn._remote_port)

    def connect(self, address):
        self._check()
        addr, port = parse_sockaddr(self, address, 'connect')
        if self._type == SOCK_STREAM:
            tcp_connect(self, addr, port)
        else:
            udp_connect(self, addr, port)

    def connect_ex(self, address):
        try:
            self.connect(address)
            return 0
        except OSError as e:
            if e.errno is not None:
                return e.errno
            raise

    def send(self, data, flags=0):
        self._check()
        data = bytes(data)
        return tcp_send(self, data) if self._type == SOCK_STREAM else udp_send(self, data)

    def sendmsg(self, buffers, ancdata=(), flags=0, address=None):
        self._check()
        data = b''.join(bytes(b) for b in buffers)
        if self._type == SOCK_STREAM:
            return tcp_send(self, data)
        if address is None:
            return udp_send(self, data)
        addr, port = parse_sockaddr(self, address, 'sendmsg')
        return udp_sendto(self, data, addr, port)

    def sendto(self, data, flags_or_address, address=None):
        self._check()
        to = address if isinstance(flags_or_address, int) else flags_or_address
        addr, port = parse_sockaddr(self, to, 'sendto')
        return udp_sendto(self, bytes(data), addr, port)

    def recv(self, bufsize, flags=0):
        self._check()
        if bufsize < 0:
            raise ValueError('negative buffersize in recv')
        return tcp_recv(self, bufsize) if self._type == SOCK_STREAM else udp_recvfrom(self, bufsize)[0]

    def recv_into(self, buffer, nbytes=0, flags=0):
        if nbytes < 0:
            raise ValueError('negative buffersize in recv_into')
        view = memoryview(buffer).cast('B')
        if nbytes > len(view):
            raise ValueError('buffer too small for requested bytes')
        data = self.recv(nbytes or len(view))
        view[:len(data)] = data
        return len(data)

    def recvfrom_into(self, buffer, nbytes=0, flags=0):
        if nbytes < 0:
            raise ValueError('negative buffersize in recvfrom_into')
        view = memoryview(buffer).cast('B')
        if nbytes > len(view):
            raise ValueError('nbytes is greater than the length of the buffer')
        data, address = self.recvfrom(nbytes or len(view))
        view[:len(data)] = data
        return len(data), address

    def recvfrom(self, bufsize, flags=0):
        self._check()
        if bufsize < 0:
            raise ValueError('negative buffersize in recvfrom')
        if self._type == SOCK_STREAM:
            return tcp_recv(self, bufsize), self.getpeername()
        return udp_recvfrom(self, bufsize)

    def shutdown(self, how):
        self._check()
        if how not in (0, 1, 2):
            raise oserror(EINVAL)
        if self._type == SOCK_STREAM:
            tcp_shutdown(self, how)
        elif self._remote_addr is None:
            raise oserror(ENOTCONN)

    def close(self):
        if self._closed:
            return
        self._closed = True
        if self._type == SOCK_STREAM:
            tcp_release(self)
        else:
            self._dgrams = None
            self._dgram_bytes = 0
        if self._local_port != 0:
            self._host.release_port(self, self._local_port)
        if self._fd >= 0:
            self._host.free_fd(self._fd)
        self._fd = -1
        self._changed()

    def detach(self):
        raise NotImplementedError('aiosim: detach')

    # -- names and options
    def getsockname(self):
        self._check()
        if self._family == AF_UNIX:
            return ''
        addr = wildcard_of(self._family == AF_INET6) if self._local_port == 0 else self._local_addr
        return (addr, self._local_port, 0, 0) if self._family == AF_INET6 else (addr, self._local_port)

    def getpeername(self):
        self._check()
        connected = self._type == SOCK_DGRAM or self._state == CONNECTED
        if self._remote_addr is None or not connected:
            raise oserror(ENOTCONN)
        if self._family == AF_UNIX:
            return ''
        if self._family == AF_INET6:
            return (self._remote_addr, self._remote_port, 0, 0)
        return (self._remote_addr, self._remote_port)

    def getsockopt(self, level, option, buflen=None):
        self._check()
        if level == SOL_SOCKET:
            if option == SO_ERROR:
                err, self._err = self._err, 0
                return err
            if option == SO_REUSEADDR:
                return 1 if self._reuse_addr else 0
            if option == SO_REUSEPORT:
                return self._reuse_port
            if option == SO_KEEPALIVE:
                return self._keepalive
            if option == SO_SNDBUF:
                return self._sndbuf
            if option == SO_RCVBUF:
                return self._rcvbuf
        elif level == IPPROTO_TCP and option == TCP_NODELAY and self._type == SOCK_STREAM:
            return self._nodelay
        elif level == IPPROTO_IPV6 and option == IPV6_V6ONLY and self._family == AF_INET6:
            return self._v6only
        raise OSError(92, 'Protocol not available')

    def setsockopt(self, level, option, value, optlen=None):
        self._check()
        v = int(value)
        if level == SOL_SOCKET:
            if option == SO_REUSEADDR:
                self._reuse_addr = v != 0
                return
            if option == SO_REUSEPORT:
                self._reuse_port = v
                return
            if option == SO_KEEPALIVE:
                self._keepalive = v
                return
            if option == SO_SNDBUF:
                self._sndbuf = v
                return
            if option == SO_RCVBUF:
                self._rcvbuf = v
                return
        elif level == IPPROTO_TCP and option == TCP_NODELAY and self._type == SOCK_STREAM:
            self._nodelay = v
            return
        elif level == IPPROTO_IPV6 and option == IPV6_V6ONLY and self._family == AF_INET6:
            self._v6only = v
            return
        raise OSError(92, 'Protocol not available')

    def setblocking(self, flag):
        self._check()
        self._timeout = None if flag else 0.0

    def getblocking(self):
        return self._timeout != 0

    def gettimeout(self):
        return self._timeout

    def settimeout(self, value):
        self._check()
        self._timeout = value

    def __repr__(self):
        s = '<socket.socket%s fd=%i, family=%s, type=%s, proto=%i' % (
            ' [closed]' if self._closed else '', self._fd, self._family, self._type, self._proto)
        if not self._closed:
            laddr = self.getsockname()
            if laddr:
                s += ', laddr=%s' % str(laddr)
            try:
                raddr = self.getpeername()
                if raddr:
                    s += ', raddr=%s' % str(raddr)
            except OSError:
                pass
        return s + '>'

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()


# ---- TCP (src/net/tcp.ts) ---------------------------------------------------------------

def _raise_pending(s):
    err = s._err
    if err:
        s._err = 0
        raise oserror(err)


def tcp_connect(s, addr, port):
    if s._state == CONNECTING:
        raise oserror(EALREADY)
    if s._state in (CONNECTED, LISTENING):
        raise oserror(EISCONN)
    v6 = s._family == AF_INET6
    if is_wildcard(addr):
        addr = '::1' if v6 else '127.0.0.1'
    source = s._host.source_for(addr, v6)
    if source is None:
        raise oserror(ENETUNREACH)
    if s._local_port == 0:
        s._bind_to(source, 0)
    elif is_wildcard(s._local_addr):
        s._local_addr = source
    s._remote_addr, s._remote_port = addr, port
    s._state = CONNECTING
    s._err = 0
    s._attempt += 1
    s._syn_first = WORLD.now
    _send_syn(s, s._attempt, 0)
    s._would_block('connect', EINPROGRESS)


def _still_connecting(c, attempt):
    return not c._closed and c._attempt == attempt and c._state == CONNECTING


def _send_syn(c, attempt, tries):
    dest = NET.route(c._host, c._remote_addr)
    if dest is None:
        _syn_lost(c, attempt, tries)
    else:
        NET.deliver_lossy(c._host, dest, lambda: _syn_arrives(c, attempt, dest, tries),
                          lambda: _syn_lost(c, attempt, tries))


def _syn_arrives(c, attempt, dest, tries):
    listener = find_bound(dest, SOCK_STREAM, c._family, c._remote_addr, c._remote_port)
    if listener is None:
        NET.deliver(dest, c._host, lambda: _refused(c, attempt))
        return
    if listener._pending > listener._backlog:
        _syn_lost(c, attempt, tries)
        return
    conn = listener._spawn()
    listener._pending += 1
    conn._local_addr, conn._local_port = c._remote_addr, c._remote_port
    dest.use_port(conn, conn._local_port)
    conn._remote_addr, conn._remote_port = c._local_addr, c._local_port
    conn._state = CONNECTED
    conn._peer = c
    conn._capacity = conn._sndbuf + c._rcvbuf
    NET.deliver(dest, c._host, lambda: _syn_ack_arrives(c, attempt, conn))


def _syn_ack_arrives(c, attempt, conn):
    if not _still_connecting(c, attempt):
        NET.deliver(c._host, conn._host, lambda: _rst_arrives(conn))
        return
    c._state = CONNECTED
    c._peer = conn
    c._capacity = c._sndbuf + conn._rcvbuf
    c._in_pipe = 0
    c._changed()
    NET.deliver(c._host, conn._host, lambda: _ack_arrives(conn))


def _ack_arrives(conn):
    listener = conn._listener
    if listener is None or conn._state != CONNECTED:
        return
    if listener._closed or listener._state != LISTENING:
        _abort(conn)
        return
    conn._queued = True
    listener._accept_queue.append(conn)
    listener._changed()


def _refused(c, attempt):
    if not _still_connecting(c, attempt):
        return
    c._err = ECONNREFUSED
    c._state = DONE
    c._changed()


def _syn_lost(c, attempt, tries):
    nxt = tries + 1

    def retry():
        if not _still_connecting(c, attempt):
            return
        if nxt <= SYN_RETRIES:
            _send_syn(c, attempt, nxt)
            return
        c._err = ETIMEDOUT
        c._state = DONE
        c._changed()
    NET.at(c._syn_first + 2 ** nxt - 1, retry)


def tcp_send(s, data):
    _raise_pending(s)
    if s._state == CONNECTING:
        s._would_block('send')
    if s._state != CONNECTED or s._wr_shut:
        raise oserror(EPIPE)
    if not data:
        return 0
    n = min(len(data), s._capacity - s._in_pipe)
    if n <= 0:
        s._would_block('send')
    segment = data[:n]
    s._in_pipe += n
    peer = s._peer
    NET.deliver(s._host, peer._host, lambda: _segment_arrives(peer, segment, s), n)
    return n


def _segment_arrives(r, segment, frm):
    if r._closed:
        NET.deliver(r._host, frm._host, lambda: _rst_arrives(frm))
        return
    if r._state != CONNECTED or r._rd_shut:
        return
    if r._rx is None:
        r._rx = []
    r._rx.append(segment)
    r._rx_bytes += len(segment)
    r._changed()


def tcp_recv(s, n):
    if s._state in (FRESH, LISTENING):
        raise oserror(ENOTCONN)
    if s._rx_bytes > 0:
        return b'' if n == 0 else _take(s, n)
    if s._fin or s._rd_shut:
        return b''
    _raise_pending(s)
    if s._state == DONE:
        return b''
    s._would_block('recv')


def _take(s, n):
    want = min(n, s._rx_bytes)
    out = bytearray()
    while len(out) < want:
        head = s._rx[0]
        k = min(len(head) - s._rx_offset, want - len(out))
        out += head[s._rx_offset:s._rx_offset + k]
        s._rx_offset += k
        if s._rx_offset == len(head):
            s._rx.pop(0)
            s._rx_offset = 0
    s._rx_bytes -= want
    peer = s._peer
    if peer is not None:
        NET.deliver(s._host, peer._host, lambda: _window_arrives(peer, want))
    return bytes(out)


def _answer_vanished(r):
    peer = r._peer
    if peer is not None:
        NET.deliver(r._host, peer._host, lambda: _rst_arrives(peer))


def _window_arrives(s, freed):
    if s._vanished:
        _answer_vanished(s)
        return
    s._in_pipe -= freed
    if not s._closed:
        s._changed()


def tcp_shutdown(s, how):
    if s._state in (FRESH, CONNECTING):
        raise oserror(ENOTCONN)
    if s._state != CONNECTED:
        return
    if how != SHUT_WR:
        s._rd_shut = True
    if how != SHUT_RD:
        _send_fin(s)
    s._changed()


def _send_fin(s):
    if s._wr_shut:
        return
    s._wr_shut = True
    peer = s._peer
    NET.deliver(s._host, peer._host, lambda: _fin_arrives(peer))


def _fin_arrives(r):
    if r._vanished:
        _answer_vanished(r)
        return
    if r._closed or r._state != CONNECTED:
        return
    r._fin = True
    r._changed()


def _rst_arrives(r):
    if r._closed or r._state != CONNECTED:
        return
    r._err = EPIPE if r._fin else ECONNRESET
    r._state = DONE
    listener = r._listener
    if listener is not None and not r._queued:
        listener._pending -= 1
        r._listener = None
        r._host.release_port(r, r._local_port)
    r._changed()


def _abort(conn):
    conn._closed = True
    conn._host.release_port(conn, conn._local_port)
    peer = conn._peer
    NET.deliver(conn._host, peer._host, lambda: _rst_arrives(peer))


def tcp_release(s):
    if s._state == LISTENING:
        queue, s._accept_queue = s._accept_queue, []
        for conn in queue:
            _abort(conn)
        return
    if s._state != CONNECTED:
        return
    if s._rx_bytes > 0:
        peer = s._peer
        NET.deliver(s._host, peer._host, lambda: _rst_arrives(peer))
    else:
        _send_fin(s)


# ---- UDP (src/net/udp.ts) ------------------------------------------------------------------

def udp_connect(s, addr, port):
    v6 = s._family == AF_INET6
    if is_wildcard(addr):
        addr = '::1' if v6 else '127.0.0.1'
    source = s._host.source_for(addr, v6)
    if source is None:
        raise oserror(ENETUNREACH)
    if s._local_port == 0:
        s._bind_to(source, 0)
    elif is_wildcard(s._local_addr):
        s._local_addr = source
    s._remote_addr, s._remote_port = addr, port


def udp_send(s, data):
    if s._remote_addr is None:
        _raise_pending(s)
        raise oserror(EDESTADDRREQ)
    return udp_sendto(s, data, s._remote_addr, s._remote_port)


def udp_sendto(s, data, addr, port):
    _raise_pending(s)
    v6 = s._family == AF_INET6
    if len(data) > (65527 if v6 else 65507):
        raise oserror(EMSGSIZE)
    if is_wildcard(addr):
        addr = '::1' if v6 else '127.0.0.1'
    s._autobind()
    source = s._host.source_for(addr, v6) if is_wildcard(s._local_addr) else s._local_addr
    dest = NET.route(s._host, addr)
    if dest is None or source is None:
        return len(data)
    frm = (source, s._local_port, 0, 0) if v6 else (source, s._local_port)
    NET.deliver_datagram(s._host, dest, lambda: _datagram_arrives(dest, addr, port, data, frm, s), len(data))
    return len(data)


def _datagram_arrives(host, addr, port, data, frm, sender):
    r = find_bound(host, SOCK_DGRAM, sender._family, addr, port)
    if r is None:
        NET.deliver_lossy(host, sender._host, lambda: _unreachable_arrives(sender))
        return
    if r._remote_addr is not None and (r._remote_addr != frm[0] or r._remote_port != frm[1]):
        return
    if r._dgram_bytes + len(data) > r._rcvbuf:
        return
    if r._dgrams is None:
        r._dgrams = []
    r._dgrams.append((data, frm))
    r._dgram_bytes += len(data)
    r._changed()


def _unreachable_arrives(s):
    if s._closed or s._remote_addr is None:
        return
    s._err = ECONNREFUSED
    s._changed()


def udp_recvfrom(s, n):
    _raise_pending(s)
    if not s._dgrams:
        s._would_block('recvfrom')
    data, frm = s._dgrams.pop(0)
    s._dgram_bytes -= len(data)
    return (data if n >= len(data) else data[:n]), frm


# ---- the socket module's functions -------------------------------------------------------

def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    port = 0 if port in (None, '', b'') else int(port)
    literal = False
    if host is None:
        addrs = ['0.0.0.0', '::'] if flags & 1 else ['::1', '127.0.0.1']
    else:
        parsed = parse_ipv4(host) or parse_ipv6(host)
        literal = parsed is not None
        addrs = [parsed] if literal else NET.resolve(host)
        if addrs is None:
            raise _socket.gaierror(-2, 'Name or service not known')
    wanted = [a for a in addrs if family == 0 or (family == AF_INET6) == (parse_ipv6(a) is not None)]
    if not wanted:
        if literal:
            raise _socket.gaierror(-9, 'Address family for hostname not supported')
        raise _socket.gaierror(-5, 'No address associated with hostname')
    results = []
    for a in wanted:
        v6 = parse_ipv6(a) is not None
        for t, p in ((SOCK_STREAM, IPPROTO_TCP), (SOCK_DGRAM, IPPROTO_UDP), (SOCK_RAW, 0)):
            if (t != type) if type else (proto and p != proto):
                continue
            results.append((AF_INET6 if v6 else AF_INET, t, proto if type and proto else p, '',
                            (a, port, 0, 0) if v6 else (a, port)))
    return results


def gethostname():
    return NET.current.name


def socketpair(family=AF_UNIX, type=SOCK_STREAM, proto=0):
    if family != AF_UNIX or type != SOCK_STREAM:
        raise oserror(EAFNOSUPPORT)
    a, b = FakeSocket(family, type, proto), FakeSocket(family, type, proto)
    for s, peer in ((a, b), (b, a)):
        s._state = CONNECTED
        s._peer = peer
        s._remote_addr = ''
        s._capacity = s._sndbuf + peer._rcvbuf
    return a, b


# ---- the selector (src/loop/virtual-selector.ts) ----------------------------------------------

class TwinSelector(selectors._BaseSelectorImpl):
    def __init__(self):
        super().__init__()
        self.woken = False
        self._watched = {}
        self._candidates = {}
        self._host = NET.current
        self._fds = [self._host.alloc_fd(None) for _ in range(3)]
        self._closed = False

    def _on_change(self, sock):
        self._candidates[sock] = None
        if self._ready_events(sock):
            self.woken = True

    def _ready_events(self, sock):
        fd = sock._fd
        if fd < 0 or self._watched.get(fd) is not sock:
            return 0
        wanted = self._fd_to_key[fd].events
        mask = 0
        if wanted & selectors.EVENT_READ and sock._readable():
            mask |= selectors.EVENT_READ
        if wanted & selectors.EVENT_WRITE and sock._writable():
            mask |= selectors.EVENT_WRITE
        return mask

    def _collect(self):
        events = []
        for sock in list(self._candidates):
            mask = self._ready_events(sock)
            if not mask:
                del self._candidates[sock]
                continue
            events.append((self._fd_to_key[sock._fd], mask))
        events.sort(key=lambda e: e[0].fd)
        return events

    def register(self, fileobj, events, data=None):
        key = super().register(fileobj, events, data)
        sock = self._host.socket_at(key.fd)
        if sock is not None:
            self._watched[key.fd] = sock
            sock._watcher = self._on_change
            self._candidates[sock] = None
        return key

    def unregister(self, fileobj):
        key = super().unregister(fileobj)
        sock = self._watched.pop(key.fd, None)
        if sock is not None:
            self._candidates.pop(sock, None)
            if sock._watcher == self._on_change:
                sock._watcher = None
        return key

    def select(self, timeout=None):
        if timeout != 0 and self._candidates and any(self._ready_events(s) for s in self._candidates):
            timeout = 0
        start = WORLD.now
        end = math.inf if timeout is None else start + timeout
        self.woken = False
        if WORLD.events and WORLD.run_until(end, lambda: self.woken):
            return self._collect()
        if timeout is None:
            waits = ['  %r to %s' % (self._watched[k.fd], ' and '.join(
                w for w, bit in (('read', 1), ('write', 2)) if k.events & bit))
                for k in self._fd_to_key.values() if k.fd in self._watched]
            raise Stalled('the event loop stalled at t=%r' % WORLD.now
                          + ('\nsockets waited on:\n' + '\n'.join(waits) if waits else ''))
        if timeout > 0:
            WORLD.now = max(WORLD.now, start + timeout)
        return self._collect()

    def close(self):
        if self._closed:
            return
        for fd in list(self._watched):
            sock = self._watched.pop(fd)
            if sock._watcher == self._on_change:
                sock._watcher = None
        self._candidates.clear()
        self._fd_to_key.clear()
        self._closed = True
        for fd in self._fds:
            self._host.free_fd(fd)

    def get_map(self):
        return self._map


# ---- the loop ------------------------------------------------------------------------------

class TwinLoop(selector_events.BaseSelectorEventLoop):
    """CPython's BaseSelectorEventLoop on the twin network's virtual clock."""

    def __init__(self):
        if isinstance(WORLD, SimWorld):
            sim = WORLD.sim
            sim.reset(None)
            sim.own_now = 0.0
        super().__init__(TwinSelector())
        self._clock_resolution = 1e-09

    def time(self):
        return WORLD.now

    def _make_self_pipe(self):
        pass

    def _close_self_pipe(self):
        pass

    def _write_to_self(self):
        self._selector.woken = True

    def _process_self_data(self, data):
        pass

    def run_in_executor(self, executor, func, *args):
        # pyodide has no threads. The default executor's worker is one world event at the
        # current virtual time (where aiosim's simulated worker thread takes its turn, during
        # the loop's next wait); it runs func and completes a concurrent future, whose
        # outcome reaches the loop through CPython's own wrap_future chain
        # (call_soon_threadsafe).
        if isinstance(WORLD, SimWorld):
            # Native CPython with virtual_threads.py: real (simulated) threads.
            return super().run_in_executor(executor, func, *args)
        self._check_closed()
        if executor is not None:
            raise NotImplementedError('net_twin: only the default executor')
        cfut = concurrent.futures.Future()

        def work():
            if not cfut.set_running_or_notify_cancel():
                return
            try:
                cfut.set_result(func(*args))
            except BaseException as exc:
                cfut.set_exception(exc)
        WORLD.schedule(WORLD.now, work)
        return asyncio.wrap_future(cfut, loop=self)

    async def shutdown_default_executor(self, timeout=None):
        if isinstance(WORLD, SimWorld):
            await super().shutdown_default_executor(timeout)


def _sock_connect_cb(self, fut, sock, address):
    # BaseSelectorEventLoop._sock_connect_cb, restated with Linux's OSError(errno, text).
    if fut.done():
        return
    try:
        err = sock.getsockopt(SOL_SOCKET, SO_ERROR)
        if err != 0:
            raise CLASSES.get(err, OSError)(err, f'Connect call failed {address}')
    except (BlockingIOError, InterruptedError):
        pass
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException as exc:
        fut.set_exception(exc)
    else:
        fut.set_result(None)
    finally:
        fut = None


# ---- socket.socket: the program's objects over the kernel's sockets --------------------

# Bumped by install(): the objects of an earlier program's world are not finalised into
# the next one (its machines were switched off).
_GENERATION = 0


class TwinSocket:
    """socket.socket on the twin: the program's object over a FakeSocket, the kernel's
    socket (which hosts, peers and selectors hold). Freed while its descriptor is open,
    it warns `unclosed <socket.socket ...>` (ResourceWarning, attributed to the code that
    let go of it, the socket as its source) and closes, as _socket.socket's finalizer
    does; a warning made an error is unraisable and the socket is closed all the same."""

    def __init__(self, family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None, _k=None):
        self.__dict__['_k'] = FakeSocket(family, type, proto, fileno) if _k is None else _k
        self.__dict__['_generation'] = _GENERATION

    def __getattr__(self, name):
        return getattr(self.__dict__['_k'], name)

    def accept(self):
        conn, address = self._k.accept()
        return TwinSocket(_k=conn), address

    def __repr__(self):
        return repr(self._k)

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self._k.close()

    def __del__(self):
        k = self.__dict__.get('_k')
        if k is None or k._closed or k._fd < 0 or self.__dict__.get('_generation') != _GENERATION:
            return
        try:
            warnings.warn('unclosed %r' % (k,), ResourceWarning, stacklevel=2, source=self)
        except Warning as e:
            # PyErr_WriteUnraisable(socket): its header and the exception (the traceback's
            # frames, the code that let go of the socket, are left out).
            sys.stderr.write('Exception ignored in: %r\n' % (k,))
            traceback.print_exception(type(e), e, None)
        k.close()


def _collect_silently():
    # The garbage earlier programs left (transports in cycles, half-made ones) is freed
    # now, before this program runs: its finalizers must not print into this program's
    # output whenever the collector happens to run (nor a pending task's log record).
    hook, sys.unraisablehook = sys.unraisablehook, lambda unraisable: None
    disabled = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            gc.collect()
    finally:
        sys.unraisablehook = hook
        logging.disable(disabled)


def twin_socketpair(family=AF_UNIX, type=SOCK_STREAM, proto=0):
    a, b = socketpair(family, type, proto)
    return TwinSocket(_k=a), TwinSocket(_k=b)


class _Policy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        return TwinLoop()


def _blocking_sleep(seconds):
    """time.sleep on the loop's thread: aiosim's blockingSleep. The world's events due
    meanwhile run (the kernel goes on), then the clock stands at the sleep's end; the loop
    sees what happened at its next select."""
    end = WORLD.now + seconds
    WORLD.run_until(end, lambda: False)
    WORLD.now = end


def install(latency=0.001, loopback_latency=0, threads=False):
    """Make asyncio.run() use TwinLoop and the socket module the twin network's; reset it.
    With `threads` (native CPython only), virtual_threads.py simulates threads on the same
    clock: the default executor, and so name resolution, run as aiosim's do."""
    world = None
    if threads:
        import virtual_threads
        virtual_threads.install()
        world = SimWorld(virtual_threads.SIM)
    else:
        time.sleep = _blocking_sleep
    reset(latency, loopback_latency, world)
    for name, value in CONSTANTS.items():
        if not hasattr(_socket, name):
            setattr(_socket, name, value)
    for name, value in LINUX_ERRNO.items():
        setattr(_errno, name, value)
    global _GENERATION
    _GENERATION += 1
    _collect_silently()
    _socket.socket = TwinSocket
    _socket.socketpair = twin_socketpair
    _socket.getaddrinfo = getaddrinfo
    _socket.gethostname = gethostname
    _socket.inet_pton = inet_pton
    selector_events.BaseSelectorEventLoop._sock_connect_cb = _sock_connect_cb
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop_policy(_Policy())
