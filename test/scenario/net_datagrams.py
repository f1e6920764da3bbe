"""Datagram endpoints in scenarios (language.ts, "The network"): create_datagram_endpoint
with a protocol that logs what it is told, sendto, close and abort. net-datagrams.ts is
the twin, handler for handler.
"""
import asyncio

from interp import action, step
from net_state import HOST, address, done, logged, named, nothing, payload, port_of, show, state


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
    await logged(interp, frame.who, f'datagramEndpoint {label}', create,
                  lambda t: f' -> {address(t.get_extra_info("sockname"))}')


@action('sendto')
def action_sendto(interp, frame, op):
    ep = named(state(interp).endpoints, interp, op[1], frame.who)
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
    done(interp, frame.who, f'sendto {op[1]} {show(data)}{to}', lambda: ep[0].sendto(data, addr), nothing)


@action('datagramClose')
def action_datagram_close(interp, frame, op):
    ep = named(state(interp).endpoints, interp, op[1], frame.who)
    if ep is not None:
        done(interp, frame.who, f'datagramClose {op[1]}', ep[0].close, nothing)


@action('datagramAbort')
def action_datagram_abort(interp, frame, op):
    ep = named(state(interp).endpoints, interp, op[1], frame.who)
    if ep is not None:
        done(interp, frame.who, f'datagramAbort {op[1]}', ep[0].abort, nothing)
