// fast-check arbitraries for network scenarios (language.ts, "The network"): one or two
// servers, client tasks and main talking to them, now and then datagram endpoints and
// timer callbacks that write. Sizes run from one byte to a few hundred KiB so that
// buffers fill and drain matters; limits are small so that limits overrun; latencies
// are 0 or 0.001–0.05 s. Every scenario terminates: bounded sizes and loops, reads
// often under a timeout, and what still waits when main returns is cancelled by run()
// (or the run stalls, which ends it too).

import fc from 'fast-check';
import type { Action, Data, LoopbackModel, Scenario, Step } from './language.js';

const LATENCIES = [0, 0, 0.001, 0.005, 0.01, 0.02, 0.05];
const LIMITS = [8, 16, 64, 1024];
const TIMEOUTS = [0, 0.05, 0.2, 1];
const SLEEPS = [0, 0.01, 0.05, 0.1, 0.5];
const STRINGS = ['x', 'hello\n', 'line one\nline two\n', 'no newline', 'a;b;c', 'ab\nab\n\n', 'zz|zz|', '\n'];
const SEPARATORS: (string | string[])[] = ['\n', '\n', 'a', ';', 'zz', ['\n', ';'], ['zz', 'z', '|'], '', []];

// Sizes: mostly small, some that fill a pipe (131072 bytes per direction) and more.
const sizeArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 100 }) },
  { weight: 3, arbitrary: fc.integer({ min: 100, max: 20_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 20_000, max: 140_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 140_000, max: 300_000 }) },
);

const dataArb: fc.Arbitrary<Data> = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...STRINGS) }, { weight: 3, arbitrary: sizeArb });

const readSizeArb = fc.constantFrom(-1, -1, -1, 0, 1, 7, 100, 4096, 65536, 200_000);
const exactSizeArb = fc.oneof(fc.constantFrom(-1, 0, 1, 5, 100), sizeArb);

/** The reads of a connection. */
function readArbs(conn: fc.Arbitrary<string>): fc.Arbitrary<Step>[] {
  return [
    fc.tuple(conn, readSizeArb).map(([c, n]): Step => ['read', c, n]),
    conn.map((c): Step => ['readline', c]),
    fc.tuple(conn, exactSizeArb).map(([c, n]): Step => ['readexactly', c, n]),
    fc.tuple(conn, fc.constantFrom(...SEPARATORS)).map(([c, s]): Step => ['readuntil', c, s]),
  ];
}

/** The writes and other actions on a connection (callbacks may run them too). */
function connActionArbs(conn: fc.Arbitrary<string>): fc.WeightedArbitrary<Action>[] {
  const w = (weight: number, arbitrary: fc.Arbitrary<Action>): fc.WeightedArbitrary<Action> => ({ weight, arbitrary });
  const mark = fc.option(fc.constantFrom(0, 16, 64, 1024, 65536), { nil: null });
  return [
    w(8, fc.tuple(conn, dataArb).map(([c, d]): Action => ['write', c, d])),
    w(2, fc.tuple(conn, fc.array(dataArb, { maxLength: 3 })).map(([c, ds]): Action => ['writelines', c, ds])),
    w(2, conn.map((c): Action => ['writeEof', c])),
    w(2, conn.map((c): Action => ['close', c])),
    w(1, conn.map((c): Action => ['abort', c])),
    w(1, conn.map((c): Action => ['isClosing', c])),
    w(1, conn.map((c): Action => ['atEof', c])),
    w(1, conn.map((c): Action => ['writeBufferSize', c])),
    w(1, fc.tuple(conn, mark, mark).map(([c, h, l]): Action => ['setWriteBufferLimits', c, h, l])),
  ];
}

/** A read, alone or under a timeout (caught), or a few in a row. */
function guardedReadArb(conn: fc.Arbitrary<string>): fc.Arbitrary<Step> {
  const read = fc.oneof(...readArbs(conn));
  return fc.oneof(
    { weight: 3, arbitrary: read },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...TIMEOUTS), read).map(([t, r]): Step => ['try', [['timeout', t, [r]]], 'TimeoutError', [['log', 'timeout']]]) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 2, max: 4 }), read).map(([n, r]): Step => ['repeatSteps', n, [r]]) },
  );
}

interface NetShape {
  servers: number;
  /** Labels of the servers a body may name. */
  serverLabels: string[];
  /** Labels of every client connection. */
  clientLabels: string[];
  callbacks: number;
}

