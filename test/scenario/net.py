"""The network in scenarios (language.ts, "Network"): servers, client connections and
their streams, datagram endpoints, on the twin of aiosim's simulated network
(oracle/net_twin.py). net.ts is the twin, handler for handler.

Every operation logs its result, or the exception it raised (an Exception: a
CancelledError propagates) and goes on. A run's connections, servers and endpoints stay
referenced until the run ends: a StreamWriter that CPython collects closes its transport
at a moment aiosim cannot see.
"""
import asyncio
import zlib

from interp import action, run_body, step

HOST = '127.0.0.1'
# Bytes shown whole up to this length; longer ones as their length and CRC-32.
SHOWN = 32


def _cycle():
    """The bytes sized writes take: a pseudo-random text of lowercase lines (LCG)."""
    x, out = 12345, bytearray()
    for _ in range(4099):
        x = (x * 1103515245 + 12345) & 0x7fffffff
        r = x >> 16
        out.append(10 if r % 23 == 0 else 97 + r % 26)
    return bytes(out)


CYCLE = _cycle()


class NetState:
    def __init__(self):
        self.conns = {}
        self.servers = {}
        self.endpoints = {}
        # Everything made, kept until the run ends (see the module's note).
        self.made = []
        # Sized writes take the next bytes of one stream of CYCLE, in the order they run.
        self.offset = 0
        self.accepted = {}


def state(interp):
    s = getattr(interp, 'net', None)
    if s is None:
        s = interp.net = NetState()
    return s


def show(data):
    """Python's repr of bytes, or its length and CRC-32 for long ones."""
    if len(data) <= SHOWN:
        return repr(data)
    return f'<{len(data)} bytes crc32 {zlib.crc32(data):08x}>'


def payload(interp, spec):
    """The bytes of a data spec: a size (the next bytes of the run's stream) or a string."""
    if isinstance(spec, str):
        return spec.encode('latin-1')
    s = state(interp)
    start = s.offset % len(CYCLE)
    s.offset += spec
    reps = (start + spec) // len(CYCLE) + 1
    return (CYCLE * reps)[start:start + spec]


def address(addr):
    return f'{addr[0]}:{addr[1]}'


def failed(e):
    """An exception as the trace shows it, with what IncompleteReadError and
    LimitOverrunError carry."""
    text = f'raised {e!r}'
    if isinstance(e, asyncio.IncompleteReadError):
        text += f' partial={show(e.partial)}'
    elif isinstance(e, asyncio.LimitOverrunError):
        text += f' consumed={e.consumed}'
    return text


def port_of(interp, target, who):
    """A port: a number, or the label of a server or endpoint (its bound port); None when
    missing (logged)."""
    if isinstance(target, int):
        return target
    s = state(interp)
    if target in s.servers:
        return s.servers[target].sockets[0].getsockname()[1]
    if target in s.endpoints:
        return s.endpoints[target][0].get_extra_info('sockname')[1]
    interp.present(False, who, target)
    return None


def conn(interp, label, who):
    """The connection `label` ('@': the one the current body serves), or None (logged missing)."""
    c = state(interp).conns.get(who if label == '@' else label)
    interp.present(c is not None, who, label)
    return c


def gone(writer):
    """Whether the transport's socket is gone without a lost connection counted: after a
    close() whose buffer was flushed later, CPython 3.13's transport calls
    connection_lost without counting it, and then write() and abort() raise
    AttributeError on its None attributes. Not run (logged `skipped: gone`)."""
    t = writer.transport
    return t._sock is None and not t._conn_lost


def _named(table, interp, label, who):
    obj = table.get(label)
    interp.present(obj is not None, who, label)
    return obj


async def _logged(interp, who, head, call, shown):
    try:
        r = await call()
    except Exception as e:
        interp.log(who, f'{head} {failed(e)}')
        return
    interp.log(who, f'{head}{shown(r)}')


def _done(interp, who, head, call, shown):
    try:
        r = call()
    except Exception as e:
        interp.log(who, f'{head} {failed(e)}')
        return
    interp.log(who, f'{head}{shown(r)}')


def _arrow_data(r):
    return f' -> {show(r)}'


def _arrow(r):
    return f' -> {r!r}'


def _nothing(r):
    return ''


# ---- servers and connections -------------------------------------------------------------

