// BaseExceptionGroup / ExceptionGroup: construction rules and messages, automatic choice
// of ExceptionGroup, str and repr, subgroup/split by class, classes, predicate, through
// nested groups, derive, and the metadata a split copies. Every expectation is what
// CPython 3.13's builtins print for the equivalent Python program.

import { describe, expect, it } from 'vitest';
import {
  BaseExceptionGroup, CancelledError, ExceptionGroup, isException, KeyboardInterrupt, repr, RuntimeError, SystemExit,
  ValueError,
} from '../../src/index.js';
import { _groupOfThrown } from '../../src/errors/exception-group.js';
import { KeyError } from '../_support/python.js';

interface Meta {
  __context__?: unknown;
  __notes__?: string[];
}

// Python: m, r = g.split(cond); s = g.subgroup(cond) — reprs plus identities.
function sp(g: BaseExceptionGroup, cond: Parameters<BaseExceptionGroup['split']>[0]): string {
  const [m, r] = g.split(cond);
  const s = g.subgroup(cond);
  return `match=${repr(m)} rest=${repr(r)} subgroup=${repr(s)} sub_is_self=${s === g} match_is_self=${m === g}`;
}

function makeNested(): ExceptionGroup {
  return new ExceptionGroup('outer', [
    new ValueError('v1'), new ExceptionGroup('inner', [new TypeError('t1'), new ValueError('v2')]), new TypeError('t2'),
  ]);
}

