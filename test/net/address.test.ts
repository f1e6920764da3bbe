import { describe, expect, it } from 'vitest';
import { isLoopback, isWildcard, parseIPv4, parseIPv6 } from '../../src/net/address.js';

describe('IP literals', () => {
  it('parse IPv4 dotted quads only', () => {
    expect(parseIPv4('10.0.0.1')).toBe('10.0.0.1');
    expect(parseIPv4('256.0.0.1')).toBeUndefined();
    expect(parseIPv4('01.0.0.1')).toBeUndefined();
    expect(parseIPv4('1.2.3')).toBeUndefined();
    expect(parseIPv4('localhost')).toBeUndefined();
  });

  it("print IPv6 as inet_ntop does: the longest run of zero groups as '::'", () => {
    // socket.inet_ntop(AF_INET6, socket.inet_pton(AF_INET6, s)) on CPython
    expect(parseIPv6('::1')).toBe('::1');
    expect(parseIPv6('0:0:0:0:0:0:0:0')).toBe('::');
    expect(parseIPv6('FD00:0:0:0:0:0:0:5')).toBe('fd00::5');
    expect(parseIPv6('1:0:0:2:0:0:0:3')).toBe('1:0:0:2::3');
    expect(parseIPv6('1:0:2:3:4:5:6:7')).toBe('1:0:2:3:4:5:6:7');
    expect(parseIPv6('1::2::3')).toBeUndefined();
    expect(parseIPv6('12345::')).toBeUndefined();
  });

  it('know loopback and wildcard addresses', () => {
    expect(isLoopback('127.0.0.2') && isLoopback('::1')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
    expect(isWildcard('0.0.0.0') && isWildcard('::')).toBe(true);
  });
});
