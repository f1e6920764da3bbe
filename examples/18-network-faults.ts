// Testing a networked program under faults: a deposit service on one host, a client on
// another, over UDP on a lossy link. The client retries a request whose reply does not
// come within 0.1 s: when a reply is lost, the server sees the deposit twice. checkProperty
// explores which datagrams the link loses (and duplicates), finds the run that breaks the
// balance, shrinks it to the one lost reply, and names it; the fix (an idempotency key
// per request, remembered by the server) passes a long campaign. A second property runs
// the same service over a stream through a partition chosen by faultSchedule().
// The same in vitest: test/examples/network-faults.test.ts; README "Testing networked programs".

import {
  DatagramProtocol, getRunningLoop, openConnection, Queue, Simulation, sleep, startServer, TimeoutError, waitFor,
  type Coro, type DatagramTransport, type StreamReader, type StreamWriter,
} from '../src/index.js';
import { checkProperty, faultSchedule, type FaultSchedule, type PropertyOptions } from '../src/testing/index.js';

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

/** How the server treats a request it has seen before. */
export type Dedup = 'none' | 'idempotency keys';

// ---- the service: `deposit <id> <amount>` answered by `ok <balance>` ------------------------

/** The server's state, and what it does with one request (its reply). */
export class Account {
  balance = 0;
  /** How many times each deposit was applied (the property: at most once). */
  readonly applied = new Map<string, number>();
  // The fix: the reply of each request id already applied.
  readonly #replies = new Map<string, string>();

  constructor(readonly dedup: Dedup) {}

  /** `deposit <id> <amount>` → `<id> ok <balance>`; `balance <id>` → `<id> balance <balance>`. */
  handle(request: string): string {
    const [op, id, amount] = request.split(' ');
    if (op === 'balance') return `${id!} balance ${this.balance}`;
    if (this.dedup === 'idempotency keys' && this.#replies.has(id!)) return this.#replies.get(id!)!;
    this.balance += Number(amount);
    this.applied.set(id!, (this.applied.get(id!) ?? 0) + 1);
    const reply = `${id!} ok ${this.balance}`;
    this.#replies.set(id!, reply);
    return reply;
  }
}

class ServerProtocol extends DatagramProtocol {
  transport!: DatagramTransport;

  constructor(readonly account: Account) {
    super();
  }

  override connectionMade(transport: DatagramTransport): void {
    this.transport = transport;
  }

  override datagramReceived(data: Uint8Array, addr: [string, number]): void {
    this.transport.sendto(encode(this.account.handle(decode(data))), addr);
  }
}

class ClientProtocol extends DatagramProtocol {
  readonly replies = new Queue<string>();

