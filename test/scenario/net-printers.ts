// A network scenario's operations (language.ts, "The network") as asyncio Python and as
// aiosim TypeScript, for printers.ts: the printers of each operation, the declarations a
// network program starts with, and its bodies' signatures (a body a server serves takes
// the connection's reader and writer: '@').

import type { Data, LoopbackModel, NetAction, NetStep, PortRef, Scenario } from './language.js';

type NetOp = NetAction | NetStep;
type NetPrinters = { readonly [K in NetOp[0]]: (op: Extract<NetOp, readonly [K, ...unknown[]]>, i: string) => string[] };

// Python's bytes literal of a string's code points.
function pyBytes(s: string): string {
  const body = Array.from(s, (ch) => {
    const c = ch.charCodeAt(0);
    if (ch === '\\' || ch === "'") return `\\${ch}`;
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return c < 32 || c > 126 ? `\\x${c.toString(16).padStart(2, '0')}` : ch;
  }).join('');
  return `b'${body}'`;
}

const pyData = (d: Data): string => (typeof d === 'string' ? pyBytes(d) : `payload(${d})`);
const tsData = (d: Data): string => (typeof d === 'string' ? `latin1(${JSON.stringify(d)})` : `payload(${d})`);
const pyPort = (p: PortRef): string => (typeof p === 'number' ? String(p) : `port('${p}')`);
const tsPort = (p: PortRef): string => (typeof p === 'number' ? String(p) : `port('${p}')`);
const pyOpt = (n: number | null): string => (n === null ? 'None' : String(n));
const tsOpt = (n: number | null): string => (n === null ? 'undefined' : String(n));
const pyLimit = (limit: number | null): string => (limit === null ? '' : `, limit=${limit}`);
const tsLimit = (limit: number | null): string => (limit === null ? '' : `, { limit: ${limit} }`);

const pyR = (c: string): string => (c === '@' ? 'reader' : `conns['${c}'][0]`);
const pyW = (c: string): string => (c === '@' ? 'writer' : `conns['${c}'][1]`);
const tsR = (c: string): string => (c === '@' ? 'reader!' : `conns.get('${c}')![0]`);
const tsW = (c: string): string => (c === '@' ? 'writer!' : `conns.get('${c}')![1]`);

const pySep = (s: string | string[]): string => (typeof s === 'string' ? pyBytes(s) : `(${s.map(pyBytes).join(', ')}${s.length === 1 ? ',' : ''})`);
const tsSep = (s: string | string[]): string => (typeof s === 'string' ? `latin1(${JSON.stringify(s)})` : `[${s.map((x) => `latin1(${JSON.stringify(x)})`).join(', ')}]`);

function pyEndpointArgs(local: number | null, remote: PortRef | null): string {
  const args = [];
  if (local !== null || remote === null) args.push(`local_addr=('127.0.0.1', ${local ?? 0})`);
  if (remote !== null) args.push(`remote_addr=('127.0.0.1', ${pyPort(remote)})`);
  return args.join(', ');
}

function tsEndpointArgs(local: number | null, remote: PortRef | null): string {
  const args = [];
  if (local !== null || remote === null) args.push(`localAddr: ['127.0.0.1', ${local ?? 0}]`);
  if (remote !== null) args.push(`remoteAddr: ['127.0.0.1', ${tsPort(remote)}]`);
  return `{ ${args.join(', ')} }`;
}

