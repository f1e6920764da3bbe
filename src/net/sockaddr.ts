// The address arguments of socket methods: a tuple of the socket's family, whose host is a
// literal, '' (the wildcard) or a name of the network (resolved as Python's socket module
// resolves it, blocking, to the family's first address).
// asyncio: socket's address arguments (getsockaddrarg in socketmodule.c)

import { pyTypeName } from '../format/py-repr.js';
import { parseIPv4, parseIPv6, wildcardOf } from './address.js';
import { AF_INET6 } from './constants.js';
import { gaierror } from './errno.js';
import { network } from './network.js';

/** What a socket of `family` needs to read an address. */
interface Family {
  readonly family: number;
}

/**
 * The canonical host and the port of `address` for a socket of `sock.family`.
 * @throws TypeError for an address of the wrong shape; gaierror `[Errno -2] Name or service not known`.
 */
export function parseSockAddr(sock: Family, address: unknown, op: string): [string, number] {
  const v6 = sock.family === AF_INET6;
  const name = v6 ? 'AF_INET6' : 'AF_INET';
  if (!Array.isArray(address)) throw new TypeError(`${name} address must be tuple, not ${pyTypeName(address)}`);
  if (v6 ? address.length < 2 || address.length > 4 : address.length !== 2) {
    throw new TypeError(v6 ? 'AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])' : 'AF_INET address must be a pair (host, port)');
  }
  const [host, port] = address as unknown[];
  if (typeof host !== 'string') throw new TypeError(`str, bytes or bytearray expected, not ${pyTypeName(host)}`);
  if (typeof port !== 'number' || !Number.isInteger(port)) throw new TypeError(`'${pyTypeName(port)}' object cannot be interpreted as an integer`);
  if (port < 0 || port > 65535) throw new RangeError(`${op}(): port must be 0-65535.`);
  return [hostAddress(host, v6), port];
}

function hostAddress(host: string, v6: boolean): string {
  if (host === '') return wildcardOf(v6);
  const literal = v6 ? parseIPv6(host) : parseIPv4(host);
  if (literal !== undefined) return literal;
  if ((v6 ? parseIPv4(host) : parseIPv6(host)) !== undefined) throw new gaierror(-9, 'Address family for hostname not supported');
  const resolved = network.resolve(host)?.find((a) => (v6 ? parseIPv6(a) : parseIPv4(a)) !== undefined);
  if (resolved === undefined) throw new gaierror(-2, 'Name or service not known');
  return resolved;
}
