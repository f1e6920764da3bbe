// Type behaviour of the context options: inContext takes a Context (or null/undefined for
// Python's None) and gives an InContext; the `context` options take a Context or null;
// getContext() gives a Context.

import { describe, expectTypeOf, it } from 'vitest';
import {
  contextvars, createTask, inContext, Runner, type CreateTaskOptions, type DoneCallbackOptions, type EventLoop, type Future,
  type Handle, type InContext, type Task, type TaskOptions,
} from '../../src/index.js';

declare const loop: EventLoop;
declare const ctx: contextvars.Context;
declare const task: Task<number>;
declare const handle: Handle;
declare const fut: Future<number>;
declare function work(): Generator<Future<unknown> | undefined, number, unknown>;

describe('context options', () => {
  it('inContext takes a Context or None and is passed last to the *args methods', () => {
    expectTypeOf(inContext(ctx)).toEqualTypeOf<InContext>();
    expectTypeOf(inContext(null)).toEqualTypeOf<InContext>();
    // @ts-expect-error a number is not a Context
    inContext(1);
    expectTypeOf(loop.callSoon((a: number) => a, 1, inContext(ctx))).toEqualTypeOf<Handle>();
  });

  it('the options objects take a Context or null', () => {
    expectTypeOf<CreateTaskOptions['context']>().toEqualTypeOf<contextvars.Context | null | undefined>();
    expectTypeOf<TaskOptions['context']>().toEqualTypeOf<contextvars.Context | null | undefined>();
    expectTypeOf<DoneCallbackOptions['context']>().toEqualTypeOf<contextvars.Context | null | undefined>();
    expectTypeOf(createTask(work(), { context: ctx })).toEqualTypeOf<Task<number>>();
    fut.addDoneCallback(() => undefined, { context: ctx });
    expectTypeOf(new Runner().run).parameter(1).toEqualTypeOf<{ context?: contextvars.Context | null } | undefined>();
  });

  it('getContext() gives a Context', () => {
    expectTypeOf(task.getContext()).toEqualTypeOf<contextvars.Context>();
    expectTypeOf(handle.getContext()).toEqualTypeOf<contextvars.Context>();
  });
});
