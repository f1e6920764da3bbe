// A host of the simulated network: its name and addresses, its file descriptors (lowest
// free first, from 3) and its ports (ephemeral ones sequentially from 32768).
// asyncio: none (what the kernel of one machine keeps for its sockets)

import { heappop, heappush } from '../runtime/heapq.js';
import { isLoopback } from './address.js';
import { HostClock } from './host-clock.js';
import type { Socket } from './socket.js';

/** The first ephemeral port and the last (Linux's ip_local_port_range). */
export const EPHEMERAL_FIRST = 32768;
export const EPHEMERAL_LAST = 60999;
// 0, 1 and 2 are stdin, stdout and stderr.
const FIRST_FD = 3;

const lessNumber = (a: number, b: number): boolean => a < b;

/** A machine on the network. */
export class Host {
  readonly name: string;
  /** Its IPv4 addresses, canonical, the first one the source of what it sends. */
  ipv4: readonly string[];
  /** Its IPv6 addresses, canonical. */
  ipv6: readonly string[];
  /** Its clock: what loop.time() reads on it (docs/network.md, "Clocks"). */
  readonly clock = new HostClock();
  // Invariant: the free descriptors are #freeFds (a min-heap) and every number >= #nextFd.
  #nextFd = FIRST_FD;
  readonly #freeFds: number[] = [];
  readonly #fds = new Map<number, Socket | null>();
  #nextPort = EPHEMERAL_FIRST;
  // The sockets using a port, by `${type}:${port}` (accepted connections included).
  readonly #ports = new Map<string, Set<Socket>>();
  // Invariant: while _down, the host has no socket (its tables are a fresh kernel's) and
  // _waiting holds, in arrival order, the TCP packets that reached it meanwhile.
  /** @internal The machine crashed and is not restarted yet: it answers nothing. */
  _down = false;
  /** @internal TCP packets that reached it while down (sender, arrival): they reach it again after the restart. */
  _waiting: [Host, () => void][] = [];

  constructor(name: string, ipv4: readonly string[], ipv6: readonly string[]) {
    this.name = name;
    this.ipv4 = ipv4;
    this.ipv6 = ipv6;
  }

  /** Take the lowest free descriptor for `owner` (null: a descriptor that is no socket, as a loop's epoll). */
  /**
   * @internal Whether the host behaves as a fresh one would: no descriptor, port or
   * address taken, no port handed out, up, its clock global. (Descriptors freed are the
   * lowest free ones again, so a host whose loops all closed numbers its next as a new one.)
   */
  _idle(): boolean {
    return this.#fds.size === 0 && this.#ports.size === 0 && this.#nextPort === EPHEMERAL_FIRST && !this._down
      && this._waiting.length === 0 && !this.clock.skewed && this.ipv4.length === 0 && this.ipv6.length === 0;
  }

  allocFd(owner: Socket | null): number {
    const fd = this.#freeFds.length > 0 ? heappop(this.#freeFds, lessNumber) : this.#nextFd++;
    this.#fds.set(fd, owner);
    return fd;
  }

  /** Give `fd` back. */
  freeFd(fd: number): void {
    if (!this.#fds.delete(fd)) return;
    heappush(this.#freeFds, fd, lessNumber);
  }

  /** The socket behind `fd`, if it is one. */
  socketAt(fd: number): Socket | undefined {
    return this.#fds.get(fd) ?? undefined;
  }

  /** Whether `addr` (canonical) is one of this host's: its own, a loopback or a wildcard one. */
  owns(addr: string): boolean {
    return isLoopback(addr) || this.ipv4.includes(addr) || this.ipv6.includes(addr);
  }

  /** The address a packet from this host to `dest` leaves from (Linux's route: loopback to loopback). */
  sourceFor(dest: string, v6: boolean): string | undefined {
    if (isLoopback(dest)) return v6 ? '::1' : '127.0.0.1';
    return v6 ? this.ipv6[0] : this.ipv4[0];
  }

  /** The sockets of `type` using `port`. */
  portUsers(type: number, port: number): ReadonlySet<Socket> | undefined {
    return this.#ports.get(`${type}:${port}`);
  }

  /** Record that `sock` uses `port`. */
  usePort(sock: Socket, port: number): void {
    const key = `${sock.type}:${port}`;
    let users = this.#ports.get(key);
    if (users === undefined) this.#ports.set(key, (users = new Set()));
    users.add(sock);
  }

  /** `sock` no longer uses `port`. */
  releasePort(sock: Socket, port: number): void {
    const key = `${sock.type}:${port}`;
    const users = this.#ports.get(key);
    if (users === undefined) return;
    users.delete(sock);
    if (users.size === 0) this.#ports.delete(key);
  }

  /** The next free ephemeral port of `type` (sequential, wrapping); undefined when all are used. */
  ephemeralPort(type: number): number | undefined {
    const count = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
    for (let i = 0; i < count; i++) {
      const port = this.#nextPort;
      this.#nextPort = port === EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1;
      if (!this.#ports.has(`${type}:${port}`)) return port;
    }
    return undefined;
  }

  /**
   * @internal Every socket of the host: those with a descriptor in ascending order, then
   * those using a port only (connections not yet accepted), in the order they took it.
   */
  _sockets(): Socket[] {
    const all = new Set<Socket>();
    for (const fd of [...this.#fds.keys()].sort((x, y) => x - y)) {
      const s = this.#fds.get(fd);
      if (s != null) all.add(s);
    }
    for (const users of this.#ports.values()) for (const s of users) all.add(s);
    return [...all];
  }

  /** @internal Forget every descriptor and port: the tables of a kernel that just booted. */
  _reboot(): void {
    this.#nextFd = FIRST_FD;
    this.#freeFds.length = 0;
    this.#fds.clear();
    this.#nextPort = EPHEMERAL_FIRST;
    this.#ports.clear();
  }
}
