// A socket of the simulated network, with the methods of Python's socket.socket (camelCased):
// what all sockets share (descriptor, binding, options, names, blocking mode, repr) lives
// here; what streams and datagrams do is in tcp.ts and udp.ts. docs/network.md is the model.
// asyncio: socket.socket

import { OSError, RuntimeError, ValueError } from '../errors/exceptions.js';
import { _withoutStack } from '../errors/without-stack.js';
import { reprSymbol, reprTuple } from '../format/py-repr.js';
import { Deque } from '../runtime/deque.js';
import { isWildcard, wildcardOf, type SockAddr } from './address.js';
import { parseSockAddr } from './sockaddr.js';
import { AF_INET, AF_INET6, AF_UNIX, SOCK_DGRAM, SOCK_STREAM, SOMAXCONN } from './constants.js';
import { EADDRINUSE, EADDRNOTAVAIL, EAFNOSUPPORT, EAGAIN, EBADF, EINVAL, ENOTCONN, errnoError } from './errno.js';
import type { Host } from './host.js';
import { network } from './network.js';
import { _threadProcessId } from '../runtime/thread-ident.js';
import { DEFAULT_BUFFER_SIZE, TcpState, type Datagram } from './socket-state.js';
import { bindConflicts } from './bind.js';
import { getOption, setOption } from './socket-options.js';
import { tcpAccept, tcpConnect, tcpReadable, tcpRecv, tcpRelease, tcpSend, tcpShutdown, tcpWritable } from './tcp.js';
import { udpConnect, udpReadable, udpRecvfrom, udpRelease, udpSend, udpSendto } from './udp.js';

/** Bytes Python would accept as a buffer. */
export type Bytes = Uint8Array;

/**
 * A socket on the simulated network: non-blocking stream (TCP) and datagram (UDP) sockets
 * with the behaviour docs/network.md specifies, errors included (`[Errno 111] Connection
 * refused`, …). Bytes are Uint8Arrays, addresses arrays `[host, port]` (IPv6:
 * `[host, port, flowinfo, scopeId]`).
 *
 * @example
 * const s = new socket.socket(socket.AF_INET, socket.SOCK_STREAM);
 * s.setblocking(false);
 * s.bind(['127.0.0.1', 8888]);
 * s.listen();
 * asyncio: socket.socket
 */
