// Datagram endpoints in scenarios (language.ts, "The network"): create_datagram_endpoint
// with a protocol that logs what it is told, sendto, close and abort. net_datagrams.py
// is the twin, handler for handler; net.ts takes these handlers into its tables.

import { DatagramProtocol, repr, type Coro, type DatagramTransport } from '../../src/index.js';
import type { Frame, Interp, Returned } from './interp.js';
import type { NetAction, NetStep } from './language.js';
import { address, done, HOST, logged, named, nothing, payload, portOf, show, stateOf } from './net-state.js';

/** Logs what the transport tells it, under the endpoint's label. */
class EndpointProtocol extends DatagramProtocol {
  constructor(
    readonly interp: Interp,
    readonly label: string,
  ) {
    super();
  }

  override datagramReceived(data: Uint8Array, addr: unknown): void {
    this.interp.log(this.label, `datagram ${show(data)} from ${address(addr)}`);
  }

  override errorReceived(exc: unknown): void {
    this.interp.log(this.label, `error ${repr(exc)}`);
  }

  override connectionLost(exc: unknown): void {
    this.interp.log(this.label, `lost ${repr(exc ?? null)}`);
  }
}

type DatagramStep = Extract<NetStep, readonly ['datagramEndpoint', ...unknown[]]>;
type DatagramAction = Extract<NetAction, readonly ['sendto' | 'datagramClose' | 'datagramAbort', ...unknown[]]>;
type DatagramStepTable = { readonly [K in DatagramStep[0]]: (interp: Interp, frame: Frame, op: Extract<DatagramStep, readonly [K, ...unknown[]]>) => Coro<Returned> };
type DatagramActionTable = { readonly [K in DatagramAction[0]]: (interp: Interp, frame: Frame, op: Extract<DatagramAction, readonly [K, ...unknown[]]>) => void };

export const DATAGRAM_STEPS: DatagramStepTable = {
  *datagramEndpoint(interp, { who }, [, label, local, remote]) {
    const options: { localAddr?: [string, number]; remoteAddr?: [string, number] } = {};
    if (local !== null) options.localAddr = [HOST, local];
    if (remote !== null) {
      const port = portOf(interp, remote, who);
      if (port === undefined) return undefined;
      options.remoteAddr = [HOST, port];
    }
    if (local === null && remote === null) options.localAddr = [HOST, 0];
    return yield* logged(
      interp,
      who,
      `datagramEndpoint ${label}`,
      function* () {
        const [transport, protocol] = yield* interp.loop.createDatagramEndpoint(() => new EndpointProtocol(interp, label), options);
        stateOf(interp).endpoints.set(label, [transport, protocol]);
        stateOf(interp).made.push(transport);
        return transport;
      },
      (t) => ` -> ${address(t.getExtraInfo('sockname'))}`,
    );
  },
};

function onEndpoint(interp: Interp, who: string, label: string, name: string, call: (t: DatagramTransport) => void): void {
  const ep = named(stateOf(interp).endpoints, interp, label, who);
  if (ep !== undefined) done(interp, who, `${name} ${label}`, () => call(ep[0]), nothing);
}

export const DATAGRAM_ACTIONS: DatagramActionTable = {
  sendto(interp, { who }, [, label, spec, to]) {
    const ep = named(stateOf(interp).endpoints, interp, label, who);
    if (ep === undefined) return;
    let addr: [string, number] | undefined;
    if (to !== null) {
      const port = portOf(interp, to, who);
      if (port === undefined) return;
      addr = [HOST, port];
    }
    const data = payload(interp, spec);
    const shownTo = addr === undefined ? '' : ` to ${address(addr)}`;
    done(interp, who, `sendto ${label} ${show(data)}${shownTo}`, () => ep[0].sendto(data, addr), nothing);
  },
  datagramClose(interp, { who }, [, label]) {
    onEndpoint(interp, who, label, 'datagramClose', (t) => t.close());
  },
  datagramAbort(interp, { who }, [, label]) {
    onEndpoint(interp, who, label, 'datagramAbort', (t) => t.abort());
  },
};
