// Python's warnings module: the default filters, each action with its registry, filter
// matching (message and module regexes, category subclasses, lineno), filter order,
// resetwarnings, catchWarnings, showwarning and formatwarning. Every expectation is what
// the quoted Python program printed on CPython 3.13.2 (the oracle; its C `_warnings`);
// source sites differ, so a warning's place is compared by site (A, B) or by shape.
// Filters are process-global: every test runs inside catchWarnings or is undone by
// _restoreDefaultFilters after it.

import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DeprecationWarning, isException, PendingDeprecationWarning, repr, ResourceWarning, RuntimeWarning, UserWarning,
  Warning, warnings, type WarningCategory, type WarningMessage,
} from '../../src/index.js';
import { _restoreDefaultFilters } from '../../src/log/warnings.js';

afterEach(() => {
  _restoreDefaultFilters();
});

class MyWarning extends RuntimeWarning {}

// Two places a warning can come from (Python: two functions, each with one warn call).
function siteA(text: string | Warning, category: WarningCategory = RuntimeWarning): void {
  warnings.warn(text, category);
}
function siteB(text: string | Warning, category: WarningCategory = RuntimeWarning): void {
  warnings.warn(text, category);
}

function lineOf(site: typeof siteA): number {
  return warnings.catchWarnings({ record: true }, (log) => {
    warnings.simplefilter('always');
    site('where');
    return log[0]!.lineno;
  });
}
const A = lineOf(siteA);
const B = lineOf(siteB);

type Shown = [string, string, string | number];

// [category, text, site] of each warning shown while `fn` runs (in catchWarnings).
function shown(fn: () => void): Shown[] {
  return warnings.catchWarnings({ record: true }, (log) => {
    fn();
    return log.map((w): Shown => [w.category.name, String(w.message), w.lineno === A ? 'A' : w.lineno === B ? 'B' : w.lineno]);
  });
}

// Call `fn`; if it throws a warning, note `raised <Class> <text>` in `out`.
function tryWarn(out: string[], fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof Warning)) throw e;
    out.push(`raised ${e.constructor.name} ${String(e)}`);
  }
}

describe('default filters', () => {
  it('hide ResourceWarning and PendingDeprecationWarning and show the program’s DeprecationWarning', () => {
    // siteA('r', ResourceWarning); siteA('p', PendingDeprecationWarning); siteA('d', DeprecationWarning)
    // siteA('rt'); warnings.warn('u')   (recorded with the default filters)
    const got = shown(() => {
      siteA('r', ResourceWarning);
      siteA('p', PendingDeprecationWarning);
      siteA('d', DeprecationWarning);
      siteA('rt');
      warnings.warn('u');
    });
    expect(got.map(([c, t]) => [c, t])).toEqual([
      ['DeprecationWarning', 'd'],
      ['RuntimeWarning', 'rt'],
      ['UserWarning', 'u'],
    ]);
  });

  it('show a DeprecationWarning from __main__ once per location (its filter is default)', () => {
    // for i in range(2): siteA('d', DeprecationWarning)
    // siteB('d', DeprecationWarning)
    const got = shown(() => {
      for (let i = 0; i < 2; i++) siteA('d', DeprecationWarning);
      siteB('d', DeprecationWarning);
    });
    expect(got).toEqual([
      ['DeprecationWarning', 'd', 'A'],
      ['DeprecationWarning', 'd', 'B'],
    ]);
  });

  it('show a ResourceWarning once a filter asks for it, as -W default does', () => {
    // warnings.simplefilter('default', ResourceWarning); siteA('r', ResourceWarning)
    const got = shown(() => {
      warnings.simplefilter('default', ResourceWarning);
      siteA('r', ResourceWarning);
    });
    expect(got).toEqual([['ResourceWarning', 'r', 'A']]);
  });
});

