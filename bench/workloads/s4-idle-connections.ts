// S4 round trips beside idle connections (scaling only): n/100 clients connect to an echo
// server and stay idle (each waiting on its reader, as the server's handlers wait on
// theirs), then one more client makes n round trips as W10's do; then all close. From
// N = 10^4 to 10^6, 100 to 10,000 connections are open: a loop or network that scans its
// sockets per operation makes the cost per round trip grow with N. (Opening the idle
// connections is a hundredth of a connection per round trip, some 1-2 µs.)

import { netApi, type Fut, type Gen, type NetReader, type NetWriter } from './api.js';
import { foldCheck } from './lcg.js';
import type { Params, Workload } from './workload.js';
import { EXACT } from './workload.js';

const LATENCY = 0.001;
const PORT = 8890;
const BACKLOG = 4096;

const encoder = new TextEncoder();
const request = (i: number): Uint8Array => encoder.encode(`${i}\n`);
const idleCount = (n: number): number => Math.max(1, Math.floor(n / 100));

function byteSum(b: Uint8Array): number {
  let s = 0;
  for (let k = 0; k < b.length; k++) s += b[k]!;
  return s;
}

export const s4IdleConnections: Workload<undefined> = {
  id: 'S4',
  title: 'round trips beside n/100 idle connections',
  full: { n: 1_000_000, m: 0 },
  quick: { n: 100_000, m: 0 },
  ops: (p) => p.n,
  prepare: () => undefined,
  network: { loopbackLatency: LATENCY },
  run(api, loop, p) {
    const net = netApi(api, 'S4');
    const idle = idleCount(p.n);
    let connected = 0;
    let count = 0;
    let check = 0;
    let allOpen!: Fut<void>;
    let done!: Fut<void>;
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
    function* idler(): Gen<void> {
      const [, writer] = yield* net.openConnection('127.0.0.1', PORT);
      if (++connected === idle) allOpen.setResult(undefined);
      yield* done;
      writer.close();
      yield* writer.waitClosed();
    }
    function* active(): Gen<void> {
      const [reader, writer] = yield* net.openConnection('127.0.0.1', PORT);
      for (let i = 0; i < p.n; i++) {
        const req = request(i);
        writer.write(req);
        yield* writer.drain();
        const reply = yield* reader.readexactly(req.length);
        check = foldCheck(check, byteSum(reply));
        count++;
      }
      writer.close();
      yield* writer.waitClosed();
    }
    function* main(): Gen<void> {
      allOpen = loop.createFuture<void>();
      done = loop.createFuture<void>();
      const server = yield* net.startServer(handle, '127.0.0.1', PORT, BACKLOG);
      const idlers = [];
      for (let i = 0; i < idle; i++) idlers.push(api.createTask(idler()));
      yield* allOpen;
      yield* api.createTask(active());
      done.setResult(undefined);
      yield* api.gather(idlers);
      server.close();
      yield* server.waitClosed();
    }
    loop.runUntilComplete(main());
    return { count, check, time: loop.time() };
  },
  expected(p: Params) {
    let check = 0;
    for (let i = 0; i < p.n; i++) check = foldCheck(check, byteSum(request(i)));
    // The idle clients connect in waves of BACKLOG + 1 (as in W11): the last is connected
    // 2L after its SYN left at 2^(waves-1) - 1 s; then the active client connects (2L),
    // makes its n round trips (2L each), and the server sees the last FINs L later.
    const waves = Math.ceil(idleCount(p.n) / (BACKLOG + 1));
    return { count: p.n, check, time: 2 ** (waves - 1) - 1 + (5 + 2 * p.n) * LATENCY, tolerance: EXACT };
  },
  stock: false,
  // CPython's 10^6 round trips take some 40 s a run (the harness repeats it four times).
  scaling: { impls: ['aiosim', 'cpython'], per: 'round trip', guide: 'flat', maxN: { cpython: 100_000 } },
};
