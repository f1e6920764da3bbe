// Linux's errno values and texts for the socket errors the simulated network raises, and
// the OSError of each (Python's OSError(errno, text) picks the subclass from the errno).
// asyncio: errno, os.strerror

import { osError, OSError } from '../errors/exceptions.js';

/** asyncio: errno.EBADF */ export const EBADF = 9;
/** asyncio: errno.EAGAIN */ export const EAGAIN = 11;
/** asyncio: errno.ENOMEM */ export const ENOMEM = 12;
/** asyncio: errno.EINVAL */ export const EINVAL = 22;
/** asyncio: errno.ENFILE */ export const ENFILE = 23;
/** asyncio: errno.EMFILE */ export const EMFILE = 24;
/** asyncio: errno.EPIPE */ export const EPIPE = 32;
/** asyncio: errno.EDESTADDRREQ */ export const EDESTADDRREQ = 89;
/** asyncio: errno.EMSGSIZE */ export const EMSGSIZE = 90;
/** asyncio: errno.EAFNOSUPPORT */ export const EAFNOSUPPORT = 97;
/** asyncio: errno.EADDRINUSE */ export const EADDRINUSE = 98;
/** asyncio: errno.EADDRNOTAVAIL */ export const EADDRNOTAVAIL = 99;
/** asyncio: errno.ENETUNREACH */ export const ENETUNREACH = 101;
/** asyncio: errno.ECONNABORTED */ export const ECONNABORTED = 103;
/** asyncio: errno.ECONNRESET */ export const ECONNRESET = 104;
/** asyncio: errno.ENOBUFS */ export const ENOBUFS = 105;
/** asyncio: errno.EISCONN */ export const EISCONN = 106;
/** asyncio: errno.ENOTCONN */ export const ENOTCONN = 107;
/** asyncio: errno.ETIMEDOUT */ export const ETIMEDOUT = 110;
/** asyncio: errno.ECONNREFUSED */ export const ECONNREFUSED = 111;
/** asyncio: errno.EALREADY */ export const EALREADY = 114;
/** asyncio: errno.EINPROGRESS */ export const EINPROGRESS = 115;

const TEXTS: ReadonlyMap<number, string> = new Map([
  [EBADF, 'Bad file descriptor'],
  [EAGAIN, 'Resource temporarily unavailable'],
  [ENOMEM, 'Cannot allocate memory'],
  [EINVAL, 'Invalid argument'],
  [ENFILE, 'Too many open files in system'],
  [EMFILE, 'Too many open files'],
  [EPIPE, 'Broken pipe'],
  [EDESTADDRREQ, 'Destination address required'],
  [EMSGSIZE, 'Message too long'],
  [EAFNOSUPPORT, 'Address family not supported by protocol'],
  [EADDRINUSE, 'Address already in use'],
  [EADDRNOTAVAIL, 'Cannot assign requested address'],
  [ENETUNREACH, 'Network is unreachable'],
  [ECONNABORTED, 'Software caused connection abort'],
  [ECONNRESET, 'Connection reset by peer'],
  [ENOBUFS, 'No buffer space available'],
  [EISCONN, 'Transport endpoint is already connected'],
  [ENOTCONN, 'Transport endpoint is not connected'],
  [ETIMEDOUT, 'Connection timed out'],
  [ECONNREFUSED, 'Connection refused'],
  [EALREADY, 'Operation already in progress'],
  [EINPROGRESS, 'Operation now in progress'],
]);

/** Linux's text for `errno`. asyncio: os.strerror */
export function strerror(errno: number): string {
  return TEXTS.get(errno) ?? `Unknown error ${errno}`;
}

/** The OSError a failing system call raises: `[Errno 104] Connection reset by peer`. */
export function errnoError(errno: number): OSError {
  return osError(errno, strerror(errno));
}

/**
 * A failed name lookup: `[Errno -2] Name or service not known`.
 * asyncio: socket.gaierror
 */
export class gaierror extends OSError {}
