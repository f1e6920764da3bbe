// Addresses on the simulated network: parsing and normalising IPv4 and IPv6 literals
// (as inet_pton / inet_ntop), loopback and wildcard addresses, and the address tuples
// Python's socket methods take and return.
// asyncio: socket's address tuples (AF_INET: (host, port); AF_INET6: (host, port, flowinfo, scope_id))

/** An address as Python's socket methods give it: `[host, port]`, or `[host, port, flowinfo, scopeId]` for IPv6. */
export type SockAddr = readonly [host: string, port: number] | readonly [host: string, port: number, flowinfo: number, scopeId: number];

/** The IPv4 literal `s` in its canonical form, or undefined when it is not one. */
export function parseIPv4(s: string): string | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined;
  }
  return s;
}

// The eight 16-bit groups of an IPv6 literal, or undefined.
function ipv6Groups(s: string): number[] | undefined {
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const parse = (h: string): number[] | undefined => {
    if (h === '') return [];
    const groups: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      groups.push(parseInt(g, 16));
    }
    return groups;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  if (head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** The IPv6 literal `s` in inet_ntop's form (the longest run of zero groups as `::`), or undefined. */
export function parseIPv6(s: string): string | undefined {
  const groups = ipv6Groups(s);
  if (groups === undefined) return undefined;
  // The longest run of two or more zero groups, the first of equal runs, becomes '::'.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Whether `addr` (canonical) is a loopback address: it always means the sending host itself. */
export function isLoopback(addr: string): boolean {
  return addr === '::1' || addr.startsWith('127.');
}

/** The wildcard address of a family ('0.0.0.0' or '::'). */
export function wildcardOf(v6: boolean): string {
  return v6 ? '::' : '0.0.0.0';
}

/** Whether `addr` is a wildcard address. */
export function isWildcard(addr: string): boolean {
  return addr === '0.0.0.0' || addr === '::';
}