export class Socket {
  /** The address family (AF_INET, AF_INET6, AF_UNIX). asyncio: socket.socket.family */
  readonly family: number;
  /** The socket type (SOCK_STREAM, SOCK_DGRAM). asyncio: socket.socket.type */
  readonly type: number;
  /** The protocol number given at creation (0 unless given). asyncio: socket.socket.proto */
  readonly proto: number;
  /** @internal */ readonly _host: Host;
  /** @internal -1 once closed. */ _fd = -1;
  /** @internal close() was called. */ _closed = false;
  /** @internal Its host crashed: it is gone, closed without a word (host-faults.ts). */ _vanished = false;
  /** @internal The process that opened it (a connection's: its listener's); killed, its kernel closes it. */ _pid: number;
  // null: blocking; 0: non-blocking; > 0: a timeout.
  #timeout: number | null = null;
  /** @internal */ _reuseAddr = false;
  /** @internal */ _reusePort = 0;
  /** @internal */ _nodelay = 0;
  /** @internal */ _keepalive = 0;
  /** @internal IPV6_V6ONLY (the model's wildcards never span families: stored only). */ _v6only = 0;
  /** @internal */ _sndbuf = DEFAULT_BUFFER_SIZE;
  /** @internal */ _rcvbuf = DEFAULT_BUFFER_SIZE;
  // Invariant: bound exactly when _localPort > 0 (or an AF_UNIX socket of a pair).
  /** @internal */ _localAddr = '';
  /** @internal */ _localPort = 0;
  /** @internal */ _remoteAddr: string | undefined;
  /** @internal */ _remotePort = 0;
  /** @internal The pending error (SO_ERROR), 0 if none. */ _err = 0;
  /** @internal */ _state: TcpState = TcpState.Fresh;
  // ---- a stream's receiving side (tcp.ts) ----
  /** @internal Arrived segments not yet read; the first from _rxOffset. */ _rx: Deque<Uint8Array> | undefined;
  /** @internal */ _rxOffset = 0;
  /** @internal */ _rxBytes = 0;
  /** @internal A FIN arrived (after every byte before it). */ _fin = false;
  /** @internal */ _rdShut = false;
  /** @internal A FIN was sent. */ _wrShut = false;
  // ---- a stream's sending side ----
  /** @internal The socket at the other end. */ _peer: Socket | undefined;
  /** @internal This direction's capacity: own send buffer + the peer's receive buffer. */ _capacity = 0;
  /** @internal Bytes sent and not yet known to be read by the peer. */ _inPipe = 0;
  /** @internal Counts connect attempts: events of an older attempt find it changed. */ _attempt = 0;
  /** @internal */ _synFirst = 0;
  // ---- a listener, and a connection not yet accepted ----
  /** @internal */ _backlog = 0;
  /** @internal */ _acceptQueue: Deque<Socket> | undefined;
  /** @internal Connections not yet accepted, half-open ones included. */ _pending = 0;
  /** @internal The listener of a connection not yet accepted. */ _listener: Socket | undefined;
  /** @internal In its listener's accept queue. */ _queued = false;
  // ---- a datagram socket ----
  /** @internal */ _dgrams: Deque<Datagram> | undefined;
  /** @internal */ _dgramBytes = 0;
  /** @internal Told when this socket's readiness may have changed (the selector it is registered with). */
  _watcher: ((sock: Socket) => void) | undefined;

  /**
   * Create a socket on the current host, taking the lowest free file descriptor.
   * @throws OSError `[Errno 97] Address family not supported by protocol`; `[Errno 22] Invalid argument` for another type.
   * asyncio: socket.socket
   */
  constructor(family: number = AF_INET, type: number = SOCK_STREAM, proto = 0, _on?: Host) {
    if (family !== AF_INET && family !== AF_INET6 && family !== AF_UNIX) throw errnoError(EAFNOSUPPORT);
    if (type !== SOCK_STREAM && type !== SOCK_DGRAM) throw errnoError(EINVAL);
    this.family = family;
    this.type = type;
    this.proto = proto;
    // A connection's socket at a listener (_on) gets its descriptor from accept().
    this._host = _on ?? network.current;
    this._pid = _threadProcessId();
    if (_on === undefined) this._fd = this._host.allocFd(this);
  }

  /** @internal A connection's socket at a listener, with no descriptor until accept(). */
  _spawn(): Socket {
    const conn = new Socket(this.family, this.type, this.proto, this._host);
    conn._reuseAddr = this._reuseAddr;
    conn._pid = this._pid;
    conn._listener = this;
    return conn;
  }

  /** Return the file descriptor, -1 once closed. asyncio: socket.socket.fileno */
  fileno(): number {
    return this._fd;
  }

  /** @internal The socket's descriptor, or EBADF once closed. */
  _check(): void {
    if (this._closed) throw errnoError(EBADF);
  }

