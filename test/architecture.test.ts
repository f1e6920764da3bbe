// The layers of src/ as docs/architecture.md documents them, checked against the import
// graph: every runtime import (one that loads a module: not `import type`, not
// `export type … from`) goes to the same layer or a lower one, and no chain of runtime
// imports comes back to where it started. The load-time bindings (the edges the import
// graph cannot show) are the ones the page lists, made where it says. Both tables are
// read from the page itself, so the page and the code cannot drift apart.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

/** One row of the page's layer table: its rank and the folders and files it holds. */
interface Layer {
  readonly rank: number;
  readonly name: string;
  readonly paths: readonly string[];
}

// The rows of the table under "## Layers": `| 3 | runtime | `src/runtime/` | … |`.
function documentedLayers(): Layer[] {
  const page = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
  const section = page.split(/^## /m).find((s) => s.startsWith('Layers'));
  if (section === undefined) throw new Error('docs/architecture.md has no "## Layers" section');
  const layers: Layer[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (!/^\d+$/.test(cells[1] ?? '')) continue;
    const paths = [...(cells[3] ?? '').matchAll(/`src\/([^`]*)`/g)].map((m) => m[1]!);
    layers.push({ rank: Number(cells[1]), name: cells[2]!, paths });
  }
  return layers;
}

// The rows of the table under "## Load-time bindings": `| `_setLoopFactory` | `src/loop/event-loop.ts` | … |`.
function documentedBindings(): string[] {
  const page = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
  const section = page.split(/^## /m).find((s) => s.startsWith('Load-time bindings'));
  if (section === undefined) throw new Error('docs/architecture.md has no "## Load-time bindings" section');
  return section.split('\n').flatMap((line) => {
    const m = /^\| `(_\w+)` \| `src\/([^`]+)` \|/.exec(line);
    return m === null ? [] : [`${m[2]}: ${m[1]}`];
  });
}

// Module-level calls that hand something to another module's slot: `_setX(…)` or
// `_registerX(…)` run when the module loads.
function loadTimeBindings(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(join(src, file), 'utf8'), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  return sf.statements.flatMap((st) => {
    if (!ts.isExpressionStatement(st) || !ts.isCallExpression(st.expression)) return [];
    const callee = st.expression.expression;
    return ts.isIdentifier(callee) && /^_(set|register)[A-Z]/.test(callee.text) ? [`${file}: ${callee.text}`] : [];
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [relative(src, p)] : [];
  });
}

// The layer of a file: the row naming it, or the folder holding it most closely.
function layerOf(file: string, layers: readonly Layer[]): Layer | undefined {
  let best: { layer: Layer; length: number } | undefined;
  for (const layer of layers) {
    for (const p of layer.paths) {
      const matches = p.endsWith('/') ? file.startsWith(p) : file === p;
      if (matches && (best === undefined || p.length > best.length)) best = { layer, length: p.length };
    }
  }
  return best?.layer;
}

/** The modules `file` loads when it runs (relative imports only: packages are outside src/). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(join(src, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const targets: string[] = [];
  const add = (specifier: ts.Expression | undefined): void => {
    if (specifier === undefined || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) return;
    targets.push(relative(src, resolve(dirname(join(src, file)), specifier.text.replace(/\.js$/, '.ts'))));
  };
  const visit = (node: ts.Node): void => {
    // Under verbatimModuleSyntax `import { type A } from` still loads the module: only
    // `import type` and `export type` are erased.
    if (ts.isImportDeclaration(node) && node.importClause?.isTypeOnly !== true) add(node.moduleSpecifier);
    else if (ts.isExportDeclaration(node) && !node.isTypeOnly) add(node.moduleSpecifier);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return targets;
}

// Strongly connected components of more than one file (or a file importing itself).
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return found;
}

const layers = documentedLayers();
const files = sourceFiles(src).sort();
const graph = new Map(files.map((f) => [f, runtimeImports(f)]));

describe('the layers of src/ (docs/architecture.md)', () => {
  it('are ranked 1, 2, 3, … in the table, bottom first', () => {
    expect(layers.length).toBeGreaterThan(5);
    expect(layers.map((l) => l.rank)).toEqual(layers.map((_, i) => i + 1));
  });

  it('place every source file in a layer', () => {
    expect(files.filter((f) => layerOf(f, layers) === undefined)).toEqual([]);
  });

  it('hold only runtime imports of modules that exist', () => {
    const missing = [...graph].flatMap(([f, targets]) => targets.filter((t) => !graph.has(t)).map((t) => `${f} -> ${t}`));
    expect(missing).toEqual([]);
  });

  it('import at runtime only from their own layer or the ones below', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      const from = layerOf(file, layers)!;
      for (const target of targets) {
        const to = layerOf(target, layers);
        if (to !== undefined && to.rank > from.rank) upward.push(`${file} (${from.name}) -> ${target} (${to.name})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('have no runtime import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('bind upward at load time only where the page says', () => {
    const bindings = documentedBindings();
    expect(bindings.length).toBeGreaterThan(0);
    expect(files.flatMap(loadTimeBindings).sort()).toEqual(bindings.sort());
  });
});