export const PY_NET: NetPrinters = {
  serve: (op, i) => [`${i}servers['${op[1]}'] = await asyncio.start_server(handler('${op[1]}', b${op[2]}), '127.0.0.1', ${op[3]}${pyLimit(op[4])})`],
  connect: (op, i) => [`${i}conns['${op[1]}'] = await asyncio.open_connection('127.0.0.1', ${pyPort(op[2])}${pyLimit(op[3])})`],
  read: (op, i) => [`${i}print(await ${pyR(op[1])}.read(${op[2]}))`],
  readline: (op, i) => [`${i}print(await ${pyR(op[1])}.readline())`],
  readexactly: (op, i) => [`${i}print(await ${pyR(op[1])}.readexactly(${op[2]}))`],
  readuntil: (op, i) => [`${i}print(await ${pyR(op[1])}.readuntil(${pySep(op[2])}))`],
  drain: (op, i) => [`${i}await ${pyW(op[1])}.drain()`],
  waitClosed: (op, i) => [`${i}await ${pyW(op[1])}.wait_closed()`],
  serverWaitClosed: (op, i) => [`${i}await servers['${op[1]}'].wait_closed()`],
  datagramEndpoint: (op, i) => [`${i}endpoints['${op[1]}'], _ = await asyncio.get_running_loop().create_datagram_endpoint(lambda: Endpoint('${op[1]}'), ${pyEndpointArgs(op[2], op[3])})`],
  atEof: (op, i) => [`${i}print(${pyR(op[1])}.at_eof())`],
  write: (op, i) => [`${i}${pyW(op[1])}.write(${pyData(op[2])})`],
  writelines: (op, i) => [`${i}${pyW(op[1])}.writelines([${op[2].map(pyData).join(', ')}])`],
  writeEof: (op, i) => [`${i}${pyW(op[1])}.write_eof()`],
  close: (op, i) => [`${i}${pyW(op[1])}.close()`],
  isClosing: (op, i) => [`${i}print(${pyW(op[1])}.is_closing())`],
  abort: (op, i) => [`${i}${pyW(op[1])}.transport.abort()`],
  setWriteBufferLimits: (op, i) => [`${i}${pyW(op[1])}.transport.set_write_buffer_limits(${pyOpt(op[2])}, ${pyOpt(op[3])})`],
  writeBufferSize: (op, i) => [`${i}print(${pyW(op[1])}.transport.get_write_buffer_size())`],
  serverClose: (op, i) => [`${i}servers['${op[1]}'].close()`],
  closeClients: (op, i) => [`${i}servers['${op[1]}'].close_clients()`],
  abortClients: (op, i) => [`${i}servers['${op[1]}'].abort_clients()`],
  isServing: (op, i) => [`${i}print(servers['${op[1]}'].is_serving())`],
  sendto: (op, i) => [`${i}endpoints['${op[1]}'].sendto(${pyData(op[2])}, ${op[3] === null ? 'None' : `('127.0.0.1', ${pyPort(op[3])})`})`],
  datagramClose: (op, i) => [`${i}endpoints['${op[1]}'].close()`],
  datagramAbort: (op, i) => [`${i}endpoints['${op[1]}'].abort()`],
};

export const TS_NET: NetPrinters = {
  serve: (op, i) => [`${i}servers.set('${op[1]}', yield* startServer(handler('${op[1]}', b${op[2]}), '127.0.0.1', ${op[3]}${tsLimit(op[4])}));`],
  connect: (op, i) => [`${i}conns.set('${op[1]}', yield* openConnection('127.0.0.1', ${tsPort(op[2])}${tsLimit(op[3])}));`],
  read: (op, i) => [`${i}console.log(repr(yield* ${tsR(op[1])}.read(${op[2]})));`],
  readline: (op, i) => [`${i}console.log(repr(yield* ${tsR(op[1])}.readline()));`],
  readexactly: (op, i) => [`${i}console.log(repr(yield* ${tsR(op[1])}.readexactly(${op[2]})));`],
  readuntil: (op, i) => [`${i}console.log(repr(yield* ${tsR(op[1])}.readuntil(${tsSep(op[2])})));`],
  drain: (op, i) => [`${i}yield* ${tsW(op[1])}.drain();`],
  waitClosed: (op, i) => [`${i}yield* ${tsW(op[1])}.waitClosed();`],
  serverWaitClosed: (op, i) => [`${i}yield* servers.get('${op[1]}')!.waitClosed();`],
  datagramEndpoint: (op, i) => [`${i}endpoints.set('${op[1]}', (yield* getRunningLoop().createDatagramEndpoint(() => new Endpoint('${op[1]}'), ${tsEndpointArgs(op[2], op[3])}))[0]);`],
  atEof: (op, i) => [`${i}console.log(repr(${tsR(op[1])}.atEof()));`],
  write: (op, i) => [`${i}${tsW(op[1])}.write(${tsData(op[2])});`],
  writelines: (op, i) => [`${i}${tsW(op[1])}.writelines([${op[2].map(tsData).join(', ')}]);`],
  writeEof: (op, i) => [`${i}${tsW(op[1])}.writeEof();`],
  close: (op, i) => [`${i}${tsW(op[1])}.close();`],
  isClosing: (op, i) => [`${i}console.log(repr(${tsW(op[1])}.isClosing()));`],
  abort: (op, i) => [`${i}${tsW(op[1])}.transport.abort();`],
  setWriteBufferLimits: (op, i) => [`${i}${tsW(op[1])}.transport.setWriteBufferLimits(${tsOpt(op[2])}, ${tsOpt(op[3])});`],
  writeBufferSize: (op, i) => [`${i}console.log(${tsW(op[1])}.transport.getWriteBufferSize());`],
  serverClose: (op, i) => [`${i}servers.get('${op[1]}')!.close();`],
  closeClients: (op, i) => [`${i}servers.get('${op[1]}')!.closeClients();`],
  abortClients: (op, i) => [`${i}servers.get('${op[1]}')!.abortClients();`],
  isServing: (op, i) => [`${i}console.log(repr(servers.get('${op[1]}')!.isServing()));`],
  sendto: (op, i) => [`${i}endpoints.get('${op[1]}')!.sendto(${tsData(op[2])}${op[3] === null ? '' : `, ['127.0.0.1', ${tsPort(op[3])}]`});`],
  datagramClose: (op, i) => [`${i}endpoints.get('${op[1]}')!.close();`],
  datagramAbort: (op, i) => [`${i}endpoints.get('${op[1]}')!.abort();`],
};