  /**
   * @internal Raise what a call that cannot complete now raises: EAGAIN when non-blocking
   * (made without a stack trace: asyncio raises and catches it on every accept loop and
   * connect).
   */
  _wouldBlock(what: string, errno = EAGAIN): never {
    if (this.#timeout === 0) throw _withoutStack(() => errnoError(errno));
    throw new RuntimeError(`aiosim: blocking socket calls are not simulated (${what} would block): call setblocking(false)`);
  }

  /** @internal Tell the watcher the readiness may have changed. */
  _changed(): void {
    this._watcher?.(this);
  }

  /** @internal Readable now (asyncio's EVENT_READ). */
  _readable(): boolean {
    if (this._closed) return false;
    return this.type === SOCK_STREAM ? tcpReadable(this) : udpReadable(this);
  }

  /** @internal Writable now (asyncio's EVENT_WRITE). */
  _writable(): boolean {
    if (this._closed) return false;
    return this.type === SOCK_STREAM ? tcpWritable(this) : true;
  }

  // ---- binding ------------------------------------------------------------------

  /**
   * Bind the socket to `address`; port 0 takes the next ephemeral port.
   * @throws OSError `[Errno 98] Address already in use`, `[Errno 99] Cannot assign requested address`, `[Errno 22] Invalid argument` when already bound.
   * asyncio: socket.socket.bind
   */
  bind(address: SockAddr): void {
    this._check();
    const [addr, port] = parseSockAddr(this, address, 'bind');
    if (this._localPort !== 0) throw errnoError(EINVAL);
    if (!isWildcard(addr) && !this._host.owns(addr)) throw errnoError(EADDRNOTAVAIL);
    this._bindTo(addr, port);
  }

  /** @internal Bind to `addr` and `port` (0: ephemeral). */
  _bindTo(addr: string, port: number): void {
    if (port === 0) {
      const free = this._host.ephemeralPort(this.type);
      if (free === undefined) throw errnoError(EADDRINUSE);
      port = free;
    } else if (bindConflicts(this, addr, port)) {
      throw errnoError(EADDRINUSE);
    }
    this._localAddr = addr;
    this._localPort = port;
    this._host.usePort(this, port);
  }

  /** @internal Bind to the wildcard address and an ephemeral port unless bound (connect, sendto, listen). */
  _autobind(): void {
    if (this._localPort === 0) this._bindTo(wildcardOf(this.family === AF_INET6), 0);
  }

  // ---- streams: tcp.ts ------------------------------------------------------------

  /**
   * Listen for connections, at most `backlog` waiting to be accepted (Linux admits one more).
   * asyncio: socket.socket.listen
   */
  listen(backlog: number = Math.min(SOMAXCONN, 128)): void {
    this._check();
    if (this.type !== SOCK_STREAM) throw new OSError(95, 'Operation not supported');
    if (this._state !== TcpState.Fresh && this._state !== TcpState.Listening) throw errnoError(EINVAL);
    this._autobind();
    this._backlog = Math.min(Math.max(backlog, 0), SOMAXCONN);
    this._acceptQueue ??= new Deque();
    this._state = TcpState.Listening;
  }

  /**
   * Accept a connection: `[conn, address]`; the new socket is blocking.
   * @throws BlockingIOError `[Errno 11] Resource temporarily unavailable` when none is waiting.
   * asyncio: socket.socket.accept
   */
  accept(): [Socket, SockAddr] {
    this._check();
    return tcpAccept(this);
  }

  /**
   * Connect to `address`: a stream socket sends a SYN and, non-blocking, raises
   * BlockingIOError (EINPROGRESS) until the connection is made; a datagram socket only
   * records its peer.
   * asyncio: socket.socket.connect
   */
  connect(address: SockAddr): void {
    this._check();
    const [addr, port] = parseSockAddr(this, address, 'connect');
    if (this.type === SOCK_STREAM) tcpConnect(this, addr, port);
    else udpConnect(this, addr, port);
  }

  /**
   * Connect as `connect()`, returning the errno instead of raising it (0 on success).
   * asyncio: socket.socket.connect_ex
   */
  connectEx(address: SockAddr): number {
    try {
      this.connect(address);
      return 0;
    } catch (e) {
      if (e instanceof OSError && e.errno !== undefined) return e.errno;
      throw e;
    }
  }

  /**
   * Send bytes on a connected socket; return how many were accepted.
   * asyncio: socket.socket.send
   */
  send(data: Bytes, _flags = 0): number {
    this._check();
    return this.type === SOCK_STREAM ? tcpSend(this, data) : udpSend(this, data);
  }

  /**
   * Send the concatenation of `buffers` as `send` would (a stream: one segment, as many
   * bytes as `send` of the concatenation takes); a datagram socket sends one datagram, to
   * `address` when given. `ancdata` and `flags` are accepted and ignored.
   * asyncio: socket.socket.sendmsg
   */
  sendmsg(buffers: Iterable<Bytes>, _ancdata: readonly unknown[] = [], _flags = 0, address?: SockAddr | null): number {
    this._check();
    const list = [...buffers];
    let size = 0;
    for (const b of list) size += b.length;
    const data = new Uint8Array(size);
    let at = 0;
    for (const b of list) {
      data.set(b, at);
      at += b.length;
    }
    if (this.type === SOCK_STREAM) return tcpSend(this, data);
    if (address === undefined || address === null) return udpSend(this, data);
    const [addr, port] = parseSockAddr(this, address, 'sendmsg');
    return udpSendto(this, data, addr, port);
  }

  /**
   * Send a datagram to `address` (`sendto(data, address)` or `sendto(data, flags, address)`).
   * asyncio: socket.socket.sendto
   */
  sendto(data: Bytes, flagsOrAddress: number | SockAddr, address?: SockAddr): number {
    this._check();
    const to = typeof flagsOrAddress === 'number' ? address : flagsOrAddress;
    if (to === undefined) throw new TypeError('sendto() takes 2 or 3 arguments (1 given)');
    const [addr, port] = parseSockAddr(this, to, 'sendto');
    return udpSendto(this, data, addr, port);
  }

  /**
   * Receive up to `bufsize` bytes; an empty array is the end of the stream.
   * asyncio: socket.socket.recv
   */
  recv(bufsize: number, _flags = 0): Uint8Array {
    this._check();
    if (bufsize < 0) throw new ValueError('negative buffersize in recv');
    return this.type === SOCK_STREAM ? tcpRecv(this, bufsize) : udpRecvfrom(this, bufsize)[0];
  }

  /**
   * Receive into `buffer` (at most `nbytes`, 0: its length); return how many bytes came.
   * asyncio: socket.socket.recv_into
   */
  recvInto(buffer: Uint8Array, nbytes = 0, _flags = 0): number {
    if (nbytes < 0) throw new ValueError('negative buffersize in recv_into');
    if (nbytes > buffer.length) throw new ValueError('buffer too small for requested bytes');
    const data = this.recv(nbytes === 0 ? buffer.length : nbytes);
    buffer.set(data);
    return data.length;
  }

  /**
   * Receive into `buffer` (at most `nbytes`, 0: its length); return how many bytes came
   * and the sender's address.
   * asyncio: socket.socket.recvfrom_into
   */
  recvfromInto(buffer: Uint8Array, nbytes = 0, flags = 0): [number, SockAddr] {
    if (nbytes < 0) throw new ValueError('negative buffersize in recvfrom_into');
    if (nbytes > buffer.length) throw new ValueError('nbytes is greater than the length of the buffer');
    const [data, address] = this.recvfrom(nbytes === 0 ? buffer.length : nbytes, flags);
    buffer.set(data);
    return [data.length, address];
  }

  /**
   * Receive a datagram (truncated to `bufsize`) and its sender's address.
   * asyncio: socket.socket.recvfrom
   */
  recvfrom(bufsize: number, _flags = 0): [Uint8Array, SockAddr] {
    this._check();
    if (bufsize < 0) throw new ValueError('negative buffersize in recvfrom');
    if (this.type === SOCK_STREAM) {
      const data = tcpRecv(this, bufsize);
      return [data, this.getpeername()];
    }
    return udpRecvfrom(this, bufsize);
  }

  /**
   * Shut down reading (SHUT_RD), writing (SHUT_WR: a FIN after the data) or both.
   * asyncio: socket.socket.shutdown
   */
  shutdown(how: number): void {
    this._check();
    if (how !== 0 && how !== 1 && how !== 2) throw errnoError(EINVAL);
    if (this.type === SOCK_STREAM) tcpShutdown(this, how);
    else if (this._remoteAddr === undefined) throw errnoError(ENOTCONN);
  }

  /**
   * Close the socket and free its descriptor; a no-op when closed. A stream sends a FIN,
   * or a RST when received data is unread.
   * asyncio: socket.socket.close
   */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    if (this.type === SOCK_STREAM) tcpRelease(this);
    else udpRelease(this);
    if (this._localPort !== 0) this._host.releasePort(this, this._localPort);
    if (this._fd >= 0) this._host.freeFd(this._fd);
    this._fd = -1;
    this._changed();
  }

