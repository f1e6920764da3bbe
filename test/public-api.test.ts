import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as aiosim from '../src/index.js';
import * as testing from '../src/testing/index.js';
import { declaredSurfaces } from './_support/declarations.js';
import { rootTypes, rootValues, testingTypes, testingValues } from './_support/public-api.js';

const sorted = (names: readonly string[]): string[] => [...names].sort();

describe('public API', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(aiosim).sort()).toEqual(sorted(rootValues));
    expect(Object.keys(testing).sort()).toEqual(sorted(testingValues));
  });

  it('declares exactly the documented values and types', () => {
    const src = join(import.meta.dirname, '..', 'src');
    const [root, test] = declaredSurfaces([join(src, 'index.ts'), join(src, 'testing', 'index.ts')]);
    expect(root).toEqual({ values: sorted(rootValues), types: sorted(rootTypes) });
    expect(test).toEqual({ values: sorted(testingValues), types: sorted(testingTypes) });
  });

  it('exports the logging namespace', () => {
    expect(Object.keys(aiosim.logging).sort()).toMatchInlineSnapshot(`
      [
        "CRITICAL",
        "DEBUG",
        "ERROR",
        "INFO",
        "LogRecord",
        "Logger",
        "NOTSET",
        "StreamHandler",
        "WARNING",
        "basicConfig",
        "getLevelName",
        "getLogger",
        "handlers",
        "lastResort",
      ]
    `);
  });

  it('exports the socket namespace', () => {
    expect(Object.keys(aiosim.socket).sort()).toEqual([
      'AF_INET', 'AF_INET6', 'AF_UNIX', 'AF_UNSPEC', 'AI_PASSIVE', 'IPPROTO_IPV6', 'IPPROTO_TCP', 'IPPROTO_UDP', 'IPV6_V6ONLY', 'SHUT_RD', 'SHUT_RDWR', 'SHUT_WR',
      'SOCK_DGRAM', 'SOCK_RAW', 'SOCK_STREAM', 'SOL_SOCKET', 'SOMAXCONN', 'SO_ERROR', 'SO_KEEPALIVE', 'SO_RCVBUF', 'SO_REUSEADDR',
      'SO_REUSEPORT', 'SO_SNDBUF', 'TCP_NODELAY', 'gaierror', 'getaddrinfo', 'gethostname', 'socket', 'socketpair',
    ]);
  });
});