/** A step of a body whose own connection is `own` (a client label or '@'). */
function netStepArb(shape: NetShape, own: string): fc.Arbitrary<Step> {
  const conn = fc.oneof({ weight: 12, arbitrary: fc.constant(own) }, { weight: 1, arbitrary: fc.constantFrom(...shape.clientLabels, '@') });
  const server = fc.constantFrom(...shape.serverLabels);
  const actions = fc.oneof(...connActionArbs(conn));
  const w = (weight: number, arbitrary: fc.Arbitrary<Step>): fc.WeightedArbitrary<Step> => ({ weight, arbitrary });
  const arbs: fc.WeightedArbitrary<Step>[] = [
    w(10, actions),
    w(6, guardedReadArb(conn)),
    w(3, conn.map((c): Step => ['drain', c])),
    w(1, fc.tuple(fc.constantFrom(...TIMEOUTS), conn).map(([t, c]): Step => ['try', [['timeout', t, [['drain', c]]]], 'TimeoutError', []])),
    w(1, conn.map((c): Step => ['waitClosed', c])),
    w(2, fc.constantFrom(...SLEEPS).map((d): Step => ['sleep', d])),
    w(1, fc.constant<Step>(['yield'])),
    w(1, server.map((s): Step => ['isServing', s])),
  ];
  if (shape.callbacks > 0) arbs.push(w(1, fc.tuple(fc.constantFrom(0, 0.01, 0.1), fc.nat(shape.callbacks - 1)).map(([d, c]): Step => ['callLater', d, c])));
  return fc.oneof(...arbs);
}

/** What main does to servers late in its run. */
function serverEndArb(shape: NetShape): fc.Arbitrary<Step[]> {
  const server = fc.constantFrom(...shape.serverLabels);
  const waitClosed = (s: string): Step => ['try', [['timeout', 1, [['serverWaitClosed', s]]]], 'TimeoutError', [['log', 'still open']]];
  return fc.oneof(
    fc.constant<Step[]>([]),
    server.map((s): Step[] => [['serverClose', s], waitClosed(s)]),
    server.map((s): Step[] => [['serverClose', s], ['closeClients', s], waitClosed(s)]),
    server.map((s): Step[] => [['serverClose', s], ['abortClients', s], waitClosed(s)]),
    server.map((s): Step[] => [['closeClients', s], ['sleep', 0.1], ['serverClose', s]]),
  );
}

/**
 * Datagram endpoints u0 (bound) and u1 (bound, connected, or both) and what main does
 * with them; they close at the end (a send on a transport whose socket is gone raises
 * what Python raises for an attribute of None: not a network behaviour).
 */
const datagramStepsArb: fc.Arbitrary<Step[]> = fc
  .tuple(fc.constantFrom(9000, 0), fc.constantFrom<[number | null, number | string | null]>([null, 'u0'], [9001, null], [null, 9009], [9001, 'u0']))
  .chain(([local0, [local1, remote1]]) => {
    const payload = fc.oneof(fc.constantFrom('ping', ''), fc.integer({ min: 1, max: 2000 }), fc.constant(70_000));
    const to1 = remote1 === null ? fc.constantFrom<number | string | null>('u0', 9009) : fc.constantFrom<number | string | null>(null, null, 'u0', 9009);
    const send0 = fc.tuple(payload, fc.constantFrom<number | string | null>('u1', 'u1', 'u0', 9009)).map(([d, to]): Step => ['sendto', 'u0', d, to]);
    const send1 = fc.tuple(payload, to1).map(([d, to]): Step => ['sendto', 'u1', d, to]);
    const ops = fc.array(fc.oneof({ weight: 3, arbitrary: send0 }, { weight: 3, arbitrary: send1 }, { weight: 2, arbitrary: fc.constantFrom(0, 0.01, 0.1).map((d): Step => ['sleep', d]) }), {
      minLength: 1,
      maxLength: 8,
    });
    const end = fc.constantFrom<Step[]>([['datagramClose', 'u0'], ['datagramClose', 'u1']], [['datagramAbort', 'u1'], ['datagramClose', 'u0']], []);
    return fc.tuple(ops, end).map(([o, e]): Step[] => [['datagramEndpoint', 'u0', local0, null], ['datagramEndpoint', 'u1', local1, remote1], ...o, ['sleep', 0.1], ...e]);
  });

/**
 * What main does to its client tasks, now and then: cancel one (wherever it waits: a
 * read, a drain, a connect), or wait for it a while (a timeout cancels it).
 */
function taskStepsArb(clientBodies: readonly number[]): fc.Arbitrary<Step[]> {
  if (clientBodies.length === 0) return fc.constant([]);
  const task = fc.constantFrom(...clientBodies).map((b) => `t:k${b}`);
  const op = fc.oneof(
    fc.tuple(task, fc.constantFrom(null, 'm1')).map(([t, m]): Step => ['cancel', t, m]),
    fc.tuple(task, fc.constantFrom(0, 0.05, 1)).map(([t, d]): Step => ['try', [['waitFor', t, d]], 'Exception', []]),
    fc.constantFrom(0, 0.01).map((d): Step => ['sleep', d]),
  );
  return fc.oneof({ weight: 2, arbitrary: fc.constant<Step[]>([]) }, { weight: 1, arbitrary: fc.array(op, { minLength: 1, maxLength: 3 }) });
}

