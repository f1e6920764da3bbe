// Internal callbacks named as asyncio names them: named() for Python functions and
// closures (shown with their source), boundMethod() and markBound() for bound methods.

import { describe, expect, it } from 'vitest';
import { formatCallbackSource } from '../../src/format/format-callback.js';
import { boundMethod, markBound, named } from '../../src/format/named.js';

describe('markBound', () => {
  it('shows a callback named as an object literal property as boundMethod shows it', () => {
    const self = { n: 1 };
    const literal = markBound({ 'Proto.connection_made': (): number => self.n }['Proto.connection_made']);
    const renamed = boundMethod('Proto.connection_made', (): number => self.n);
    expect(literal.name).toBe('Proto.connection_made');
    expect(formatCallbackSource(literal, [], false)).toBe('Proto.connection_made()');
    expect(formatCallbackSource(literal, [], false)).toBe(formatCallbackSource(renamed, [], false));
    const lost = 'Transport._call_connection_lost';
    expect(formatCallbackSource(markBound({ [lost]: (): void => {} }[lost]!), [1], true)).toBe('Transport._call_connection_lost(1)');
  });

  it('leaves named() callbacks their source location', () => {
    const cb = named('outer.<locals>.callback', (): void => {});
    expect(formatCallbackSource(cb, [], false)).toMatch(/^outer\.<locals>\.callback\(\) at .*named\.test\.ts:\d+$/);
  });
});
