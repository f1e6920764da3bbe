// What the ports of test_sock_lowlevel share: the in-loop stand-in of CPython's test HTTP
// server (test_utils.run_test_server runs one in a thread; here it is a task on the same
// loop speaking the same little protocol, so everything runs on the virtual clock), and the
// runner comparing each program's Python and TypeScript versions line by line.

import { beforeEach, describe, expect, it } from 'vitest';
import { createTask, getRunningLoop, run, socket, type Coro, type Task } from '../../../src/index.js';
import { _resetNetwork, network } from '../../../src/net/network.js';
import { world } from '../../../src/runtime/world.js';
import { runNetPython } from '../../scenario/oracle/cpython.js';
import { bytes, concatBytes, netOutput, resetNetOutput } from '../../_support/net-programs.js';

export const PY_PRELUDE = `
import asyncio, socket
def log(*a):
    print(asyncio.get_running_loop().time(), *a)

async def httpd(listener):
    """The in-loop stand-in of test_utils.run_test_server: GET answers 'Test message',
    POST echoes its body; one request per connection, then close."""
    loop = asyncio.get_running_loop()
    while True:
        conn, _ = await loop.sock_accept(listener)
        data = b''
        while b'\\r\\n\\r\\n' not in data:
            data += await loop.sock_recv(conn, 65536)
        head, _, body = data.partition(b'\\r\\n\\r\\n')
        if head.startswith(b'POST'):
            size = int(head.split(b'Content-Length: ')[1].split(b'\\r\\n')[0])
            while len(body) < size:
                body += await loop.sock_recv(conn, 65536)
            reply = body
        else:
            reply = b'Test message'
        await loop.sock_sendall(conn, b'HTTP/1.0 200 OK\\r\\nContent-Length: %d\\r\\n\\r\\n' % len(reply) + reply)
        conn.close()

def start_httpd(port=8000):
    listener = socket.socket()
    listener.setblocking(False)
    listener.bind(('127.0.0.1', port))
    listener.listen(5)
    return listener, asyncio.create_task(httpd(listener))
`;

// The in-loop HTTP server, as in PY_PRELUDE.
export function* httpd(listener: socket.socket): Coro<void> {
  const loop = getRunningLoop();
  for (;;) {
    const [conn] = yield* loop.sockAccept(listener);
    let data: Uint8Array = new Uint8Array(0);
    while (indexOf(data, '\r\n\r\n') < 0) data = concatBytes(data, yield* loop.sockRecv(conn, 65536));
    const split = indexOf(data, '\r\n\r\n');
    const head = new TextDecoder().decode(data.subarray(0, split));
    let body: Uint8Array = data.subarray(split + 4);
    let reply: Uint8Array;
    if (head.startsWith('POST')) {
      const size = Number(/Content-Length: (\d+)/.exec(head)![1]);
      while (body.length < size) body = concatBytes(body, yield* loop.sockRecv(conn, 65536));
      reply = body;
    } else {
      reply = bytes('Test message');
    }
    yield* loop.sockSendall(conn, concatBytes(bytes(`HTTP/1.0 200 OK\r\nContent-Length: ${reply.length}\r\n\r\n`), reply));
    conn.close();
  }
}

export function startHttpd(port = 8000): [socket.socket, Task<void>] {
  const listener = new socket.socket();
  listener.setblocking(false);
  listener.bind(['127.0.0.1', port]);
  listener.listen(5);
  return [listener, createTask(httpd(listener))];
}

export function indexOf(data: Uint8Array, text: string): number {
  const needle = bytes(text);
  outer: for (let i = 0; i + needle.length <= data.length; i++) {
    for (let j = 0; j < needle.length; j++) if (data[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** One method of test_sock_lowlevel as a program in both languages. */
export interface Program {
  readonly name: string;
  readonly loopbackLatency: number;
  readonly python: string;
  readonly main: () => Coro<void>;
}

/** Run each program on CPython over the twin and on aiosim; their outputs must be equal. */
export function comparePrograms(title: string, programs: readonly Program[]): void {
  beforeEach(() => {
    world._reset();
    _resetNetwork();
  });

  describe(title, () => {
    for (const program of programs) {
      it(program.name, async () => {
        const expected = await runNetPython(`${PY_PRELUDE}\n${program.python}\nasyncio.run(main())\n`, program.loopbackLatency);
        network.loopbackLatency = program.loopbackLatency;
        resetNetOutput();
        run(program.main());
        expect(netOutput().length).toBeGreaterThan(0);
        expect(netOutput().join('\n')).toBe(expected.trimEnd());
        if (process.env.SHOW_NET_TRACES) console.log(expected);
      });
    }
  });
}