  override datagramReceived(data: Uint8Array): void {
    this.replies.putNowait(decode(data));
  }
}

/**
 * Send `request` (its second word is its id) until its reply comes, 0.1 s per try, up to
 * 5 tries; the reply. Replies to earlier requests (a late or duplicated one) are skipped.
 */
function* call(transport: DatagramTransport, protocol: ClientProtocol, request: string): Coro<string> {
  const id = request.split(' ')[1]!;
  for (let attempt = 1; ; attempt++) {
    transport.sendto(encode(request));
    try {
      return yield* waitFor(replyTo(protocol, id), 0.1);
    } catch (e) {
      if (!(e instanceof TimeoutError) || attempt === 5) throw e;
    }
  }
}

function* replyTo(protocol: ClientProtocol, id: string): Coro<string> {
  for (;;) {
    const reply = yield* protocol.replies.get();
    if (reply.startsWith(`${id} `)) return reply;
  }
}

/**
 * One run: three deposits of 10, then the balance. The property: no deposit is applied
 * twice, and a client that did not give up (five lost tries in a row) reads 30.
 */
export function depositsOverUdp(dedup: Dedup): () => boolean {
  return () => {
    const sim = new Simulation({ latency: 0.01 });
    sim.addHost('bank');
    sim.addHost('client');
    // The link loses or duplicates datagrams, both ways: under checkProperty, the explorer
    // chooses which (shrinking towards none); in a plain run, the simulation's seed does.
    sim.setDatagramFaults('client', 'bank', { loss: 0.05, duplicate: 0.05 });
    const account = new Account(dedup);
    sim.host('bank', function* bank(): Coro<void> {
      yield* getRunningLoop().createDatagramEndpoint(() => new ServerProtocol(account), { localAddr: ['0.0.0.0', 4000] });
      yield* getRunningLoop().createFuture();
    });
    const client = sim.client('client', function* client(): Coro<string> {
      const protocol = new ClientProtocol();
      const [transport] = yield* getRunningLoop().createDatagramEndpoint(() => protocol, { remoteAddr: ['10.0.0.1', 4000] });
      try {
        for (const id of ['d1', 'd2', 'd3']) yield* call(transport as DatagramTransport, protocol, `deposit ${id} 10`);
        return yield* call(transport as DatagramTransport, protocol, 'balance b1');
      } catch (e) {
        if (!(e instanceof TimeoutError)) throw e;
        return 'gave up';
      } finally {
        transport.close();
      }
    });
    sim.run();
    const once = [...account.applied.values()].every((n) => n === 1);
    return once && (client.result() === 'gave up' || client.result() === 'b1 balance 30');
  };
}

// ---- the same over a stream, through a partition ------------------------------------------

/**
 * The client sends each deposit on a connection and waits 1 s for the reply; on a timeout
 * it reconnects and sends it again. A partition longer than the wait (chosen by
 * faultSchedule) makes it send a deposit the server already has: without idempotency keys
 * the balance ends too high.
 */
export function depositsOverTcp(dedup: Dedup): (model: { faults: FaultSchedule }) => boolean {
  return ({ faults }) => {
    const sim = new Simulation({ latency: 0.01 });
    sim.addHost('bank');
    sim.addHost('client');
    const account = new Account(dedup);
    sim.host('bank', function* bank(): Coro<void> {
      function* serve(reader: StreamReader, writer: StreamWriter): Coro<void> {
        for (let line = yield* reader.readline(); line.length > 0; line = yield* reader.readline()) {
          writer.write(encode(`${account.handle(decode(line).trim())}\n`));
        }
        writer.close();
      }
      yield* startServer(serve, '0.0.0.0', 4000);
      yield* getRunningLoop().createFuture();
    });
    const client = sim.client('client', function* client(): Coro<number> {
      let done = 0;
      for (const id of ['d1', 'd2', 'd3']) {
        for (;;) {
          let writer: StreamWriter | undefined;
          try {
            const [reader, w] = yield* waitFor(openConnection('10.0.0.1', 4000), 5);
            writer = w;
            writer.write(encode(`deposit ${id} 10\n`));
            yield* waitFor(reader.readline(), 1);
            writer.close();
            done++;
            break;
          } catch (e) {
            if (!(e instanceof TimeoutError)) throw e;
            writer?.transport.abort();
          }
        }
        yield* sleep(0.5);
      }
      return done;
    });
    faults.apply(sim);
    sim.run();
    return client.result() === 3 && account.balance === 30;
  };
}

export const partitions = {
  faults: faultSchedule({ hosts: ['client', 'bank'], start: { max: 2, resolution: 0.1 }, duration: { min: 0.1, max: 4, resolution: 0.1 } }),
};

// ---- running them ------------------------------------------------------------------------

/** What this example prints that looks like a failure (run-all says so before it runs). */
export const note = 'prints failing properties on purpose: each bug is found under a network fault, then its fix passes';

export function main(): void {
  const options: PropertyOptions = { seed: 1, runs: 300, traceKinds: ['message', 'fault'] };
  console.log('--- 1. retries over a lossy link (UDP), no idempotency keys');
  console.log(checkProperty({}, depositsOverUdp('none'), options).report);
  console.log(`the fix: ${checkProperty({}, depositsOverUdp('idempotency keys'), { ...options, runs: 1000 }).report}`);
  console.log('--- 2. reconnects through a partition (TCP), no idempotency keys');
  console.log(checkProperty(partitions, depositsOverTcp('none'), options).report);
  console.log(`the fix: ${checkProperty(partitions, depositsOverTcp('idempotency keys'), options).report}`);
}
