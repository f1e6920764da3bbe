// checkProperty explores the network's free choices (issue 21, item 2): each message's
// latency on a link with a latency range, each datagram's fate on a lossy link, the order
// of deliveries of different links due at the same instant, and the faults of a
// FaultSchedule; it shrinks towards the fault-free network, names what happened in the
// report, and replays it exactly.

import { describe, expect, it } from 'vitest';
import { getRunningLoop, Simulation, sleep, waitFor, TimeoutError, type Coro, type DatagramTransport } from '../../src/index.js';
import { DatagramProtocol } from '../../src/transports/protocols.js';
import { checkProperty, FaultSchedule, faultSchedule, replayProperty, runInEnvironment } from '../../src/testing/index.js';
import { openConnection, startServer, type StreamReader, type StreamWriter } from '../../src/index.js';
import { ValueError } from '../../src/errors/exceptions.js';
import fastCheckModule from 'fast-check';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

class Collect extends DatagramProtocol {
  readonly got: string[] = [];
  override datagramReceived(data: Uint8Array): void {
    this.got.push(text(data));
  }
}

// A client sends one request datagram and waits 0.1 s for the reply, without retrying:
// it breaks when the request or the reply is lost.
function requestReply(setup: (sim: Simulation) => void): () => boolean {
  return () => {
    const sim = new Simulation({ latency: 0.01 });
    sim.addHost('server');
    sim.addHost('client');
    setup(sim);
    class Server extends DatagramProtocol {
      transport!: DatagramTransport;
      override connectionMade(t: DatagramTransport): void {
        this.transport = t;
      }
      override datagramReceived(data: Uint8Array, addr: [string, number]): void {
        this.transport.sendto(bytes(`re:${text(data)}`), addr);
      }
    }
    sim.host('server', function* server(): Coro<void> {
      yield* getRunningLoop().createDatagramEndpoint(() => new Server(), { localAddr: ['0.0.0.0', 53] });
      yield* getRunningLoop().createFuture();
    });
    const client = sim.client('client', function* client(): Coro<string> {
      yield* sleep(0.001);
      const proto = new Collect();
      const [t] = yield* getRunningLoop().createDatagramEndpoint(() => proto, { remoteAddr: ['10.0.0.1', 53] });
      (t as DatagramTransport).sendto(bytes('q1'));
      yield* sleep(0.1);
      t.close();
      return proto.got.join(',');
    });
    sim.run();
    return client.result() === 're:q1';
  };
}

describe('checkProperty explores the network', () => {
  it('finds a lost datagram, names it, and shrinks to the one loss', () => {
    const scenario = requestReply((sim) => sim.setDatagramFaults('client', 'server', { loss: 0.1 }));
    const result = checkProperty({}, scenario, { seed: 1, runs: 200 });
    expect(result.failed).toBe(true);
    const c = result.counterexample!;
    expect(c.decisions.map((d) => d.kind)).toEqual(['network']);
    expect(c.decisions[0]!.what).toMatch(/^message \d+ (client->server|server->client) dropped$/);
    expect(result.report).toMatch(/ t=0\.0\d+ message \d+ \w+->\w+ dropped/);
    // The nominal network passes, and exploring nothing finds nothing.
    expect(checkProperty({}, scenario, { seed: 1, runs: 50, explore: false }).failed).toBe(false);
    expect(checkProperty({}, scenario, { seed: 1, runs: 50, explore: { network: false } }).failed).toBe(false);
    // The reported run replays exactly, with the same trace.
    const again = replayProperty({}, scenario, { seed: result.seed, path: result.path! });
    expect(again.failed).toBe(true);
    expect(again.decisions).toEqual(c.decisions);
    expect(again.trace.lines()).toEqual(c.trace.lines());
    const plain = runInEnvironment(scenario, { model: {}, ties: c.ties });
    expect(plain.failed).toBe(true);
    expect(plain.decisions).toEqual(c.decisions);
  });

  it('finds a duplicated datagram', () => {
    const scenario = requestReply((sim) => sim.setDatagramFaults('client', 'server', { duplicate: 0.1 }));
    const result = checkProperty({}, scenario, { seed: 2, runs: 200 });
    expect(result.failed).toBe(true);
    expect(result.counterexample!.decisions.map((d) => d.what)).toEqual([expect.stringMatching(/ duplicated$/)]);
  });

  it('chooses latencies within a range: a reply late past the deadline', () => {
    const scenario = requestReply((sim) => sim.setLatency('client', 'server', { min: 0.01, max: 0.06 }));
    const result = checkProperty({}, scenario, { seed: 3, runs: 300 });
    expect(result.failed).toBe(true);
    const whats = result.counterexample!.decisions.map((d) => d.what!);
    expect(whats.length).toBeGreaterThan(0);
    for (const w of whats) expect(w).toMatch(/^message \d+ \w+->\w+ latency 0\.0\d+ \(min 0\.01\)$/);
    // The round trip needs more than 0.099 s: both latencies drawn high.
    const total = whats.map((w) => Number(/latency (\S+)/.exec(w)![1])).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0.08);
    expect(checkProperty({}, scenario, { seed: 3, runs: 50, explore: false }).failed).toBe(false);
  });

  it('orders deliveries of different links due at the same instant', () => {
    // Two clients send at the same instant over equal latencies: the server sees both
    // orders only when the explorer reorders same-instant deliveries.
    const scenario = (): boolean => {
      const sim = new Simulation({ latency: 0.01 });
      sim.addHost('server');
      const proto = new Collect();
      sim.client('server', function* server(): Coro<void> {
        const [t] = yield* getRunningLoop().createDatagramEndpoint(() => proto, { localAddr: ['0.0.0.0', 53] });
        yield* sleep(0.1);
        t.close();
      });
      for (const name of ['a', 'b']) {
        sim.client(name, function* client(): Coro<void> {
          yield* sleep(0.005);
          const [t] = yield* getRunningLoop().createDatagramEndpoint(() => new DatagramProtocol(), { remoteAddr: ['10.0.0.1', 53] });
          (t as DatagramTransport).sendto(bytes(name));
          t.close();
        });
      }
      sim.run();
      return proto.got.join() === 'a,b';
    };
    expect(checkProperty({}, scenario, { seed: 4, runs: 50, explore: { timers: false, threads: false, network: false } }).failed).toBe(false);
    const result = checkProperty({}, scenario, { seed: 4, runs: 100, explore: { timers: false, threads: false, network: true } });
    expect(result.failed).toBe(true);
    expect(result.counterexample!.decisions.map((d) => d.what)).toEqual(['deliveries on a->server, b->server: #2 of 2 went first']);
  });
});

