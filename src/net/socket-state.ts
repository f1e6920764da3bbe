// The state a socket of the simulated network is in, and the shapes tcp.ts and udp.ts keep.
// asyncio: none (the kernel's socket states, as docs/network.md models them)

import type { SockAddr } from './address.js';

/** The default send and receive buffer sizes (SO_SNDBUF, SO_RCVBUF), in bytes. */
export const DEFAULT_BUFFER_SIZE = 65536;

/** A stream socket's state. */
export const TcpState = {
  Fresh: 0,
  Connecting: 1,
  Connected: 2,
  Listening: 3,
  // Reset, refused or timed out: no more data either way (Linux's TCP_CLOSE with the shutdown mask).
  Done: 4,
} as const;
/** One of TcpState's values. */
export type TcpState = (typeof TcpState)[keyof typeof TcpState];

/** A queued datagram: its bytes and its sender. */
export interface Datagram {
  readonly data: Uint8Array;
  readonly from: SockAddr;
}
