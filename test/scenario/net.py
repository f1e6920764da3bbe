"""The network in scenarios (language.ts, "The network"): servers, client connections and
their streams, on the twin of aiosim's simulated network (oracle/net_twin.py); datagram
endpoints are in net_datagrams.py, what the handlers share in net_state.py. net.ts is
the twin, handler for handler.

Every operation logs its result, or the exception it raised (an Exception: a
CancelledError propagates) and goes on. A run's connections, servers and endpoints stay
referenced until the run ends: a StreamWriter that CPython collects closes its transport
at a moment aiosim cannot see.
"""
import asyncio

import net_datagrams  # noqa: F401  (registers the datagram handlers)
from interp import action, run_body, step
from net_state import (HOST, address, arrow, arrow_data, conn, done, logged, named, nothing,
                       payload, port_of, show, state)


def gone(writer):
    """Whether the transport's socket is gone without a lost connection counted: after a
    close() whose buffer was flushed later, CPython 3.13's transport calls
    connection_lost without counting it, and then write() and abort() raise
    AttributeError on its None attributes. Not run (logged `skipped: gone`)."""
    t = writer.transport
    return t._sock is None and not t._conn_lost


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
    await logged(interp, frame.who, f'serve {label}', start,
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
    await logged(interp, frame.who, f'connect {label}', open_,
                  lambda w: f' -> {address(w.get_extra_info("sockname"))}')


@step('read')
async def step_read(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        await logged(interp, frame.who, f'read {op[1]} {op[2]}', lambda: c[0].read(op[2]), arrow_data)


@step('readline')
async def step_readline(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        await logged(interp, frame.who, f'readline {op[1]}', lambda: c[0].readline(), arrow_data)


@step('readexactly')
async def step_readexactly(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        await logged(interp, frame.who, f'readexactly {op[1]} {op[2]}', lambda: c[0].readexactly(op[2]), arrow_data)


@step('readuntil')
async def step_readuntil(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is None:
        return None
    sep = op[2]
    arg = sep.encode('latin-1') if isinstance(sep, str) else tuple(x.encode('latin-1') for x in sep)
    await logged(interp, frame.who, f'readuntil {op[1]} {arg!r}', lambda: c[0].readuntil(arg), arrow_data)


@step('drain')
async def step_drain(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        await logged(interp, frame.who, f'drain {op[1]}', lambda: c[1].drain(), nothing)


@step('waitClosed')
async def step_wait_closed(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        await logged(interp, frame.who, f'waitClosed {op[1]}', lambda: c[1].wait_closed(), nothing)


@action('atEof')
def action_at_eof(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        done(interp, frame.who, f'atEof {op[1]}', lambda: c[0].at_eof(), arrow)


@action('write')
def action_write(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is None:
        return
    data = payload(interp, op[2])
    if data and gone(c[1]):
        interp.log(frame.who, f'write {op[1]} {show(data)} skipped: gone')
        return
    done(interp, frame.who, f'write {op[1]} {show(data)}', lambda: c[1].write(data), nothing)


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
    done(interp, frame.who, f'writelines {op[1]} [{shown}]', lambda: c[1].writelines(chunks), nothing)


@action('writeEof')
def action_write_eof(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        done(interp, frame.who, f'writeEof {op[1]}', lambda: c[1].write_eof(), nothing)


@action('close')
def action_close(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        done(interp, frame.who, f'close {op[1]}', lambda: c[1].close(), nothing)


@action('isClosing')
def action_is_closing(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        done(interp, frame.who, f'isClosing {op[1]}', lambda: c[1].is_closing(), arrow)


@action('abort')
def action_abort(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is None:
        return
    if gone(c[1]):
        interp.log(frame.who, f'abort {op[1]} skipped: gone')
        return
    done(interp, frame.who, f'abort {op[1]}', lambda: c[1].transport.abort(), nothing)


@action('setWriteBufferLimits')
def action_set_write_buffer_limits(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        done(interp, frame.who, f'setWriteBufferLimits {op[1]} {op[2]!r} {op[3]!r}',
              lambda: c[1].transport.set_write_buffer_limits(op[2], op[3]), nothing)


@action('writeBufferSize')
def action_write_buffer_size(interp, frame, op):
    c = conn(interp, op[1], frame.who)
    if c is not None:
        done(interp, frame.who, f'writeBufferSize {op[1]}', lambda: c[1].transport.get_write_buffer_size(), arrow)


@action('serverClose')
def action_server_close(interp, frame, op):
    srv = named(state(interp).servers, interp, op[1], frame.who)
    if srv is not None:
        done(interp, frame.who, f'serverClose {op[1]}', srv.close, nothing)


@step('serverWaitClosed')
async def step_server_wait_closed(interp, frame, op):
    srv = named(state(interp).servers, interp, op[1], frame.who)
    if srv is not None:
        await logged(interp, frame.who, f'serverWaitClosed {op[1]}', srv.wait_closed, nothing)


@action('closeClients')
def action_close_clients(interp, frame, op):
    srv = named(state(interp).servers, interp, op[1], frame.who)
    if srv is not None:
        done(interp, frame.who, f'closeClients {op[1]}', srv.close_clients, nothing)


@action('abortClients')
def action_abort_clients(interp, frame, op):
    srv = named(state(interp).servers, interp, op[1], frame.who)
    if srv is not None:
        done(interp, frame.who, f'abortClients {op[1]}', srv.abort_clients, nothing)


@action('isServing')
def action_is_serving(interp, frame, op):
    srv = named(state(interp).servers, interp, op[1], frame.who)
    if srv is not None:
        done(interp, frame.who, f'isServing {op[1]}', srv.is_serving, arrow)