describe('warnings.warn', () => {
  it('defaults to UserWarning and attributes the warning to the calling line', () => {
    const log = warnings.catchWarnings({ record: true }, (w) => {
      warnings.warn('plain');
      return w;
    });
    expect(log).toHaveLength(1);
    const entry = log[0]!;
    expect(entry.category).toBe(UserWarning);
    expect(entry.message).toBeInstanceOf(UserWarning);
    expect(String(entry.message)).toBe('plain');
    expect(entry.filename).toMatch(/warnings\.test\.ts$/);
    expect(Number.isInteger(entry.lineno) && entry.lineno > 0).toBe(true);
    expect(entry.lineno).not.toBe(A);
  });

  it('takes the category from a Warning instance and shows that instance', () => {
    // w = MyWarning('mine'); warnings.warn(w) → recorded category MyWarning, message is w
    const w = new MyWarning('mine');
    const log = warnings.catchWarnings({ record: true }, (l) => {
      warnings.warn(w);
      return l;
    });
    expect(log.map((e) => [e.category, e.message === w])).toEqual([[MyWarning, true]]);
  });

  it('attributes the warning to the caller’s caller with stacklevel 2', () => {
    // def helper(level): warnings.warn('lvl', UserWarning, level)
    // simplefilter('always'); helper(1); helper(1); helper(2); helper(2)
    // → lines 63, 63, 68, 69: the helper's line twice, then each call site
    function helper(level: number): void {
      warnings.warn('lvl', UserWarning, level);
    }
    const lines = warnings.catchWarnings({ record: true }, (log) => {
      warnings.simplefilter('always');
      helper(1);
      helper(1);
      helper(2);
      helper(2);
      return log.map((w) => w.lineno);
    });
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(lines[1]);
    expect(new Set([lines[0], lines[2], lines[3]]).size).toBe(3);
  });
});

