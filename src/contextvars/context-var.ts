// ContextVar and Token: a variable whose value depends on the current context (each task
// runs in its own), set with a Token that can put the previous value back.
// asyncio: contextvars.ContextVar, contextvars.Token (Python/context.c)

import { LookupError, RuntimeError, ValueError } from '../errors/exceptions.js';
import { objectId, repr, reprSymbol } from '../format/py-repr.js';
import { currentContext, keyMark, type Context } from './context.js';
import { _writableContext } from './snapshot.js';

// What a variable without a default holds as its default (undefined is Python's None).
const NO_DEFAULT: unique symbol = Symbol('no default');

/** Token.MISSING's type: the old value of a variable that had none. */
export interface TokenMissing {
  readonly [reprSymbol]: () => string;
}

const MISSING: TokenMissing = Object.freeze({
  [reprSymbol]: () => '<Token.MISSING>',
  toString: () => '<Token.MISSING>',
});

// Tokens are made by ContextVar.set only (CPython refuses `Token()`).
let making = false;

/**
 * What `ContextVar.set()` returns: `reset(token)` puts back the value the variable had in
 * that context before (or removes it), once.
 * asyncio: contextvars.Token
 */
export class Token<T = unknown> {
  /** The old value of a variable that had no value: `token.oldValue === Token.MISSING`. */
  static readonly MISSING: TokenMissing = MISSING;
  /** The variable that made this token. */
  readonly var: ContextVar<T>;
  /** The value the variable had before, or `Token.MISSING`. */
  readonly oldValue: T | TokenMissing;
  /** @internal The context the value was set in. */
  readonly _context: Context;
  /** @internal Set once `reset()` has used it. */
  _used = false;

  /** @throws RuntimeError `Tokens can only be created by ContextVars` (use `ContextVar.set`). */
  constructor(variable: ContextVar<T>, oldValue: T | TokenMissing, context: Context) {
    if (!making) throw new RuntimeError('Tokens can only be created by ContextVars');
    this.var = variable;
    this.oldValue = oldValue;
    this._context = context;
  }

  toString(): string {
    return `<Token${this._used ? ' used' : ''} var=${repr(this.var)} at ${objectId(this)}>`;
  }

  [reprSymbol](): string {
    return this.toString();
  }
}

/** Options of `new ContextVar(name, options?)`. */
export interface ContextVarOptions<T> {
  /** The value `get()` returns where the variable has none (Python's keyword `default`). */
  default?: T;
}

/**
 * A context variable: `get()` reads its value in the current context, `set(v)` sets it
 * there and returns a Token, `reset(token)` undoes that set.
 *
 * @throws TypeError `context variable name must be a str`.
 * @example
 * const requestId = new contextvars.ContextVar<string | undefined>('request_id', { default: undefined });
 * const token = requestId.set('r1');
 * requestId.reset(token);
 * asyncio: contextvars.ContextVar
 */
export class ContextVar<T = unknown> {
  readonly #name: string;
  readonly #default: T | typeof NO_DEFAULT;

  constructor(name: string, options?: ContextVarOptions<T>) {
    if (typeof name !== 'string') throw new TypeError('context variable name must be a str');
    this.#name = name;
    this.#default = options !== undefined && options !== null && 'default' in options ? (options.default as T) : NO_DEFAULT;
  }

  /** The variable's name (read-only, as in Python). */
  get name(): string {
    return this.#name;
  }

  /**
   * Return the value in the current context; else `defaultValue` when given; else the
   * variable's default.
   *
   * @throws LookupError (with the variable as its argument) when there is none of these.
   * asyncio: ContextVar.get
   */
  get(...defaultValue: [] | [T]): T {
    const ctx = currentContext();
    if (ctx.has(this)) return ctx.get(this) as T;
    if (defaultValue.length > 0) return defaultValue[0] as T;
    if (this.#default !== NO_DEFAULT) return this.#default;
    throw new LookupError(this);
  }

  /** Set the value in the current context; the token undoes it. asyncio: ContextVar.set */
  set(value: T): Token<T> {
    // (A borrowed run gets its own Context first: the token must name it.)
    const ctx = _writableContext();
    const old = ctx.has(this) ? (ctx.get(this) as T) : MISSING;
    making = true;
    let token: Token<T>;
    try {
      token = new Token(this, old, ctx);
    } finally {
      making = false;
    }
    ctx._write(this, value, false);
    return token;
  }

  /**
   * Put back the value the variable had before `token`'s `set()` (or remove it).
   *
   * @throws RuntimeError `<Token …> has already been used once`; ValueError `<Token …> was
   * created by a different ContextVar` / `… was created in a different Context`.
   * asyncio: ContextVar.reset
   */
  reset(token: Token<T>): void {
    if (!(token instanceof Token)) throw new TypeError(`expected an instance of Token, got ${repr(token)}`);
    if (token._used) throw new RuntimeError(`${repr(token)} has already been used once`);
    if (token.var !== this) throw new ValueError(`${repr(token)} was created by a different ContextVar`);
    const ctx = _writableContext();
    if (token._context !== ctx) throw new ValueError(`${repr(token)} was created in a different Context`);
    token._used = true;
    if (token.oldValue === MISSING) ctx._write(this, undefined, true);
    else ctx._write(this, token.oldValue, false);
  }

  toString(): string {
    const dflt = this.#default === NO_DEFAULT ? '' : ` default=${repr(this.#default)}`;
    return `<ContextVar name=${repr(this.name)}${dflt} at ${objectId(this)}>`;
  }

  [reprSymbol](): string {
    return this.toString();
  }
}
Object.defineProperty(ContextVar.prototype, keyMark, { value: true });
