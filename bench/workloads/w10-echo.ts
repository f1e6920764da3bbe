// W10 echo round trips: one stream server and m clients over the simulated network
// (loopback latency 1 ms), n request/response round trips in all (n/m per client). A
// client writes `c i\n`, drains and reads the reply with readexactly; the server reads
// lines with readline and writes each back, draining. The check sums each client's fold
// of its replies' byte sums, so it does not depend on how the clients interleave.

import { netApi, type Gen, type NetReader, type NetWriter } from './api.js';
import { CHECK_MOD, foldCheck } from './lcg.js';
import type { Params, Workload } from './workload.js';
import { EXACT } from './workload.js';

const LATENCY = 0.001;
const PORT = 8888;

const encoder = new TextEncoder();
const request = (c: number, i: number): Uint8Array => encoder.encode(`${c} ${i}\n`);

function byteSum(b: Uint8Array): number {
  let s = 0;
  for (let k = 0; k < b.length; k++) s += b[k]!;
  return s;
}

// One client's checksum: its replies' byte sums, folded in order.
function clientCheck(c: number, k: number): number {
  let check = 0;
  for (let i = 0; i < k; i++) check = foldCheck(check, byteSum(request(c, i)));
  return check;
}

export const w10Echo: Workload<undefined> = {
  id: 'W10',
  title: 'echo round trips (streams)',
  full: { n: 100_000, m: 10 },
  quick: { n: 5_000, m: 10 },
  ops: (p) => p.n,
  prepare: () => undefined,
  network: { loopbackLatency: LATENCY },
  run(api, loop, p) {
    const net = netApi(api, 'W10');
    const k = Math.floor(p.n / p.m);
    let count = 0;
    let check = 0;
    function* handle(reader: NetReader, writer: NetWriter): Gen<void> {
      for (;;) {
        const line = yield* reader.readline();
        if (line.length === 0) break;
        writer.write(line);
        yield* writer.drain();
      }
      writer.close();
      yield* writer.waitClosed();
    }
    function* client(c: number): Gen<void> {
      const [reader, writer] = yield* net.openConnection('127.0.0.1', PORT);
      let mine = 0;
      for (let i = 0; i < k; i++) {
        const req = request(c, i);
        writer.write(req);
        yield* writer.drain();
        const reply = yield* reader.readexactly(req.length);
        mine = foldCheck(mine, byteSum(reply));
        count++;
      }
      check = (check + mine) % CHECK_MOD;
      writer.close();
      yield* writer.waitClosed();
    }
    function* main(): Gen<void> {
      const server = yield* net.startServer(handle, '127.0.0.1', PORT, 100);
      const clients = [];
      for (let c = 0; c < p.m; c++) clients.push(api.createTask(client(c)));
      yield* api.gather(clients);
      server.close();
      yield* server.waitClosed();
    }
    loop.runUntilComplete(main());
    return { count, check, time: loop.time() };
  },
  expected(p: Params) {
    const k = Math.floor(p.n / p.m);
    let check = 0;
    for (let c = 0; c < p.m; c++) check = (check + clientCheck(c, k)) % CHECK_MOD;
    // Connected at 2L (SYN, SYN-ACK), then k round trips of 2L each, then the server
    // sees the clients' FIN L later and closes its side.
    return { count: k * p.m, check, time: (2 + 2 * k + 1) * LATENCY, tolerance: EXACT };
  },
  stock: false,
};