def _on_client(interp, label, b):
    """start_server's client_connected_cb for server `label`: the connection becomes
    `<label>.<k>`, served by body b (a task) when the budget allows."""
    s = state(interp)

    def cb(reader, writer):
        k = s.accepted.get(label, 0)
        s.accepted[label] = k + 1
        name = f'{label}.{k}'
        s.conns[name] = (reader, writer)
        s.made.append((reader, writer))
        interp.log(name, f'accepted from {address(writer.get_extra_info("peername"))}')
        if not interp.spend(name, 'conn'):
            return None
        coro = run_body(interp, b, name)
        interp.coros.append(coro)
        return coro
    return cb


@step('serve')
async def step_serve(interp, frame, op):
    label, b, port, limit = op[1], op[2], op[3], op[4]
    if not interp.body_ok(b, frame.who):
        return None
    kw = {} if limit is None else {'limit': limit}

    async def start():
        srv = await asyncio.start_server(_on_client(interp, label, b), HOST, port, **kw)
        state(interp).servers[label] = srv
        state(interp).made.append(srv)
        return srv
    await _logged(interp, frame.who, f'serve {label}', start,
                  lambda srv: f' -> {address(srv.sockets[0].getsockname())}')


@step('connect')
async def step_connect(interp, frame, op):
    label, target, limit = op[1], op[2], op[3]
    port = port_of(interp, target, frame.who)
    if port is None:
        return None
    kw = {} if limit is None else {'limit': limit}

    async def open_():
        reader, writer = await asyncio.open_connection(HOST, port, **kw)
        state(interp).conns[label] = (reader, writer)
        state(interp).made.append((reader, writer))
        return writer
    await _logged(interp, frame.who, f'connect {label}', open_,
                  lambda w: f' -> {address(w.get_extra_info("sockname"))}')


