// Several hosts: two asyncio programs, one per machine (examples/python/16-two-hosts/
// server.py and client.py), run side by side on one simulated network and one virtual
// clock. Each line shows the virtual time and the host that printed it; what each host
// prints is what CPython printed for its program, run on a real machine.

import { getRunningLoop, repr, Simulation, socket, type Coro } from '../src/index.js';

export function main(): void {
  const sim = new Simulation({ latency: 0.005 });
  // Each host's print: the virtual time, then the host's name (socket.gethostname()).
  const print = (...args: unknown[]): void => {
    const time = getRunningLoop().time().toFixed(3).padStart(6);
    console.log(`[${time}] ${socket.gethostname()}: ${args.map((a) => (typeof a === 'string' ? a : repr(a))).join(' ')}`);
  };

  // server.py
  function* server(): Coro<number> {
    const loop = getRunningLoop();
    const srv = new socket.socket(socket.AF_INET, socket.SOCK_STREAM);
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1);
    srv.bind(['0.0.0.0', 8888]);
    srv.listen();
    srv.setblocking(false);
    print('listening on port', srv.getsockname()[1]);
    const [conn] = yield* loop.sockAccept(srv);
    print('accepted a connection');
    let served = 0;
    for (let data = yield* loop.sockRecv(conn, 1024); data.length > 0; data = yield* loop.sockRecv(conn, 1024)) {
      print('got', data);
      yield* loop.sockSendall(conn, new TextEncoder().encode(new TextDecoder().decode(data).toUpperCase()));
      served += 1;
    }
    print('the client closed its end after', served, 'messages');
    conn.close();
    srv.close();
    return served;
  }

  // client.py
  function* client(): Coro<Uint8Array[]> {
    const loop = getRunningLoop();
    const infos = yield* loop.getaddrinfo('server', 8888, { type: socket.SOCK_STREAM });
    const [family, type, proto, , address] = infos[0]!;
    const sock = new socket.socket(family, type, proto);
    sock.setblocking(false);
    yield* loop.sockConnect(sock, address);
    print('connected to port', address[1]);
    const replies: Uint8Array[] = [];
    for (const word of ['hello', 'two', 'hosts']) {
      yield* loop.sockSendall(sock, new TextEncoder().encode(word));
      const reply = yield* loop.sockRecv(sock, 1024);
      print('reply', reply);
      replies.push(reply);
    }
    sock.close();
    return replies;
  }

  // Each program's last line, `print(..., asyncio.run(main()))`, runs when its process
  // has ended: run() returns when the client's has; join() waits for the server's.
  const at = (): string => sim.network.now.toFixed(3).padStart(6);
  const serverProcess = sim.host('server', server);
  const clientProcess = sim.client('client', client);
  sim.run();
  console.log(`[${at()}] client: done: ${repr(clientProcess.result())}`);
  serverProcess.join();
  console.log(`[${at()}] server: served ${serverProcess.result()}`);
}
