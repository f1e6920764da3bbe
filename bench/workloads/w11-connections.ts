// W11 many connections: n clients connect at once to one stream server (loopback
// latency 1 ms, listen backlog SOMAXCONN = 4096: the SYNs beyond it are dropped and sent
// again 1 s and 3 s later, as Linux does). Each client writes one line and reads the
// reply; once every client has its reply (all n connections open), all close. The count
// is the most connections open at once; the check sums the replies' first numbers.

import { netApi, type Fut, type Gen, type NetReader, type NetWriter } from './api.js';
import { CHECK_MOD } from './lcg.js';
import type { Params, Workload } from './workload.js';
import { EXACT } from './workload.js';

const LATENCY = 0.001;
const PORT = 8889;
const BACKLOG = 4096;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const w11Connections: Workload<undefined> = {
  id: 'W11',
  title: 'many connections (streams)',
  full: { n: 10_000, m: 0 },
  quick: { n: 1_000, m: 0 },
  ops: (p) => p.n,
  prepare: () => undefined,
  network: { loopbackLatency: LATENCY },
  run(api, loop, p) {
    const net = netApi(api, 'W11');
    let open = 0;
    let peak = 0;
    let check = 0;
    let replies = 0;
    let allReplied!: Fut<void>;
    function* handle(reader: NetReader, writer: NetWriter): Gen<void> {
      const line = yield* reader.readline();
      const i = Number(decoder.decode(line));
      writer.write(encoder.encode(`${i * 2} ${i}\n`));
      yield* writer.drain();
      // The client's FIN: it closes first.
      yield* reader.readline();
      writer.close();
      yield* writer.waitClosed();
    }
    function* client(i: number): Gen<void> {
      const [reader, writer] = yield* net.openConnection('127.0.0.1', PORT);
      peak = Math.max(peak, ++open);
      writer.write(encoder.encode(`${i}\n`));
      yield* writer.drain();
      const reply = yield* reader.readline();
      check = (check + Number(decoder.decode(reply).split(' ')[0])) % CHECK_MOD;
      if (++replies === p.n) allReplied.setResult(undefined);
      yield* allReplied;
      writer.close();
      yield* writer.waitClosed();
      open--;
    }
    function* main(): Gen<void> {
      allReplied = loop.createFuture<void>();
      const server = yield* net.startServer(handle, '127.0.0.1', PORT, BACKLOG);
      const clients = [];
      for (let i = 0; i < p.n; i++) clients.push(api.createTask(client(i)));
      yield* api.gather(clients);
      server.close();
      yield* server.waitClosed();
    }
    loop.runUntilComplete(main());
    return { count: peak, check, time: loop.time() };
  },
  expected(p: Params) {
    // The listener admits BACKLOG + 1 SYNs at a time (docs/network.md); the SYNs of wave
    // w (from 0) leave at 2^w - 1 s (the first SYN, then its retransmissions 1 s and 3 s
    // later). The last wave's clients are connected at +2L, their requests reach the
    // server at +3L, the replies the clients at +4L, the clients' FINs the server at +5L.
    const waves = Math.ceil(p.n / (BACKLOG + 1));
    return { count: p.n, check: (p.n * (p.n - 1)) % CHECK_MOD, time: 2 ** (waves - 1) - 1 + 5 * LATENCY, tolerance: EXACT };
  },
  stock: false,
};