@step('read')
async def step_read(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        await _logged(interp, frame.who, f'read {op[1]} {op[2]}', lambda: c[0].read(op[2]), _arrow_data)


@step('readline')
async def step_readline(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        await _logged(interp, frame.who, f'readline {op[1]}', lambda: c[0].readline(), _arrow_data)


@step('readexactly')
async def step_readexactly(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        await _logged(interp, frame.who, f'readexactly {op[1]} {op[2]}', lambda: c[0].readexactly(op[2]), _arrow_data)


@step('readuntil')
async def step_readuntil(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is None:
        return None
    sep = op[2]
    arg = sep.encode('latin-1') if isinstance(sep, str) else tuple(x.encode('latin-1') for x in sep)
    await _logged(interp, frame.who, f'readuntil {op[1]} {arg!r}', lambda: c[0].readuntil(arg), _arrow_data)


@step('drain')
async def step_drain(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        await _logged(interp, frame.who, f'drain {op[1]}', lambda: c[1].drain(), _nothing)


@step('waitClosed')
async def step_wait_closed(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        await _logged(interp, frame.who, f'waitClosed {op[1]}', lambda: c[1].wait_closed(), _nothing)


@action('atEof')
def action_at_eof(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        _done(interp, frame.who, f'atEof {op[1]}', lambda: c[0].at_eof(), _arrow)


@action('write')
def action_write(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is None:
        return
    data = payload(interp, op[2])
    if data and gone(c[1]):
        interp.log(frame.who, f'write {op[1]} {show(data)} skipped: gone')
        return
    _done(interp, frame.who, f'write {op[1]} {show(data)}', lambda: c[1].write(data), _nothing)


@action('writelines')
def action_writelines(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is None:
        return
    chunks = [payload(interp, spec) for spec in op[2]]
    shown = ', '.join(show(d) for d in chunks)
    if c[1].is_closing():
        # CPython 3.13's writelines() on a closing transport buffers the data and adds a
        # writer that never sends it nor goes away: once the fd is reused, the loop spins
        # for ever. Not run.
        interp.log(frame.who, f'writelines {op[1]} [{shown}] skipped: closing')
        return
    _done(interp, frame.who, f'writelines {op[1]} [{shown}]', lambda: c[1].writelines(chunks), _nothing)


@action('writeEof')
def action_write_eof(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        _done(interp, frame.who, f'writeEof {op[1]}', lambda: c[1].write_eof(), _nothing)


@action('close')
def action_close(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        _done(interp, frame.who, f'close {op[1]}', lambda: c[1].close(), _nothing)


@action('isClosing')
def action_is_closing(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        _done(interp, frame.who, f'isClosing {op[1]}', lambda: c[1].is_closing(), _arrow)


@action('abort')
def action_abort(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is None:
        return
    if gone(c[1]):
        interp.log(frame.who, f'abort {op[1]} skipped: gone')
        return
    _done(interp, frame.who, f'abort {op[1]}', lambda: c[1].transport.abort(), _nothing)


@action('setWriteBufferLimits')
def action_set_write_buffer_limits(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        _done(interp, frame.who, f'setWriteBufferLimits {op[1]} {op[2]!r} {op[3]!r}',
              lambda: c[1].transport.set_write_buffer_limits(op[2], op[3]), _nothing)


@action('writeBufferSize')
def action_write_buffer_size(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        _done(interp, frame.who, f'writeBufferSize {op[1]}', lambda: c[1].transport.get_write_buffer_size(), _arrow)


@action('serverClose')
def action_server_close(interp, frame, op):
    srv = _named(state(interp).servers, interp, op[1], frame.who)
    if srv is not None:
        _done(interp, frame.who, f'serverClose {op[1]}', srv.close, _nothing)


@step('serverWaitClosed')
async def step_server_wait_closed(interp, frame, op):
    srv = _named(state(interp).servers, interp, op[1], frame.who)
    if srv is not None:
        await _logged(interp, frame.who, f'serverWaitClosed {op[1]}', srv.wait_closed, _nothing)


@action('closeClients')
def action_close_clients(interp, frame, op):
    srv = _named(state(interp).servers, interp, op[1], frame.who)
    if srv is not None:
        _done(interp, frame.who, f'closeClients {op[1]}', srv.close_clients, _nothing)


@action('abortClients')
def action_abort_clients(interp, frame, op):
    srv = _named(state(interp).servers, interp, op[1], frame.who)
    if srv is not None:
        _done(interp, frame.who, f'abortClients {op[1]}', srv.abort_clients, _nothing)


@action('isServing')
def action_is_serving(interp, frame, op):
    srv = _named(state(interp).servers, interp, op[1], frame.who)
    if srv is not None:
        _done(interp, frame.who, f'isServing {op[1]}', srv.is_serving, _arrow)


# ---- datagrams -----------------------------------------------------------------------------

class EndpointProtocol(asyncio.DatagramProtocol):
    """Logs what the transport tells it, under the endpoint's label."""

    def __init__(self, interp, label):
        self.interp, self.label = interp, label

    def datagram_received(self, data, addr):
        self.interp.log(self.label, f'datagram {show(data)} from {address(addr)}')

    def error_received(self, exc):
        self.interp.log(self.label, f'error {exc!r}')

    def connection_lost(self, exc):
        self.interp.log(self.label, f'lost {exc!r}')


@step('datagramEndpoint')
async def step_datagram_endpoint(interp, frame, op):
    label, local, remote = op[1], op[2], op[3]
    kw = {}
    if local is not None:
        kw['local_addr'] = (HOST, local)
    if remote is not None:
        port = port_of(interp, remote, frame.who)
        if port is None:
            return None
        kw['remote_addr'] = (HOST, port)
    if not kw:
        kw['local_addr'] = (HOST, 0)

    async def create():
        transport, protocol = await interp.loop.create_datagram_endpoint(lambda: EndpointProtocol(interp, label), **kw)
        state(interp).endpoints[label] = (transport, protocol)
        state(interp).made.append(transport)
        return transport
    await _logged(interp, frame.who, f'datagramEndpoint {label}', create,
                  lambda t: f' -> {address(t.get_extra_info("sockname"))}')


@action('sendto')
def action_sendto(interp, frame, op):
    ep = _named(state(interp).endpoints, interp, op[1], frame.who)
    if ep is None:
        return
    addr = None
    if op[3] is not None:
        port = port_of(interp, op[3], frame.who)
        if port is None:
            return
        addr = (HOST, port)
    data = payload(interp, op[2])
    to = '' if addr is None else f' to {address(addr)}'
    _done(interp, frame.who, f'sendto {op[1]} {show(data)}{to}', lambda: ep[0].sendto(data, addr), _nothing)


@action('datagramClose')
def action_datagram_close(interp, frame, op):
    ep = _named(state(interp).endpoints, interp, op[1], frame.who)
    if ep is not None:
        _done(interp, frame.who, f'datagramClose {op[1]}', ep[0].close, _nothing)


@action('datagramAbort')
def action_datagram_abort(interp, frame, op):
    ep = _named(state(interp).endpoints, interp, op[1], frame.who)
    if ep is not None:
        _done(interp, frame.who, f'datagramAbort {op[1]}', ep[0].abort, _nothing)
