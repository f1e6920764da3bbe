// formatExceptionOnly / formatException: the exception line of a traceback, for
// exceptions and for thrown values that are not Errors (docs/divergences.md, "Thrown
// values"), which print as Python printed format_exception_only(type(v), v) before 3.10.

import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/index.js';
import { formatException, formatExceptionOnly } from '../../src/log/traceback.js';

describe('formatExceptionOnly', () => {
  it('prints an exception as its class and message', () => {
    expect(formatExceptionOnly(new ValueError('bad'))).toBe('ValueError: bad');
    expect(formatExceptionOnly(new ValueError())).toBe('ValueError');
  });

  it('prints a thrown value that is not an Error as its type and str()', () => {
    expect([
      formatExceptionOnly('not found'), formatExceptionOnly(42), formatExceptionOnly(1.5), formatExceptionOnly({ code: 7 }),
      formatExceptionOnly(['a']), formatExceptionOnly(undefined),
    ]).toEqual(['str: not found', 'int: 42', 'float: 1.5', "Object: {'code': 7}", "list: ['a']", 'NoneType: None']);
  });

  it('never throws: a value whose str() fails prints <exception str() failed>', () => {
    class Hostile {
      toString(): string {
        throw new Error('no');
      }
    }
    expect(formatExceptionOnly(new Hostile())).toBe('Hostile: <exception str() failed>');
  });
});

describe('formatException', () => {
  it('gives a thrown value that is not an Error a traceback header and its exception line', () => {
    expect(formatException('boom')).toBe('Traceback (most recent call last):\nstr: boom');
  });
});
