// The aiosim internals the interpreter needs beyond the public entry (src/index.ts):
// callbacks and reprs printed as CPython prints them. Kept in this one file, so that a
// move inside src/ touches the scenario folder here only.

export { partial } from '../../src/format/format-callback.js';
export { boundMethod } from '../../src/format/named.js';
export { pyFloat, reprSymbol } from '../../src/format/py-repr.js';