// A client with a 1 s deadline per request over a stream: a partition longer than that
// breaks it; shorter ones do not.
function deadlineScenario({ faults }: { faults: FaultSchedule }): boolean {
  const sim = new Simulation({ latency: 0.01 });
  sim.addHost('server');
  sim.addHost('client');
  sim.host('server', function* server(): Coro<void> {
    function* handle(reader: StreamReader, writer: StreamWriter): Coro<void> {
      for (let data = yield* reader.read(100); data.length > 0; data = yield* reader.read(100)) writer.write(data);
      writer.close();
    }
    yield* startServer(handle, '0.0.0.0', 7);
    yield* getRunningLoop().createFuture();
  });
  const client = sim.client('client', function* client(): Coro<number> {
    const [reader, writer] = yield* openConnection('10.0.0.1', 7);
    let ok = 0;
    for (let i = 0; i < 10; i++) {
      writer.write(bytes('ping'));
      try {
        yield* waitFor(reader.read(100), 1);
        ok++;
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
      }
      yield* sleep(0.5);
    }
    writer.close();
    return ok;
  });
  faults.apply(sim);
  sim.run();
  return client.result() === 10;
}

describe('faultSchedule', () => {
  const model = { faults: faultSchedule({ hosts: ['client', 'server'], start: { max: 4, resolution: 0.1 }, duration: { min: 0.1, max: 3, resolution: 0.1 } }) };

  it('finds the partition that breaks a deadline and shrinks it to one fault, named in words', () => {
    const result = checkProperty(model, deadlineScenario, { seed: 5, runs: 100 });
    expect(result.failed).toBe(true);
    const schedule = result.counterexample!.model.faults;
    expect(schedule.faults).toHaveLength(1);
    const [f] = schedule.faults;
    expect(f!.kind).toBe('partition');
    // Shrunk: the shortest partition that can still break a 1 s wait.
    expect(f!.duration).toBeGreaterThan(0.5);
    expect(f!.duration).toBeLessThanOrEqual(1.5);
    expect(result.report).toContain(`model: {"faults":${String(schedule)}}`);
    expect(String(schedule)).toMatch(/^FaultSchedule\(t=[\d.]+ partition \{(client|server)\} \| \{(server|client)\}; t=[\d.]+ repair \{\w+\} \| \{\w+\}\)$/);
    const again = replayProperty(model, deadlineScenario, { seed: result.seed, path: result.path! });
    expect(again.trace.lines()).toEqual(result.counterexample!.trace.lines());
  });

  it('passes with no fault, and runs the faults at their times', () => {
    expect(runInEnvironment(deadlineScenario, { model: { faults: new FaultSchedule() } }).failed).toBe(false);
    const schedule = new FaultSchedule([
      { kind: 'hold', at: 1, duration: 2, a: ['server'], b: ['client'] },
      { kind: 'oneWayPartition', at: 0.5, duration: 0.2, a: ['client'], b: ['server'] },
    ]);
    expect(schedule.lines()).toEqual([
      't=0.5 partition {client} -> {server}',
      't=0.7 repair {client} -> {server}',
      't=1.0 hold server->client',
      't=3.0 release server->client',
    ]);
    expect(runInEnvironment(deadlineScenario, { model: { faults: schedule } }).failed).toBe(true);
  });

  it('crashes and restarts hosts, resets connections and skews clocks, in words and in effect', () => {
    const schedule = new FaultSchedule([
      { kind: 'crash', at: 1, duration: 0.5, a: ['server'], b: [] },
      { kind: 'reset', at: 3, duration: 9, a: ['client'], b: ['server'] },
      { kind: 'clock', at: 0, duration: 2, a: ['client'], b: [], rate: 1.1 },
      { kind: 'bandwidth', at: 2.5, duration: 1, a: ['client'], b: ['server'], rate: 1000 },
    ]);
    expect(schedule.lines()).toEqual([
      't=0.0 clock client rate 1.1',
      't=1.0 crash server',
      't=1.5 restart server',
      't=2.0 clock client rate 1.0',
      't=2.5 bandwidth client <-> server 1000 B/s',
      't=3.0 reset client <-> server',
      't=3.5 bandwidth client <-> server unlimited',
    ]);
    // The crash resets the client's connection when the server comes back: a failure.
    const run = runInEnvironment(deadlineScenario, { model: { faults: schedule } });
    expect(run.failed).toBe(true);
    expect(String(run.error)).toMatch(/ConnectionResetError/);
    const found = checkProperty({ faults: faultSchedule({ hosts: ['client', 'server'], crashes: ['server'], kinds: ['crash'], start: { max: 4, resolution: 0.5 }, duration: { min: 0.5, max: 2, resolution: 0.5 } }) }, deadlineScenario, { seed: 6, runs: 50 });
    expect(found.failed).toBe(true);
    expect(found.counterexample!.model.faults.faults.map((f) => f.kind)).toEqual(['crash']);
    expect(found.report).toMatch(/FaultSchedule\(t=[\d.]+ crash server; t=[\d.]+ restart server\)/);
  });

  it('draws every kind, clock rates from the given ones', () => {
    const fc = fastCheckModule;
    const arb = faultSchedule({ hosts: ['a', 'b', 'c'], crashes: ['c'], kinds: ['crash', 'reset', 'clock', 'bandwidth'], rates: [3], bandwidths: [7], start: { max: 1 }, duration: { max: 1 }, maxFaults: 5 });
    const faults = fc.sample(arb as never, { numRuns: 100, seed: 1 }).flatMap((s) => (s as FaultSchedule).faults);
    expect(new Set(faults.map((f) => f.kind))).toEqual(new Set(['crash', 'reset', 'clock', 'bandwidth']));
    for (const f of faults) {
      if (f.kind === 'crash') expect(f.a).toEqual(['c']);
      if (f.kind === 'clock') expect(f.rate).toBe(3);
      if (f.kind === 'reset' || f.kind === 'bandwidth') expect(f.a[0]).not.toBe(f.b[0]);
      if (f.kind === 'bandwidth') expect(f.rate).toBe(7);
    }
  });

  it('rejects bad options', () => {
    expect(() => faultSchedule({ hosts: ['a', 'b'], start: { max: 1 }, duration: { max: 1 }, rates: [0] })).toThrow(/^a clock's rate must be a finite number > 0, got 0$/);
    expect(() => faultSchedule({ hosts: ['a', 'b'], start: { max: 1 }, duration: { max: 1 }, crashes: [] })).toThrow(/needs a host that may crash/);
    expect(() => faultSchedule({ hosts: ['a', 'b'], start: { max: 1 }, duration: { max: 1 }, bandwidths: [-1] })).toThrow(/^a bandwidth must be a number of bytes per second > 0, got -1$/);
    expect(() => faultSchedule({ hosts: ['a'], start: { max: 1 }, duration: { max: 1 } })).toThrow(ValueError);
    expect(() => faultSchedule({ hosts: ['a', 'a'], start: { max: 1 }, duration: { max: 1 } })).toThrow(/two or more distinct hosts/);
    expect(() => faultSchedule({ hosts: ['a', 'b'], start: { max: 1 }, duration: { max: 1 }, kinds: ['flood' as 'hold'] })).toThrow(/unknown fault kind 'flood'/);
    expect(() => faultSchedule({ hosts: ['a', 'b'], start: { max: 1 }, duration: { max: 1 }, maxFaults: -1 })).toThrow(/maxFaults/);
  });
});