/**
 * A loopback link's model (docs/network.md, "Link models"), now and then: latencies drawn
 * from a range, a bandwidth that makes large writes take their time, datagrams lost and
 * duplicated; each part present or not.
 */
const loopbackModelArb: fc.Arbitrary<LoopbackModel> = fc
  .record({
    seed: fc.nat(1000),
    latency: fc.option(fc.constantFrom<[number, number]>([0, 0.01], [0.001, 0.05], [0.01, 0.5]), { nil: undefined }),
    bandwidth: fc.option(fc.constantFrom(10_000, 200_000, 5_000_000), { nil: undefined }),
    loss: fc.option(fc.constantFrom(0.1, 0.5), { nil: undefined }),
    duplicate: fc.option(fc.constantFrom(0.1, 0.3), { nil: undefined }),
  })
  .map((m) => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)) as unknown as LoopbackModel);

/**
 * Random network scenarios (shrinkable): main serves one or two servers (bodies 1 and
 * 2 serve their connections), spawns client tasks and is often a client itself; some
 * have datagram endpoints and callbacks that write.
 */
export function netScenarioArb(idPrefix = 'net'): fc.Arbitrary<Scenario> {
  return fc
    .record({
      servers: fc.integer({ min: 1, max: 2 }),
      clients: fc.integer({ min: 0, max: 3 }),
      callbacks: fc.nat(2),
      mainIsClient: fc.boolean(),
      datagrams: fc.boolean(),
      // Debug mode, now and then: aiosim's debug mode tracks every coroutine it makes,
      // which makes read(-1) with a small limit (a read per limit bytes) slow.
      debug: fc.constantFrom(false, false, false, false, false, false, false, true),
    })
    .chain((drawn) => {
      const serverLabels = Array.from({ length: drawn.servers }, (_, i) => `s${i}`);
      const clientBodies = Array.from({ length: drawn.clients }, (_, k) => 1 + drawn.servers + k);
      const clientLabels = [...(drawn.mainIsClient ? ['c0'] : []), ...clientBodies.map((b) => `c${b}`)];
      const shape: NetShape = { servers: drawn.servers, serverLabels, clientLabels, callbacks: drawn.callbacks };
      const target = fc.constantFrom<string | number>(...serverLabels, ...serverLabels, 8000, 8009);
      const limit = fc.option(drawn.debug ? fc.constant(1024) : fc.constantFrom(...LIMITS), { nil: null, freq: 2 });
      const connect = (label: string): fc.Arbitrary<Step> => fc.tuple(target, limit).map(([t, l]): Step => ['connect', label, t, l]);
      const serve = fc.tuple(...serverLabels.map((s, i) => fc.tuple(fc.constantFrom(8000 + i, 8000 + i, 8000, 0), limit).map(([port, l]): Step => ['serve', s, i + 1, port, l])));
      const clientBody = (label: string, min: number): fc.Arbitrary<Step[]> =>
        fc.tuple(connect(label), fc.array(netStepArb(shape, label), { minLength: min, maxLength: 10 })).map(([c, rest]) => [c, ...rest]);
      const main = fc
        .tuple(
          serve,
          drawn.datagrams ? datagramStepsArb : fc.constant<Step[]>([]),
          drawn.mainIsClient ? clientBody('c0', 1) : fc.constant<Step[]>([]),
          fc.constantFrom(0, 0.1, 0.5, 2).map((d): Step => ['sleep', d]),
          taskStepsArb(clientBodies),
          serverEndArb(shape),
          fc.option(fc.constantFrom<Step>(['close', 'c0'], ['waitClosed', 'c0'], ['return', 'done']), { nil: undefined }),
        )
        .map(([servers, datagrams, client, pause, tasks, end, last]): Step[] => [
          ...servers,
          ...clientBodies.map((b): Step => ['spawn', b, `k${b}`]),
          ...datagrams,
          ...client,
          pause,
          ...tasks,
          ...end,
          ...(last === undefined ? [] : [last]),
        ]);
      return fc.record({
        id: fc.constant(idPrefix),
        futures: fc.constant(0),
        net: fc.tuple(fc.constantFrom(...LATENCIES), fc.option(loopbackModelArb, { nil: undefined, freq: 2 }))
          .map(([loopbackLatency, model]) => (model === undefined ? { loopbackLatency } : { loopbackLatency, model })),
        debug: fc.constant(drawn.debug),
        bodies: fc.tuple(
          main,
          ...serverLabels.map(() => fc.array(netStepArb(shape, '@'), { minLength: 1, maxLength: 8 })),
          ...clientBodies.map((b) => clientBody(`c${b}`, 2)),
        ),
        callbacks: fc.tuple(...Array.from({ length: drawn.callbacks }, () => fc.array(fc.oneof(...connActionArbs(fc.constantFrom(...clientLabels, '@'))), { minLength: 1, maxLength: 3 }))),
      });
    }) as fc.Arbitrary<Scenario>;
}
