import { beforeEach, describe, expect, it } from 'vitest';
import { _resetNetwork, network } from '../../src/net/network.js';
import { socket } from '../../src/index.js';
import { _newProcess, _resetProcessIds, _setCurrentThreadIdent, MAIN_THREAD_IDENT } from '../../src/runtime/thread-ident.js';

beforeEach(() => {
  _resetNetwork();
  _resetProcessIds();
  _setCurrentThreadIdent(MAIN_THREAD_IDENT);
});

describe('_resetNetwork', () => {
  it('keeps a network nothing was done with (descriptors freed count as nothing), and replaces any other', () => {
    const fresh = network;
    const fd = network.defaultHost.allocFd(null);
    network.defaultHost.freeFd(fd);
    _resetNetwork();
    expect(network).toBe(fresh);
    const changes: (() => void)[] = [
      () => network.addHost('db', ['10.0.0.5']),
      () => { network.latency = 0.5; },
      () => { network.loopbackLatency = 0.1; },
      () => { network.seed = 3; },
      () => { network.messages = 1; },
      () => network.model(network.defaultHost, network.defaultHost),
      () => network.partition(network.defaultHost, network.defaultHost),
      () => network.addAddresses(network.defaultHost, ['10.0.0.9']),
      () => network.defaultHost.allocFd(null),
      () => network.defaultHost.clock.set({ rate: 2 }, 0, true, 'localhost'),
      () => {
        // An ephemeral port handed out, even when its socket is closed again.
        const s = new socket.socket(socket.AF_INET, socket.SOCK_DGRAM);
        s.bind(['127.0.0.1', 0]);
        s.close();
      },
    ];
    for (const change of changes) {
      const before = network;
      change();
      _resetNetwork();
      expect(network).not.toBe(before);
      expect(network._pristine()).toBe(true);
    }
  });
});

describe('Network', () => {
  it('lists its hosts, the default one first, finds them by name and knows the addresses taken', () => {
    const db = network.addHost('db', ['10.0.0.5'], ['FD00::5']);
    expect(network.hosts().map((h) => h.name)).toEqual(['localhost', 'db']);
    expect(network.getHost('db')).toBe(db);
    expect(network.getHost('nope')).toBe(undefined);
    expect([network.isTaken('10.0.0.5'), network.isTaken('fd00::5'), network.isTaken('10.0.0.6')]).toEqual([true, true, false]);
  });

  it('gives a host more addresses, refusing those taken, repeated or loopback', () => {
    network.addHost('db', ['10.0.0.5']);
    network.addAddresses(network.defaultHost, ['10.0.0.100'], ['fd00::64']);
    expect([network.defaultHost.ipv4, network.defaultHost.ipv6]).toEqual([['10.0.0.100'], ['fd00::64']]);
    expect(network.route(network.defaultHost, '10.0.0.5')?.name).toBe('db');
    expect(network.route(network.getHost('db')!, '10.0.0.100')).toBe(network.defaultHost);
    expect(() => network.addAddresses(network.defaultHost, ['10.0.0.5'])).toThrow(/^the address '10.0.0.5' is taken$/);
    expect(() => network.addAddresses(network.defaultHost, ['10.0.0.7', '10.0.0.7'])).toThrow(/^the address '10.0.0.7' is taken$/);
    expect(() => network.addAddresses(network.defaultHost, ['127.0.0.2'])).toThrow(/^the address '127.0.0.2' is taken$/);
    expect(() => network.addAddresses(network.defaultHost, ['10.0.0'])).toThrow(/^'10.0.0' is not an IP address$/);
    expect(network.defaultHost.ipv4).toEqual(['10.0.0.100']);
  });

  it("is current on the host of the running thread's process", () => {
    const box = network.addHost('box', ['10.0.0.9']);
    const pid = _newProcess(7);
    network._placeProcess(pid, box);
    expect(network.current).toBe(network.defaultHost);
    _setCurrentThreadIdent(7);
    expect(network.current).toBe(box);
    network._placeProcess(pid, undefined);
    expect(network.current).toBe(network.defaultHost);
  });
});
