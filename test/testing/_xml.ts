// A strict little XML parser for checking aiosim's pictures without a browser: it throws
// on anything that is not well-formed (unclosed or crossed tags, unquoted or repeated
// attributes, a raw '<' or '&' in text), and a minimal DOM over its tree, with just the
// calls the timeline page's inline script makes, to run that script in node:vm.

export interface XmlElement {
  name: string;
  attrs: Map<string, string>;
  children: XmlNode[];
  parent: XmlElement | undefined;
}
export type XmlNode = XmlElement | string;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, where: number): string {
  return text.replace(/&([^;]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new Error(`bare '&' near offset ${where}`);
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const c = ENTITIES[ref];
    if (c === undefined) throw new Error(`unknown entity &${ref}; near offset ${where}`);
    return c;
  });
}

const NAME = /^[A-Za-z_][\w.:-]*/;

/** Parse a document (an optional doctype, one root element); throw if it is not well-formed. */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const root: XmlElement = { name: '#document', attrs: new Map(), children: [], parent: undefined };
  let current = root;
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${i}: ${JSON.stringify(source.slice(i, i + 40))}`);
  };
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const text = source.slice(i, lt < 0 ? source.length : lt);
    if (text.length > 0) {
      if (current === root) {
        if (text.trim() !== '') fail('text outside the root element');
      } else {
        current.children.push(decode(text, i));
      }
    }
    if (lt < 0) break;
    i = lt;
    if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i);
      if (end < 0) fail('unclosed comment');
      i = end + 3;
    } else if (source.startsWith('<!DOCTYPE', i)) {
      if (current !== root || root.children.length > 0) fail('misplaced doctype');
      i = source.indexOf('>', i) + 1;
    } else if (source.startsWith('</', i)) {
      const m = NAME.exec(source.slice(i + 2));
      if (m === null || m[0] !== current.name) fail(`closing tag does not match <${current.name}>`);
      i += 2 + m![0].length;
      if (source[i] !== '>') fail('junk in a closing tag');
      i++;
      current = current.parent!;
    } else {
      const m = NAME.exec(source.slice(i + 1));
      if (m === null) fail("a raw '<'");
      if (current === root && root.children.length > 0) fail('a second root element');
      const el: XmlElement = { name: m![0], attrs: new Map(), children: [], parent: current };
      i += 1 + m![0].length;
      for (;;) {
        const ws = /^\s*/.exec(source.slice(i))![0].length;
        i += ws;
        if (source.startsWith('/>', i) || source[i] === '>') break;
        if (ws === 0) fail('no space before an attribute');
        const a = /^([A-Za-z_][\w.:-]*)=("([^"<]*)"|'([^'<]*)')/.exec(source.slice(i));
        if (a === null) fail('a malformed attribute');
        if (el.attrs.has(a![1]!)) fail(`attribute ${a![1]} given twice`);
        el.attrs.set(a![1]!, decode(a![3] ?? a![4]!, i));
        i += a![0].length;
      }
      current.children.push(el);
      if (source.startsWith('/>', i)) {
        i += 2;
      } else {
        i++;
        current = el;
      }
    }
  }
  if (current !== root) fail(`<${current.name}> is never closed`);
  const top = root.children.find((c): c is XmlElement => typeof c !== 'string');
  if (top === undefined) fail('no root element');
  return top!;
}

/** Every element below `node` (document order) that `test` accepts. */
export function findAll(node: XmlElement, test: (el: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (el: XmlElement): void => {
    for (const c of el.children) {
      if (typeof c === 'string') continue;
      if (test(c)) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}

/** The text of an element and its descendants. */
export function textOf(node: XmlNode): string {
  return typeof node === 'string' ? node : node.children.map(textOf).join('');
}

/** An element of the minimal DOM. */
export class MiniElement {
  constructor(readonly node: XmlElement) {}

  get childNodes(): XmlNode[] {
    return this.node.children;
  }

  getAttribute(name: string): string | null {
    return this.node.attrs.get(name) ?? null;
  }

  setAttribute(name: string, value: string): void {
    this.node.attrs.set(name, String(value));
  }

  getElementsByTagName(name: string): MiniElement[] {
    return findAll(this.node, (el) => el.name === name).map((el) => new MiniElement(el));
  }

  appendChild(child: MiniElement): MiniElement {
    child.node.parent = this.node;
    this.node.children.push(child.node);
    return child;
  }

  set textContent(text: string) {
    this.node.children = [String(text)];
  }

  get textContent(): string {
    return textOf(this.node);
  }
}

/** A document with the calls the page's script uses. */
export function miniDocument(root: XmlElement): object {
  const top = new MiniElement(root);
  return {
    documentElement: top,
    getElementById: (id: string) => {
      const el = findAll(root, (e) => e.attrs.get('id') === id)[0];
      return el === undefined ? null : new MiniElement(el);
    },
    getElementsByTagName: (name: string) => top.getElementsByTagName(name),
    createElement: (name: string) => new MiniElement({ name, attrs: new Map(), children: [], parent: undefined }),
  };
}