  // ---- names and options --------------------------------------------------------

  /** Return the local address. asyncio: socket.socket.getsockname */
  getsockname(): SockAddr | string {
    this._check();
    if (this.family === AF_UNIX) return '';
    const addr = this._localPort === 0 ? wildcardOf(this.family === AF_INET6) : this._localAddr;
    return this.family === AF_INET6 ? [addr, this._localPort, 0, 0] : [addr, this._localPort];
  }

  /** Return the peer's address. @throws OSError `[Errno 107] Transport endpoint is not connected`. asyncio: socket.socket.getpeername */
  getpeername(): SockAddr {
    this._check();
    const connected = this.type === SOCK_DGRAM || this._state === TcpState.Connected;
    if (this._remoteAddr === undefined || !connected) throw errnoError(ENOTCONN);
    if (this.family === AF_UNIX) return '' as unknown as SockAddr;
    return this.family === AF_INET6 ? [this._remoteAddr, this._remotePort, 0, 0] : [this._remoteAddr, this._remotePort];
  }

  /**
   * Return an option's value: SO_ERROR returns the pending error and clears it.
   * @throws OSError `[Errno 92] Protocol not available` for an option the model does not know.
   * asyncio: socket.socket.getsockopt
   */
  getsockopt(level: number, option: number): number {
    this._check();
    return getOption(this, level, option);
  }

