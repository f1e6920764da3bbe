// A minimal Python `logging`: loggers in a dotted hierarchy, levels, handlers,
// basicConfig and the last-resort handler. Records carry the virtual time.
// asyncio: logging (as used by asyncio/log.py)

import { percentFormat } from '../format/percent-format.js';
import { world } from '../runtime/world.js';
import { _tracer } from './trace-hook.js';
import { formatException } from './traceback.js';

export const NOTSET = 0;
export const DEBUG = 10;
export const INFO = 20;
export const WARNING = 30;
export const ERROR = 40;
export const CRITICAL = 50;

const LEVEL_NAMES: Record<number, string> = {
  [NOTSET]: 'NOTSET', [DEBUG]: 'DEBUG', [INFO]: 'INFO', [WARNING]: 'WARNING', [ERROR]: 'ERROR', [CRITICAL]: 'CRITICAL',
};

/** Return the name of a level (`logging.getLevelName`). */
export function getLevelName(level: number): string {
  return LEVEL_NAMES[level] ?? `Level ${level}`;
}

/** One logged event. asyncio: logging.LogRecord */
export class LogRecord {
  readonly levelname: string;
  /** Virtual time of the record (the world's: the running loop's clock while one runs). */
  readonly created: number;
  constructor(
    readonly name: string,
    readonly levelno: number,
    readonly msg: string,
    readonly args: readonly unknown[],
    /** The exception attached with `excInfo`, or undefined. */
    readonly excInfo: unknown,
  ) {
    this.levelname = getLevelName(levelno);
    this.created = world.now;
  }

  /** Return the message with its arguments merged in (`msg % args`). */
  getMessage(): string {
    return percentFormat(this.msg, this.args);
  }
}

/** Anything with `handle(record)` can receive records. */
export interface Handler {
  handle(record: LogRecord): void;
  level?: number;
}

/** Return a record as Python's default Formatter does: the message, then the traceback. */
export function formatRecord(record: LogRecord, format = '%(message)s'): string {
  let text = format
    .replace('%(message)s', record.getMessage())
    .replace('%(levelname)s', record.levelname)
    .replace('%(name)s', record.name);
  if (record.excInfo !== undefined) text += `\n${formatException(record.excInfo)}`;
  return text;
}

/** A handler writing formatted records to a text sink (stderr by default). */
export class StreamHandler implements Handler {
  level = NOTSET;
  constructor(
    private readonly write: (text: string) => void = (text) => process.stderr.write(text),
    private readonly format = '%(message)s',
  ) {}

  handle(record: LogRecord): void {
    if (record.levelno >= this.level) this.write(`${formatRecord(record, this.format)}\n`);
  }
}

/** Python's last resort: WARNING and above to stderr when no handler is configured. */
export const lastResort: StreamHandler = Object.assign(new StreamHandler(), { level: WARNING });

/** A named logger. asyncio: logging.Logger */
export class Logger {
  level = NOTSET;
  propagate = true;
  readonly handlers: Handler[] = [];
  constructor(
    readonly name: string,
    readonly parent: Logger | undefined,
  ) {}

  setLevel(level: number): void {
    this.level = level;
  }

  addHandler(handler: Handler): void {
    if (!this.handlers.includes(handler)) this.handlers.push(handler);
  }

  removeHandler(handler: Handler): void {
    const i = this.handlers.indexOf(handler);
    if (i >= 0) this.handlers.splice(i, 1);
  }

  /** Return the first level set on this logger or an ancestor. */
  getEffectiveLevel(): number {
    for (let l: Logger | undefined = this; l; l = l.parent) if (l.level !== NOTSET) return l.level;
    return NOTSET;
  }

  isEnabledFor(level: number): boolean {
    return level >= this.getEffectiveLevel();
  }

  log(level: number, msg: string, ...args: unknown[]): void {
    this.#log(level, msg, args);
  }

  debug(msg: string, ...args: unknown[]): void {
    this.#log(DEBUG, msg, args);
  }

  info(msg: string, ...args: unknown[]): void {
    this.#log(INFO, msg, args);
  }

  warning(msg: string, ...args: unknown[]): void {
    this.#log(WARNING, msg, args);
  }

  error(msg: string, ...args: unknown[]): void {
    this.#log(ERROR, msg, args);
  }

  critical(msg: string, ...args: unknown[]): void {
    this.#log(CRITICAL, msg, args);
  }

  /** Log at ERROR with an exception attached (Python's `exc_info=`). */
  errorWithException(exc: unknown, msg: string, ...args: unknown[]): void {
    this.#log(ERROR, msg, args, exc);
  }

  /** Log at `level` with an exception attached (Python's `exc_info=`). */
  logWithException(level: number, exc: unknown, msg: string, ...args: unknown[]): void {
    this.#log(level, msg, args, exc);
  }

  #log(level: number, msg: string, args: readonly unknown[], exc?: unknown): void {
    if (!this.isEnabledFor(level)) return;
    const record = new LogRecord(this.name, level, msg, args, exc);
    if (_tracer !== undefined) _tracer.logRecord(record);
    this.handle(record);
  }

  /** Pass a record to this logger's handlers and its ancestors' (Python's callHandlers). */
  handle(record: LogRecord): void {
    let found = 0;
    for (let l: Logger | undefined = this; l; l = l.propagate ? l.parent : undefined) {
      for (const h of l.handlers) {
        found++;
        if (record.levelno >= (h.level ?? NOTSET)) h.handle(record);
      }
    }
    if (found === 0) lastResort.handle(record);
  }
}

const root = new Logger('root', undefined);
root.level = WARNING;
const loggers = new Map<string, Logger>();

/** Return the logger with this dotted name (the root logger without a name). asyncio: logging.getLogger */
export function getLogger(name?: string | null): Logger {
  if (name === undefined || name === null || name === '' || name === 'root') return root;
  let logger = loggers.get(name);
  if (logger === undefined) {
    const dot = name.lastIndexOf('.');
    logger = new Logger(name, dot < 0 ? root : getLogger(name.slice(0, dot)));
    loggers.set(name, logger);
  }
  return logger;
}

/**
 * Configure the root logger once: a stderr handler with Python's basic format
 * (`LEVEL:name:message`) and an optional level. Does nothing if the root already has
 * handlers, as in Python (unless `force`).
 */
export function basicConfig(
  options: { level?: number | null; force?: boolean | null; handlers?: Handler[] | null; format?: string | null } = {},
): void {
  if (options.force) root.handlers.length = 0;
  if (root.handlers.length > 0) return;
  // An explicit `format=None` is a Formatter's own default, '%(message)s', as in Python.
  const format = options.format === undefined ? '%(levelname)s:%(name)s:%(message)s' : options.format ?? '%(message)s';
  const handlers = options.handlers ?? [new StreamHandler(undefined, format)];
  for (const h of handlers) root.addHandler(h);
  if (options.level != null) root.setLevel(options.level);
}
