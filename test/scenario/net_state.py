"""The state of a run's network objects and what every network handler shares: the
bytes sized writes take, how bytes, addresses and exceptions show in the trace,
references to connections, servers, endpoints and ports, and the logging of an
operation's outcome. net-state.ts is the twin.
"""
import asyncio
import zlib

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


def named(table, interp, label, who):
    """table[label], or None (logged missing)."""
    obj = table.get(label)
    interp.present(obj is not None, who, label)
    return obj


async def logged(interp, who, head, call, shown):
    """Log `head` and what shown makes of await call(), or the exception it raised."""
    try:
        r = await call()
    except Exception as e:
        interp.log(who, f'{head} {failed(e)}')
        return
    interp.log(who, f'{head}{shown(r)}')


def done(interp, who, head, call, shown):
    """As logged(), for a call that does not suspend."""
    try:
        r = call()
    except Exception as e:
        interp.log(who, f'{head} {failed(e)}')
        return
    interp.log(who, f'{head}{shown(r)}')


def arrow_data(r):
    return f' -> {show(r)}'


def arrow(r):
    return f' -> {r!r}'


def nothing(r):
    return ''