/** What a Python network program declares before its callbacks and bodies. */
export function pyNetDecls(scn: Scenario): string[] {
  if (scn.net === undefined) return [];
  return [
    `# Run it on the network's twin: node test/scenario/oracle/run_twin.mjs prog.py ${scn.net.loopbackLatency}`,
    ...(scn.net.model === undefined ? [] : ['import net_twin', `net_twin.set_loopback_model(${JSON.stringify(scn.net.model)})`]),
    'conns, servers, endpoints = {}, {}, {}',
    '',
    'def _cycle():',
    '    x, out = 12345, bytearray()',
    '    for _ in range(4099):',
    '        x = (x * 1103515245 + 12345) & 0x7fffffff',
    '        out.append(10 if (x >> 16) % 23 == 0 else 97 + (x >> 16) % 26)',
    '    return bytes(out)',
    'CYCLE, offset = _cycle(), 0',
    '',
    'def payload(n):',
    '    global offset',
    '    start, offset = offset % len(CYCLE), offset + n',
    '    return (CYCLE * ((start + n) // len(CYCLE) + 1))[start:start + n]',
    '',
    'def port(label):',
    "    return servers[label].sockets[0].getsockname()[1] if label in servers else endpoints[label].get_extra_info('sockname')[1]",
    '',
    'def handler(label, body):',
    '    k = 0',
    '    def cb(reader, writer):',
    '        nonlocal k',
    "        conns[f'{label}.{k}'] = (reader, writer)",
    '        k += 1',
    '        return body(reader, writer)',
    '    return cb',
    '',
    'class Endpoint(asyncio.DatagramProtocol):',
    '    def __init__(self, label):',
    '        self.label = label',
    '    def datagram_received(self, data, addr):',
    '        print(self.label, data, addr)',
    '    def error_received(self, exc):',
    '        print(self.label, repr(exc))',
    '    def connection_lost(self, exc):',
    '        print(self.label, repr(exc))',
    '',
  ];
}

// The loopback model's lines in an aiosim program.
function tsLoopbackModel(model: LoopbackModel): string[] {
  return [
    `network.seed = ${model.seed};`,
    'const model = network.model(network.defaultHost, network.defaultHost);',
    ...(model.latency === undefined ? [] : [`model.latency = { min: ${model.latency[0]}, max: ${model.latency[1]} };`]),
    ...(model.bandwidth === undefined ? [] : [`model.bandwidth = ${model.bandwidth};`]),
    ...(model.loss === undefined ? [] : [`model.loss = ${model.loss};`]),
    ...(model.duplicate === undefined ? [] : [`model.duplicate = ${model.duplicate};`]),
  ];
}

/** What an aiosim network program declares before its callbacks and bodies. */
export function tsNetDecls(scn: Scenario): string[] {
  if (scn.net === undefined) return [];
  return [
    `network.loopbackLatency = ${scn.net.loopbackLatency};`,
    ...(scn.net.model === undefined ? [] : tsLoopbackModel(scn.net.model)),
    'const conns = new Map<string, [StreamReader, StreamWriter]>();',
    'const servers = new Map<string, Server>();',
    'const endpoints = new Map<string, DatagramTransport>();',
    'const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));',
    'const CYCLE = new Uint8Array(4099);',
    'for (let i = 0, x = 12345; i < CYCLE.length; i++) {',
    '  x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;',
    '  CYCLE[i] = (x >>> 16) % 23 === 0 ? 10 : 97 + ((x >>> 16) % 26);',
    '}',
    'let offset = 0;',
    'const payload = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => CYCLE[offset++ % CYCLE.length]!);',
    "const port = (label: string): number => (servers.has(label) ? servers.get(label)!.sockets[0]!.getsockname() : endpoints.get(label)!.getExtraInfo('sockname'))[1];",
    'function handler(label: string, body: (reader: StreamReader, writer: StreamWriter) => Coro<unknown>) {',
    '  let k = 0;',
    '  return (reader: StreamReader, writer: StreamWriter) => {',
    '    conns.set(`${label}.${k++}`, [reader, writer]);',
    '    return body(reader, writer);',
    '  };',
    '}',
    'class Endpoint extends DatagramProtocol {',
    '  constructor(readonly label: string) { super(); }',
    '  override datagramReceived(data: Uint8Array, addr: unknown): void { console.log(this.label, repr(data), repr(addr)); }',
    '  override errorReceived(exc: unknown): void { console.log(this.label, repr(exc)); }',
    '  override connectionLost(exc: unknown): void { console.log(this.label, repr(exc)); }',
    '}',
    '',
  ];
}

/** The names a TypeScript network program imports besides the usual ones. */
export const TS_NET_IMPORTS = ', DatagramProtocol, openConnection, startServer, type DatagramTransport, type Server, type StreamReader, type StreamWriter';
