// CPython 3.13's test_asyncio/test_events.py, HandleTests: one `it` per test method, titled
// after it. Module notes and shared helpers: ./_support.ts.

import { describe, expect, it } from 'vitest';
import { Handle, newEventLoop, repr, ValueError } from '../../../src/index.js';
import { siteHere } from '../_support.js';
import { fakeLoop, noop, resetAfterEach } from './_support.js';

resetAfterEach();

describe('HandleTests', () => {
  it('test_handle — a Handle keeps its callback and arguments until cancelled', () => {
    const callback = (...args: unknown[]): unknown[] => args;
    const args: unknown[] = [];
    const h = new Handle(callback, args, fakeLoop(true));
    expect(h._callback).toBe(callback);
    expect(h._args).toEqual(args);
    expect(h.cancelled()).toBe(false);
    h.cancel();
    expect(h.cancelled()).toBe(true);
  });

  it('test_callback_with_exception — a failing callback reaches callExceptionHandler with the handle', () => {
    const callback = (): never => {
      throw new ValueError();
    };
    const fake = fakeLoop(true);
    const h = new Handle(callback, [], fake);
    h._run();
    expect(fake.contexts).toHaveLength(1);
    const context = fake.contexts[0]!;
    expect(Object.keys(context).sort()).toEqual(['exception', 'handle', 'message', 'source_traceback']);
    expect(context.message).toMatch(/^Exception in callback .*/);
    expect(context.exception).toBeInstanceOf(ValueError);
    expect(context.handle).toBe(h);
    expect(context.source_traceback).toBe(h._sourceTraceback);
  });

  it('test_handle_repr — outside debug mode the arguments are hidden; a cancelled handle is <Handle cancelled>', () => {
    const h = new Handle(noop, [1, 2], fakeLoop(false));
    expect(repr(h)).toMatch(/^<Handle noop\(\) at \S+test_events\/_support\.ts:\d+(:\d+)?>$/);
    h.cancel();
    expect(repr(h)).toBe('<Handle cancelled>');
  });

  it('test_handle_repr_debug — in debug mode the arguments and creation site show, and cancel() freezes them', () => {
    const [h, created] = [new Handle(noop, [1, 2], fakeLoop(true)), siteHere()];
    const source = /noop\(1, 2\) at (\S+test_events\/_support\.ts:\d+(?::\d+)?) created at/.exec(repr(h))?.[1];
    expect(repr(h)).toBe(`<Handle noop(1, 2) at ${source} created at ${created}>`);
    h.cancel();
    expect(repr(h)).toBe(`<Handle cancelled noop(1, 2) at ${source} created at ${created}>`);
    // A second cancel() does not overwrite the frozen repr.
    h.cancel();
    expect(repr(h)).toBe(`<Handle cancelled noop(1, 2) at ${source} created at ${created}>`);
  });

  it('test_handle_source_traceback — in debug mode every scheduling call records its call site', function test_handle_source_traceback() {
    const l = newEventLoop();
    l.setDebug(true);
    const check = (h: Handle, site: string): void => {
      expect(Array.isArray(h._sourceTraceback)).toBe(true);
      const last = h._sourceTraceback!.at(-1)!;
      expect(`${last.file}:${last.line}`).toBe(site);
      expect(last.name).toMatch(/test_handle_source_traceback/);
    };
    let [h, site] = [l.callSoon(noop), siteHere()];
    check(h, site);
    [h, site] = [l.callSoonThreadsafe(noop), siteHere()];
    check(h, site);
    [h, site] = [l.callLater(0, noop), siteHere()];
    check(h, site);
    [h, site] = [l.callAt(l.time(), noop), siteHere()];
    check(h, site);
    l.close();
  });
});
