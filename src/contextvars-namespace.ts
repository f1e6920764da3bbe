// The names of the `contextvars` namespace exported from the package root (src/contextvars).

export { Context, copyContext, type ContextKey } from './contextvars/context.js';
export { ContextVar, Token, type ContextVarOptions, type TokenMissing } from './contextvars/context-var.js';