  /**
   * Set an option: SO_REUSEADDR, SO_REUSEPORT, SO_KEEPALIVE, SO_SNDBUF, SO_RCVBUF, TCP_NODELAY.
   * asyncio: socket.socket.setsockopt
   */
  setsockopt(level: number, option: number, value: number | boolean): void {
    this._check();
    setOption(this, level, option, Number(value));
  }

  /** Make the socket blocking (true) or non-blocking (false). asyncio: socket.socket.setblocking */
  setblocking(flag: boolean): void {
    this._check();
    this.#timeout = flag ? null : 0;
  }

  /** Return whether the socket is blocking. asyncio: socket.socket.getblocking */
  getblocking(): boolean {
    return this.#timeout !== 0;
  }

  /** Return the timeout: null when blocking, 0 when non-blocking. asyncio: socket.socket.gettimeout */
  gettimeout(): number | null {
    return this.#timeout;
  }

  /** Set the timeout: null blocking, 0 non-blocking. asyncio: socket.socket.settimeout */
  settimeout(value: number | null): void {
    this._check();
    if (value !== null && value < 0) throw new ValueError('Timeout value out of range');
    this.#timeout = value;
  }

  /** Python's repr: `<socket.socket fd=6, family=2, type=1, proto=0, laddr=('127.0.0.1', 8888)>`. */
  [reprSymbol](): string {
    let s = `<socket.socket${this._closed ? ' [closed]' : ''} fd=${this._fd}, family=${this.family}, type=${this.type}, proto=${this.proto}`;
    if (!this._closed) {
      const laddr = this.getsockname();
      if (laddr !== '') s += `, laddr=${reprTuple(laddr as readonly unknown[])}`;
      try {
        const raddr = this.getpeername();
        if ((raddr as unknown) !== '') s += `, raddr=${reprTuple(raddr as readonly unknown[])}`;
      } catch (e) {
        if (!(e instanceof OSError)) throw e;
      }
    }
    return `${s}>`;
  }

  /** The repr. */
  toString(): string {
    return this[reprSymbol]();
  }
}
