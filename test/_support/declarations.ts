// What a module's declarations export, read with the TypeScript compiler: values (classes,
// functions, constants, namespaces) and types (interfaces, type aliases), by name.

import ts from 'typescript';

export interface Surface {
  values: string[];
  types: string[];
}

/** The exports of each entry file (a `.ts` source or a published `.d.ts`), as the compiler sees them. */
export function declaredSurfaces(entries: readonly string[]): Surface[] {
  const program = ts.createProgram([...entries], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  return entries.map((entry) => {
    const file = program.getSourceFile(entry);
    const module = file === undefined ? undefined : checker.getSymbolAtLocation(file);
    if (module === undefined) throw new Error(`no module at ${entry}`);
    const surface: Surface = { values: [], types: [] };
    for (const symbol of checker.getExportsOfModule(module)) {
      const target = (symbol.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(symbol) : symbol;
      const isValue = (target.flags & ts.SymbolFlags.Value) !== 0 && !isTypeOnlyExport(symbol);
      (isValue ? surface.values : surface.types).push(symbol.name);
    }
    surface.values.sort();
    surface.types.sort();
    return surface;
  });
}

// `export { type World }`: a class exported for its type only.
function isTypeOnlyExport(symbol: ts.Symbol): boolean {
  return (symbol.declarations ?? []).some((d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly));
}

/** Declaration lines that name an `_`-prefixed member or export: internals a user's editor would offer. */
export function internalNames(declarations: string): string[] {
  const found: string[] = [];
  for (const line of declarations.split('\n')) {
    const m = /^\s*(?:export declare (?:function|const|let|class|type|interface) |(?:static |readonly |protected |override |get |set |abstract )*)(_[A-Za-z0-9_$]*)\b/.exec(line);
    // Python's dunder attributes (`coro.__name__`) are public.
    if (m !== null && !/^__\w+__$/.test(m[1]!)) found.push(line.trim());
  }
  return found;
}
