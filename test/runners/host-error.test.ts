import { describe, expect, it } from 'vitest';
import { HostError, RuntimeError, ValueError } from '../../src/index.js';

describe('HostError', () => {
  it('names the host and the process, and holds the exception as its cause', () => {
    const cause = new ValueError('bad config');
    const e = new HostError('server', 2, cause);
    expect(e).toBeInstanceOf(RuntimeError);
    expect([e.message, e.host, e.pid, e.cause === cause, e.name]).toEqual([
      "host 'server' (pid 2) failed: ValueError('bad config')", 'server', 2, true, 'HostError',
    ]);
  });
});
