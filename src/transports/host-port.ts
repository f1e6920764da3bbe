// Python's `host=None, port=None, *, …` in TypeScript: host and port are positional, and
// may also come as keywords in the trailing options object, which may then stand in
// their place (`createConnection(factory, { sock })`, `openConnection({ host, port })`).
// asyncio: the signatures of create_connection, create_server, open_connection, start_server

/** `host` and `port` as keywords. */
export interface HostPortKeywords<H> {
  host?: H | null;
  port?: number | string | null;
}

type Port = number | string | null | undefined;

// A bytes port (Python's b'80', a Uint8Array) is a port, not the options object.
function isOptions(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

/**
 * Sort `(host, port, options)` as Python binds them: an options object may come in
 * host's or port's place; a keyword given twice is a TypeError, as in Python.
 * @throws TypeError `create_connection() got multiple values for argument 'host'`.
 */
export function hostPortArgs<H, O extends object>(
  fn: string,
  host: H | null | undefined | (O & HostPortKeywords<H>),
  port: Port | (O & HostPortKeywords<H>),
  options: (O & HostPortKeywords<H>) | undefined,
): [H | null | undefined, Port, O] {
  let h: unknown = host;
  let p: unknown = port;
  let opts: Record<string, unknown> | undefined = options as Record<string, unknown> | undefined;
  const given: string[] = [];
  if (isOptions(h)) {
    if (p !== undefined || opts !== undefined) throw new TypeError(`${fn}() takes the options object last`);
    opts = h;
    h = undefined;
  } else if (isOptions(p)) {
    if (opts !== undefined) throw new TypeError(`${fn}() takes the options object last`);
    opts = p;
    p = undefined;
    given.push('host');
  } else {
    if (h !== undefined) given.push('host');
    if (p !== undefined) given.push('port');
  }
  if (opts === undefined) return [h as H | null | undefined, p as Port, {} as O];
  const { host: kwHost, port: kwPort, ...rest } = opts;
  for (const [name, value] of [['host', kwHost], ['port', kwPort]] as const) {
    if (value !== undefined && given.includes(name)) throw new TypeError(`${fn}() got multiple values for argument '${name}'`);
  }
  return [(kwHost ?? h) as H | null | undefined, (kwPort ?? p) as Port, rest as O];
}