describe('BaseExceptionGroup', () => {
  it('becomes an ExceptionGroup when every member is an ordinary exception', () => {
    const g = new BaseExceptionGroup('m', [new ValueError('a')]);
    expect(g).toBeInstanceOf(ExceptionGroup);
    expect(g.constructor.name).toBe('ExceptionGroup');
    expect(repr(g)).toBe("ExceptionGroup('m', [ValueError('a')])");
    expect(isException(g)).toBe(true);
  });

  it('stays a BaseExceptionGroup, not an ordinary exception, with a BaseException member', () => {
    const mixed = new BaseExceptionGroup('m', [new ValueError('a'), new KeyboardInterrupt()]);
    expect(mixed.constructor.name).toBe('BaseExceptionGroup');
    expect(mixed).not.toBeInstanceOf(ExceptionGroup);
    expect(repr(mixed)).toBe("BaseExceptionGroup('m', [ValueError('a'), KeyboardInterrupt()])");
    expect(isException(mixed)).toBe(false);
    const cancelled = new BaseExceptionGroup('c', [new CancelledError('x')]);
    expect(cancelled.constructor.name).toBe('BaseExceptionGroup');
    expect(isException(cancelled)).toBe(false);
    expect(`${repr(cancelled)} | ${String(cancelled)}`).toBe("BaseExceptionGroup('c', [CancelledError('x')]) | c (1 sub-exception)");
  });

  it('rejects bad arguments with CPython messages', () => {
    expect(() => new ExceptionGroup('m', [new KeyboardInterrupt()])).toThrow(TypeError);
    expect(() => new ExceptionGroup('m', [new KeyboardInterrupt()])).toThrow(/^Cannot nest BaseExceptions in an ExceptionGroup$/);
    expect(() => new ExceptionGroup('m', [new SystemExit(1)])).toThrow(/^Cannot nest BaseExceptions in an ExceptionGroup$/);
    expect(() => new ExceptionGroup('m', [new BaseExceptionGroup('b', [new KeyboardInterrupt()])]))
      .toThrow(/^Cannot nest BaseExceptions in an ExceptionGroup$/);
    expect(() => new ExceptionGroup('m', [])).toThrow(ValueError);
    expect(() => new ExceptionGroup('m', [])).toThrow(/^second argument \(exceptions\) must be a non-empty sequence$/);
    expect(() => new ExceptionGroup('m', [new ValueError(), 5 as never])).toThrow(ValueError);
    expect(() => new ExceptionGroup('m', [new ValueError(), 5 as never]))
      .toThrow(/^Item 1 of second argument \(exceptions\) is not an exception$/);
    expect(() => new BaseExceptionGroup('m', ['x' as never])).toThrow(/^Item 0 of second argument \(exceptions\) is not an exception$/);
    expect(() => new ExceptionGroup('m', [ValueError as never])).toThrow(/^Item 0 of second argument \(exceptions\) is not an exception$/);
    expect(() => new ExceptionGroup(5 as never, [new ValueError()])).toThrow(TypeError);
    expect(() => new ExceptionGroup(5 as never, [new ValueError()]))
      .toThrow(/^BaseExceptionGroup\.__new__\(\) argument 1 must be str, not int$/);
    expect(() => new BaseExceptionGroup(5 as never, [new ValueError()]))
      .toThrow(/^BaseExceptionGroup\.__new__\(\) argument 1 must be str, not int$/);
    expect(() => new ExceptionGroup('m', undefined as never)).toThrow(TypeError);
    expect(() => new ExceptionGroup('m', undefined as never)).toThrow(/^second argument \(exceptions\) must be a sequence$/);
  });

  it('gives str with the sub-exception count, message, repr and a copy of the exceptions', () => {
    const eg = new ExceptionGroup('msg', [new ValueError('a'), new TypeError('b')]);
    expect(String(eg)).toBe('msg (2 sub-exceptions)');
    expect(eg.message).toBe('msg');
    expect(repr(eg)).toBe("ExceptionGroup('msg', [ValueError('a'), TypeError('b')])");
    expect(eg.args[0]).toBe('msg');
    expect(repr([...eg.exceptions])).toBe("[ValueError('a'), TypeError('b')]");
    const one = new ExceptionGroup('one', [new ValueError('a')]);
    expect(`${String(one)} | ${repr(one)}`).toBe("one (1 sub-exception) | ExceptionGroup('one', [ValueError('a')])");
    const empty = new ExceptionGroup('', [new ValueError()]);
    expect(`${repr(empty)} | ${String(empty)}`).toBe("ExceptionGroup('', [ValueError()]) |  (1 sub-exception)");
    // eg.exceptions is a tuple in Python: adding to the list given does not change it.
    const l: Error[] = [new ValueError('a')];
    const g = new ExceptionGroup('m', l);
    l.push(new TypeError('b'));
    expect(`${repr([...g.exceptions])} ${String(g)}`).toBe("[ValueError('a')] m (1 sub-exception)");
    const nested = makeNested();
    expect(`${repr(nested)} ${String(nested)}`).toBe(
      "ExceptionGroup('outer', [ValueError('v1'), ExceptionGroup('inner', [TypeError('t1'), ValueError('v2')]), TypeError('t2')]) outer (3 sub-exceptions)",
    );
  });

  it('splits by class through nested groups, keeping their structure', () => {
    const nested = makeNested();
    expect(sp(nested, ValueError)).toBe(
      "match=ExceptionGroup('outer', [ValueError('v1'), ExceptionGroup('inner', [ValueError('v2')])]) "
      + "rest=ExceptionGroup('outer', [ExceptionGroup('inner', [TypeError('t1')]), TypeError('t2')]) "
      + "subgroup=ExceptionGroup('outer', [ValueError('v1'), ExceptionGroup('inner', [ValueError('v2')])]) sub_is_self=false match_is_self=false",
    );
    expect(sp(nested, TypeError)).toBe(
      "match=ExceptionGroup('outer', [ExceptionGroup('inner', [TypeError('t1')]), TypeError('t2')]) "
      + "rest=ExceptionGroup('outer', [ValueError('v1'), ExceptionGroup('inner', [ValueError('v2')])]) "
      + "subgroup=ExceptionGroup('outer', [ExceptionGroup('inner', [TypeError('t1')]), TypeError('t2')]) sub_is_self=false match_is_self=false",
    );
    expect(sp(nested, KeyError)).toBe(
      "match=None rest=ExceptionGroup('outer', [ValueError('v1'), ExceptionGroup('inner', [TypeError('t1'), ValueError('v2')]), TypeError('t2')]) "
      + 'subgroup=None sub_is_self=false match_is_self=false',
    );
  });

  it('returns a new group when every leaf matches, and the group itself only when the group matches', () => {
    const nested = makeNested();
    const whole = "ExceptionGroup('outer', [ValueError('v1'), ExceptionGroup('inner', [TypeError('t1'), ValueError('v2')]), TypeError('t2')])";
    expect(sp(nested, [ValueError, TypeError])).toBe(`match=${whole} rest=None subgroup=${whole} sub_is_self=false match_is_self=false`);
    expect(sp(nested, ExceptionGroup)).toBe(`match=${whole} rest=None subgroup=${whole} sub_is_self=true match_is_self=true`);
    const all = new ExceptionGroup('all', [new ValueError('1'), new ValueError('2')]);
    const [m, r] = all.split(ValueError);
    expect(`${repr(m)} ${repr(r)} ${m === all}`).toBe("ExceptionGroup('all', [ValueError('1'), ValueError('2')]) None false");
  });

  it('calls a predicate on the group, then on each member depth first, keeping matched objects', () => {
    const nested = makeNested();
    expect(sp(nested, (e) => !(e instanceof BaseExceptionGroup) && (e as Error).message.includes('v'))).toBe(
      "match=ExceptionGroup('outer', [ValueError('v1'), ExceptionGroup('inner', [ValueError('v2')])]) "
      + "rest=ExceptionGroup('outer', [ExceptionGroup('inner', [TypeError('t1')]), TypeError('t2')]) "
      + "subgroup=ExceptionGroup('outer', [ValueError('v1'), ExceptionGroup('inner', [ValueError('v2')])]) sub_is_self=false match_is_self=false",
    );
    const seen: string[] = [];
    nested.split((e) => {
      seen.push(`${(e as Error).constructor.name}:${(e as Error).message}`);
      return e instanceof TypeError;
    });
    expect(seen).toEqual(['ExceptionGroup:outer', 'ValueError:v1', 'ExceptionGroup:inner', 'TypeError:t1', 'ValueError:v2', 'TypeError:t2']);
    const v1 = nested.exceptions[0];
    const inner = nested.exceptions[1];
    const [m, r] = nested.split((e) => e === inner);
    expect(m!.exceptions[0]).toBe(inner);
    expect(r!.exceptions[0]).toBe(v1);
    expect(repr(r)).toBe("ExceptionGroup('outer', [ValueError('v1'), TypeError('t2')])");
    expect(() => nested.subgroup(() => {
      throw new RuntimeError('in predicate');
    })).toThrow(/^in predicate$/);
  });

  it('builds each part of a mixed group as a BaseExceptionGroup or an ExceptionGroup by its members', () => {
    const mixed = new BaseExceptionGroup('mx', [new ValueError('v'), new KeyboardInterrupt('k')]);
    expect(sp(mixed, KeyboardInterrupt)).toBe(
      "match=BaseExceptionGroup('mx', [KeyboardInterrupt('k')]) rest=ExceptionGroup('mx', [ValueError('v')]) "
      + "subgroup=BaseExceptionGroup('mx', [KeyboardInterrupt('k')]) sub_is_self=false match_is_self=false",
    );
    expect(sp(mixed, ValueError)).toBe(
      "match=ExceptionGroup('mx', [ValueError('v')]) rest=BaseExceptionGroup('mx', [KeyboardInterrupt('k')]) "
      + "subgroup=ExceptionGroup('mx', [ValueError('v')]) sub_is_self=false match_is_self=false",
    );
  });

  it('rejects a condition that is neither a class, an array of classes nor a function', () => {
    const nested = makeNested();
    for (const bad of [5, 'x', new ValueError('inst'), undefined]) {
      expect(() => nested.split(bad as never)).toThrow(TypeError);
      expect(() => nested.subgroup(bad as never))
        .toThrow(/^expected an exception type, a tuple of exception types, or a callable \(other than a class\)$/);
    }
  });

  it('copies cause, context and notes onto the parts of a split, but not onto derive()', () => {
    const cause = new RuntimeError('cause');
    const context = new RuntimeError('ctx');
    const g = new ExceptionGroup('meta', [new ValueError('a'), new TypeError('b')]);
    g.cause = cause;
    (g as Meta).__context__ = context;
    (g as Meta).__notes__ = ['note 1'];
    const [m, r] = g.split(ValueError);
    expect(m!.cause).toBe(cause);
    expect((m as Meta).__context__).toBe(context);
    expect((m as Meta).__notes__).toEqual(['note 1']);
    expect(r!.cause).toBe(cause);
    expect((r as Meta).__notes__).toEqual(['note 1']);
    const d = g.derive([new KeyError('k')]);
    expect(repr(d)).toBe("ExceptionGroup('meta', [KeyError('k')])");
    expect(d.cause).toBeUndefined();
    expect((d as Meta).__notes__).toBeUndefined();
    const d2 = new BaseExceptionGroup('b', [new KeyboardInterrupt()]).derive([new ValueError('x')]);
    expect(`${d2.constructor.name} ${repr(d2)}`).toBe("ExceptionGroup ExceptionGroup('b', [ValueError('x')])");
  });

  // aiosim's rule (docs/divergences.md, "Thrown values"): a group aiosim builds from
  // caught values (a TaskGroup's) may hold values that are not Errors; they are ordinary
  // exceptions, of no exception class (Error, like Python's Exception, matches the whole group).
  it('splits a group of thrown values: a class leaves a value that is not an Error with the rest, a predicate sees it', () => {
    const g = _groupOfThrown('thrown', ['text', new ValueError('v'), 42, new KeyboardInterrupt()]);
    expect(g).toBeInstanceOf(BaseExceptionGroup);
    expect(g).not.toBeInstanceOf(ExceptionGroup);
    expect(sp(g, ValueError)).toBe(
      "match=ExceptionGroup('thrown', [ValueError('v')]) rest=BaseExceptionGroup('thrown', ['text', 42, KeyboardInterrupt()]) " +
      "subgroup=ExceptionGroup('thrown', [ValueError('v')]) sub_is_self=false match_is_self=false",
    );
    const [m, r] = g.split(Error);
    expect(m).toBe(g);
    expect(r).toBeUndefined();
    expect(repr(g.subgroup((e) => typeof e === 'number'))).toBe("ExceptionGroup('thrown', [42])");
    expect(repr(_groupOfThrown('all', ['a', 1]))).toBe("ExceptionGroup('all', ['a', 1])");
  });

  it('still refuses values that are not Errors in a group a program builds, derive() included', () => {
    const g = _groupOfThrown('thrown', ['text']);
    expect(() => g.derive([42])).toThrow(ValueError);
    expect(() => g.derive([42])).toThrow(/^Item 0 of second argument \(exceptions\) is not an exception$/);
    expect(() => new ExceptionGroup('m', [new ValueError('v'), 1] as never)).toThrow(/^Item 1 of second argument \(exceptions\) is not an exception$/);
  });
});