describe('warnings.simplefilter', () => {
  it("'default' shows a warning once per location, text and category", () => {
    // simplefilter('default'); for i in range(2): siteA('t')
    // siteB('t'); siteA('u'); siteA('t', UserWarning)
    const got = shown(() => {
      warnings.simplefilter('default');
      for (let i = 0; i < 2; i++) siteA('t');
      siteB('t');
      siteA('u');
      siteA('t', UserWarning);
    });
    expect(got).toEqual([
      ['RuntimeWarning', 't', 'A'],
      ['RuntimeWarning', 't', 'B'],
      ['RuntimeWarning', 'u', 'A'],
      ['UserWarning', 't', 'A'],
    ]);
  });

  it("'once' shows a warning once per text and category, wherever it comes from", () => {
    // simplefilter('once'); siteA('t'); siteB('t'); siteA('u'); siteB('t', UserWarning)
    const got = shown(() => {
      warnings.simplefilter('once');
      siteA('t');
      siteB('t');
      siteA('u');
      siteB('t', UserWarning);
    });
    expect(got).toEqual([
      ['RuntimeWarning', 't', 'A'],
      ['RuntimeWarning', 'u', 'A'],
      ['UserWarning', 't', 'B'],
    ]);
  });

  it("'once' forgets what it showed when the filters change, as 3.13.2's registry does", () => {
    // def once(): simplefilter('once'); siteA('t')
    // rec(once); rec(once)                  → shown in both catch_warnings blocks
    // simplefilter('once'); siteA('t'); simplefilter('once', UserWarning); siteA('t') → shown twice
    // (CPython 3.13.2's C registry; reported upstream as gh-153128, unfixed)
    const once = (): void => {
      warnings.simplefilter('once');
      siteA('once-t');
    };
    expect([shown(once), shown(once)]).toEqual([[['RuntimeWarning', 'once-t', 'A']], [['RuntimeWarning', 'once-t', 'A']]]);
    const got = shown(() => {
      warnings.simplefilter('once');
      siteA('once-u');
      warnings.simplefilter('once', UserWarning);
      siteA('once-u');
    });
    expect(got).toEqual([
      ['RuntimeWarning', 'once-u', 'A'],
      ['RuntimeWarning', 'once-u', 'A'],
    ]);
  });

  it("'module' shows a warning once per module", () => {
    // simplefilter('module'); siteA('t'); siteB('t'); siteA('u')
    // warnings.warn_explicit('t', RuntimeWarning, 'other.py', 1)
    const got = shown(() => {
      warnings.simplefilter('module');
      siteA('t');
      siteB('t');
      siteA('u');
      warnings.warnExplicit('t', RuntimeWarning, 'other.py', 1);
    });
    expect(got).toEqual([
      ['RuntimeWarning', 't', 'A'],
      ['RuntimeWarning', 'u', 'A'],
      ['RuntimeWarning', 't', 1],
    ]);
  });

  it("'always' shows every warning and 'ignore' none of its category", () => {
    // simplefilter('always'); siteA('t'); siteA('t')
    // simplefilter('ignore', RuntimeWarning); siteA('t'); siteA('u', UserWarning)
    const got = shown(() => {
      warnings.simplefilter('always');
      siteA('t');
      siteA('t');
      warnings.simplefilter('ignore', RuntimeWarning);
      siteA('t');
      siteA('u', UserWarning);
    });
    expect(got).toEqual([
      ['RuntimeWarning', 't', 'A'],
      ['RuntimeWarning', 't', 'A'],
      ['UserWarning', 'u', 'A'],
    ]);
  });

  it("'error' throws the warning, the very instance when one was given", () => {
    // simplefilter('error'); siteA('boom') raises RuntimeWarning('boom')
    // w = MyWarning('inst'); warnings.warn(w) raises w itself
    warnings.catchWarnings({ record: true }, (log) => {
      warnings.simplefilter('error');
      expect(() => siteA('boom')).toThrow(RuntimeWarning);
      const w = new MyWarning('inst');
      let thrown: unknown;
      try {
        warnings.warn(w);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBe(w);
      expect(log).toEqual([]);
    });
    const err = warnings.catchWarnings({}, () => {
      warnings.simplefilter('error');
      try {
        siteA('boom');
      } catch (e) {
        return e;
      }
      return undefined;
    });
    expect(err).toBeInstanceOf(RuntimeWarning);
    expect(repr(err)).toBe("RuntimeWarning('boom')");
  });

  it('puts the newest filter first, moves a re-added one to the front and appends at the end', () => {
    // simplefilter('error'); simplefilter('ignore'); siteA('1')      → ignored
    // simplefilter('error'); siteA('2')                               → raised
    // simplefilter('ignore', Warning, 0, True); siteA('3')            → raised
    // simplefilter('always', RuntimeWarning, 0, True); siteA('4')     → raised
    const out: string[] = [];
    const got = shown(() => {
      warnings.simplefilter('error');
      warnings.simplefilter('ignore');
      tryWarn(out, () => siteA('1'));
      warnings.simplefilter('error');
      tryWarn(out, () => siteA('2'));
      warnings.simplefilter('ignore', Warning, { append: true });
      tryWarn(out, () => siteA('3'));
      warnings.simplefilter('always', RuntimeWarning, { append: true });
      tryWarn(out, () => siteA('4'));
    });
    expect(got).toEqual([]);
    expect(out).toEqual(['raised RuntimeWarning 2', 'raised RuntimeWarning 3', 'raised RuntimeWarning 4']);
  });

  it('matches subclasses of the filter’s category', () => {
    // simplefilter('error', RuntimeWarning); siteA('mine', MyWarning); siteA('user', UserWarning)
    // simplefilter('error', Warning); siteA('user2', UserWarning)
    const out: string[] = [];
    const got = shown(() => {
      warnings.simplefilter('error', RuntimeWarning);
      tryWarn(out, () => siteA('mine', MyWarning));
      tryWarn(out, () => siteA('user', UserWarning));
      warnings.simplefilter('error', Warning);
      tryWarn(out, () => siteA('user2', UserWarning));
    });
    expect(out).toEqual(['raised MyWarning mine', 'raised UserWarning user2']);
    expect(got).toEqual([['UserWarning', 'user', 'A']]);
  });

  it('matches only the given line when lineno is set', () => {
    // simplefilter('error', RuntimeWarning, A); siteA('a'); siteB('b')
    const out: string[] = [];
    const got = shown(() => {
      warnings.simplefilter('error', RuntimeWarning, { lineno: A });
      tryWarn(out, () => siteA('a'));
      tryWarn(out, () => siteB('b'));
    });
    expect(out).toEqual(['raised RuntimeWarning a']);
    expect(got).toEqual([['RuntimeWarning', 'b', 'B']]);
  });

  it('rejects an unknown action with ValueError', () => {
    // warnings.simplefilter('bogus') → ValueError: invalid action: 'bogus'
    let err: unknown;
    try {
      warnings.simplefilter('bogus' as never);
    } catch (e) {
      err = e;
    }
    expect(repr(err)).toBe('ValueError("invalid action: \'bogus\'")');
  });
});

describe('warnings.filterwarnings', () => {
  it('matches the message at its start, ignoring case, and the category', () => {
    // filterwarnings('error', message='x'); siteA('X marks'); siteA('a x')
    // filterwarnings('error', message='m', category=RuntimeWarning); siteA('mr'); siteA('mu', UserWarning)
    const out: string[] = [];
    const got = shown(() => {
      warnings.filterwarnings('error', { message: 'x' });
      tryWarn(out, () => siteA('X marks'));
      tryWarn(out, () => siteA('a x'));
      warnings.filterwarnings('error', { message: 'm', category: RuntimeWarning });
      tryWarn(out, () => siteA('mr'));
      tryWarn(out, () => siteA('mu', UserWarning));
    });
    expect(out).toEqual(['raised RuntimeWarning X marks', 'raised RuntimeWarning mr']);
    expect(got).toEqual([
      ['RuntimeWarning', 'a x', 'A'],
      ['UserWarning', 'mu', 'A'],
    ]);
  });

  it('matches the module (the file name without .py) at its start, with case', () => {
    // filterwarnings('error', module='pkg/mo')
    // warn_explicit('m', RuntimeWarning, 'pkg/mod.py', 3)   → raised
    // warn_explicit('m', RuntimeWarning, 'mod.py', 4); warn_explicit('m', RuntimeWarning, 'PKG/mod.py', 5)
    const out: string[] = [];
    const got = shown(() => {
      warnings.filterwarnings('error', { module: 'pkg/mo' });
      tryWarn(out, () => warnings.warnExplicit('m', RuntimeWarning, 'pkg/mod.py', 3));
      tryWarn(out, () => warnings.warnExplicit('m', RuntimeWarning, 'mod.py', 4));
      tryWarn(out, () => warnings.warnExplicit('m', RuntimeWarning, 'PKG/mod.py', 5));
    });
    expect(out).toEqual(['raised RuntimeWarning m']);
    expect(got).toEqual([
      ['RuntimeWarning', 'm', 4],
      ['RuntimeWarning', 'm', 5],
    ]);
  });

  it("matches the program's own code with module='__main__'", () => {
    // filterwarnings('error', module='__main__'); siteA('main') → raised RuntimeWarning main
    const out: string[] = [];
    const got = shown(() => {
      warnings.filterwarnings('error', { module: '__main__' });
      tryWarn(out, () => siteA('main'));
    });
    expect(out).toEqual(['raised RuntimeWarning main']);
    expect(got).toEqual([]);
  });
});

describe('warnings.warnExplicit', () => {
  it("keeps no registry of its own: 'default' and 'module' show every call", () => {
    // simplefilter('default'); warn_explicit('t', RuntimeWarning, 'prog.py', 1) twice
    // simplefilter('module'); warn_explicit('t', RuntimeWarning, 'prog.py', 2)
    const got = shown(() => {
      warnings.simplefilter('default');
      warnings.warnExplicit('t', RuntimeWarning, 'prog.py', 1);
      warnings.warnExplicit('t', RuntimeWarning, 'prog.py', 1);
      warnings.simplefilter('module');
      warnings.warnExplicit('t', RuntimeWarning, 'prog.py', 2);
    });
    expect(got).toEqual([
      ['RuntimeWarning', 't', 1],
      ['RuntimeWarning', 't', 1],
      ['RuntimeWarning', 't', 2],
    ]);
  });
});

describe('warnings.resetwarnings', () => {
  it('removes the default filters too, until catchWarnings restores them', () => {
    // resetwarnings(); siteA('r', ResourceWarning); siteA('p', PendingDeprecationWarning); siteB('d', DeprecationWarning)
    // then, in a new catch_warnings: siteA('r2', ResourceWarning) → nothing
    const got = shown(() => {
      warnings.resetwarnings();
      siteA('r', ResourceWarning);
      siteA('p', PendingDeprecationWarning);
      siteB('d', DeprecationWarning);
    });
    expect(got).toEqual([
      ['ResourceWarning', 'r', 'A'],
      ['PendingDeprecationWarning', 'p', 'A'],
      ['DeprecationWarning', 'd', 'B'],
    ]);
    expect(shown(() => siteA('r2', ResourceWarning))).toEqual([]);
  });
});

describe('warnings.catchWarnings', () => {
  it('records message (an instance of its category), category, filename and lineno, and returns the callback’s value', () => {
    const [log, value] = warnings.catchWarnings({ record: true }, (l): [WarningMessage[], string] => {
      siteA('kept');
      return [l, 'value'];
    });
    expect(value).toBe('value');
    expect(log).toHaveLength(1);
    const { message, category, filename, lineno } = log[0]!;
    expect([message instanceof RuntimeWarning, category, String(message), lineno]).toEqual([true, RuntimeWarning, 'kept', A]);
    expect(filename).toMatch(/warnings\.test\.ts$/);
  });

  it('restores the filters and showwarning afterwards, also when the callback throws', () => {
    // with catch_warnings(): simplefilter('error'); warnings.showwarning = print
    // afterwards siteA('free') is shown by the original showwarning
    const original = warnings.showwarning;
    const replacement = (): void => {};
    expect(() =>
      warnings.catchWarnings({}, () => {
        warnings.simplefilter('error');
        warnings.showwarning = replacement;
        throw new Error('out');
      }),
    ).toThrow('out');
    expect(warnings.showwarning).toBe(original);
    expect(shown(() => siteA('free'))).toEqual([['RuntimeWarning', 'free', 'A']]);
  });

  it('shows again inside the block a warning already shown at that location', () => {
    // siteA('before')  (shown: default)
    // with catch_warnings(record=True) as log: siteA('before')  → recorded
    const seen: string[] = [];
    warnings.catchWarnings({}, () => {
      warnings.showwarning = (m) => seen.push(`outside ${String(m)}`);
      siteA('before');
      siteA('before');
      warnings.catchWarnings({ record: true }, (log) => {
        siteA('before');
        seen.push(...log.map((w) => `recorded ${String(w.message)}`));
      });
    });
    expect(seen).toEqual(['outside before', 'recorded before']);
  });

  it('records instead of calling a replaced showwarning, and puts it back afterwards', () => {
    // warnings.showwarning = custom
    // with catch_warnings(record=True) as log: siteA('bypass')  → recorded, custom not called
    // siteA('custom after') → custom(RuntimeWarning('custom after'), RuntimeWarning, file, line, None, None)
    const calls: unknown[][] = [];
    warnings.catchWarnings({}, () => {
      warnings.showwarning = (...args) => calls.push(args);
      expect(shown(() => siteA('bypass'))).toEqual([['RuntimeWarning', 'bypass', 'A']]);
      expect(calls).toEqual([]);
      siteA('custom after');
    });
    expect(calls.map(([m, c, f, l]) => [m instanceof RuntimeWarning, String(m), c, typeof f, l])).toEqual([
      [true, 'custom after', RuntimeWarning, 'string', A],
    ]);
  });

  it('nests: each block restores what the enclosing one had', () => {
    const got = shown(() => {
      warnings.simplefilter('ignore', UserWarning);
      warnings.catchWarnings({}, () => {
        warnings.simplefilter('always', UserWarning);
      });
      siteA('hidden', UserWarning);
      siteA('visible');
    });
    expect(got).toEqual([['RuntimeWarning', 'visible', 'A']]);
  });
});

describe('warnings.showwarning', () => {
  it('writes file:line: Category: message to stderr by default', () => {
    // warnings.warn('hello', RuntimeWarning) → "/tmp/…/prog.py:24: RuntimeWarning: hello\n" on stderr
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let written: string[];
    try {
      warnings.catchWarnings({}, () => {
        warnings.simplefilter('always');
        siteA('hello');
      });
    } finally {
      written = write.mock.calls.map((c) => String(c[0]));
      write.mockRestore();
    }
    expect(written).toEqual([expect.stringMatching(/^\S*warnings\.test\.ts:\d+: RuntimeWarning: hello\n$/)]);
    expect(written[0]).toContain(`:${A}: `);
  });

  it('can be replaced, and receives the warning object, category, filename and lineno', () => {
    const calls: unknown[][] = [];
    warnings.catchWarnings({}, () => {
      warnings.showwarning = (...args) => calls.push(args);
      siteB('to custom', UserWarning);
    });
    expect(calls).toHaveLength(1);
    const [message, category, filename, lineno] = calls[0]!;
    expect([message instanceof UserWarning, String(message), category, lineno]).toEqual([true, 'to custom', UserWarning, B]);
    expect(filename).toMatch(/warnings\.test\.ts$/);
  });
});

describe('warnings.formatwarning', () => {
  it('formats file:line: Category: message with a newline', () => {
    // warnings.formatwarning('msg', RuntimeWarning, 'nofile.py', 3) → 'nofile.py:3: RuntimeWarning: msg\n'
    expect(warnings.formatwarning('msg', RuntimeWarning, 'nofile.py', 3)).toBe('nofile.py:3: RuntimeWarning: msg\n');
    expect(warnings.formatwarning(new MyWarning('obj'), MyWarning, 'f.py', 1)).toBe('f.py:1: MyWarning: obj\n');
  });
});

describe('Warning', () => {
  it('is an ordinary exception whose String() is its text, and the root exports are the namespace’s classes', () => {
    // repr(RuntimeWarning('x')), str(RuntimeWarning('x')), issubclass(RuntimeWarning, Exception)
    const w = new RuntimeWarning('x');
    expect([repr(w), String(w), isException(w), w instanceof Error, w instanceof Warning]).toEqual([
      "RuntimeWarning('x')", 'x', true, true, true,
    ]);
    expect([
      warnings.Warning, warnings.UserWarning, warnings.RuntimeWarning, warnings.ResourceWarning,
      warnings.DeprecationWarning, warnings.PendingDeprecationWarning,
    ]).toEqual([Warning, UserWarning, RuntimeWarning, ResourceWarning, DeprecationWarning, PendingDeprecationWarning]);
    for (const c of [UserWarning, RuntimeWarning, ResourceWarning, DeprecationWarning, PendingDeprecationWarning]) {
      expect(c.prototype).toBeInstanceOf(Warning);
    }
  });
});
