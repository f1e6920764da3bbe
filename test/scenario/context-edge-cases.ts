// Hand-written scenarios with context variables: each pins one way asyncio uses contexts
// that random programs rarely reach (a context entered twice, a Context asked for before
// or after the code that runs in it, tokens crossing contexts). Their traces come from
// CPython (npm run conformance -- contextvars), never from this file; they open
// corpus/contextvars.jsonl.

import type { Scenario } from './language.js';

const base: Pick<Scenario, 'futures' | 'contextVars'> = { futures: 0, contextVars: [{}, { default: 'd' }] };

export const CONTEXT_EDGE_CASES: Scenario[] = [
  {
    // A spawned task starts in a copy of its creator's context as it was then; what
    // either sets later stays its own.
    ...base,
    id: 'cv-task-copies-creator',
    bodies: [
      [['cvSet', 0, 1], ['spawn', 1, 'a1'], ['cvSet', 0, 2], ['await', 't:a1'], ['cvGet', 0], ['cvGet', 1]],
      [['cvGet', 0], ['cvSet', 1, 'a'], ['yield'], ['cvGet', 0], ['cvGet', 1]],
    ],
    callbacks: [],
  },
  {
    // A task's own context is entered while it runs: Context.run of it fails.
    ...base,
    id: 'cv-task-context-already-entered',
    bodies: [[
      ['taskContext', 'self'],
      ['try', [['ctxRun', 0, [['log', 'never']]]], 'Exception', [['cvGet', 0]]],
      ['cvSet', 0, 'after'],
      ['ctxGet', 0, 0],
    ]],
    callbacks: [],
  },
  {
    // A callback's handle context is entered while it runs: Context.run of it fails, and
    // the error goes to the exception handler.
    ...base,
    id: 'cv-handle-context-already-entered',
    bodies: [[['callSoon', 0], ['yield'], ['log', 'main goes on']]],
    callbacks: [[['handleContext', 0], ['ctxRun', 0, [['log', 'never']]], ['log', 'never either']]],
  },
  {
    // Context.run nested in itself.
    ...base,
    id: 'cv-context-run-nested',
    bodies: [[['copyContext'], ['try', [['ctxRun', 0, [['cvSet', 0, 'in'], ['ctxRun', 0, []]]]], 'Exception', [['ctxGet', 0, 0], ['cvGet', 0]]]]],
    callbacks: [],
  },
  {
    // A task's Context asked for before its first step is the one the step writes to.
    ...base,
    id: 'cv-task-context-before-first-step',
    bodies: [
      [['cvSet', 0, 'main'], ['spawn', 1, 'a1'], ['taskContext', 't:a1'], ['ctxGet', 0, 0], ['yield'], ['ctxGet', 0, 0], ['await', 't:a1'], ['ctxGet', 0, 0]],
      [['cvGet', 0], ['cvSet', 0, 'a1'], ['yield'], ['cvSet', 0, 'a1 again']],
    ],
    callbacks: [],
  },
  {
    // A task's Context asked for after it finished: what it set, or (setting nothing) what
    // it inherited.
    ...base,
    id: 'cv-task-context-after-done',
    bodies: [
      [['cvSet', 1, 'main'], ['spawn', 1, 'a1'], ['spawn', 2, 'b2'], ['gather', ['t:a1', 't:b2'], false],
        ['taskContext', 't:a1'], ['taskContext', 't:b2'], ['ctxGet', 0, 1], ['ctxGet', 1, 1], ['ctxGet', 0, 0], ['ctxGet', 1, 0]],
      [['cvSet', 1, 'a1'], ['yield']],
      [['yield'], ['cvGet', 1]],
    ],
    callbacks: [],
  },
  {
    // A callback scheduled in a task's own context writes into it: the task sees the value.
    ...base,
    id: 'cv-callback-in-task-context',
    bodies: [[['cvSet', 0, 'main'], ['taskContext', 'self'], ['callSoonIn', 0, 0], ['yield'], ['cvGet', 0], ['cvGet', 1]]],
    callbacks: [[['cvGet', 0], ['cvSet', 0, 'cb'], ['cvSet', 1, 'cb']]],
  },
  {
    // A plain callback runs in a copy: its writes do not reach the task.
    ...base,
    id: 'cv-callback-copy',
    bodies: [[['cvSet', 0, 'main'], ['callSoon', 0], ['cvSet', 0, 'later'], ['yield'], ['cvGet', 0], ['handleContext', 0], ['ctxGet', 0, 0]]],
    callbacks: [[['cvGet', 0], ['cvSet', 0, 'cb']]],
  },
  {
    // A handle's Context asked for before it runs: what is set in it then is what the
    // callback sees; asked for after a run that set nothing, it holds what was copied.
    ...base,
    id: 'cv-handle-context-before-run',
    bodies: [[
      ['cvSet', 0, 'main'], ['callSoon', 0], ['callSoon', 1], ['handleContext', 0], ['ctxRun', 0, [['cvSet', 0, 'set before run']]],
      ['yield'], ['handleContext', 1], ['ctxGet', 1, 0], ['ctxGet', 0, 0],
    ]],
    callbacks: [[['cvGet', 0]], [['cvGet', 0]]],
  },
  {
    // Two tasks given one context write to it in turn (test_context_4's pattern).
    ...base,
    id: 'cv-tasks-share-context',
    bodies: [
      [['copyContext'], ['ctxGet', 0, 0], ['spawnIn', 1, 'a1', 0], ['await', 't:a1'], ['ctxGet', 0, 0], ['spawnIn', 2, 'b2', 0], ['await', 't:b2'], ['ctxGet', 0, 0], ['cvGet', 0]],
      [['yield'], ['cvSet', 0, 1]],
      [['cvGet', 0], ['yield'], ['cvSet', 0, 2]],
    ],
    callbacks: [],
  },
  {
    // Two tasks sharing one context run interleaved: each step enters and leaves it.
    ...base,
    id: 'cv-tasks-share-context-interleaved',
    bodies: [
      [['copyContext'], ['spawnIn', 1, 'a1', 0], ['spawnIn', 2, 'b2', 0], ['gather', ['t:a1', 't:b2'], false], ['ctxGet', 0, 0]],
      [['cvSet', 0, 'a'], ['yield'], ['cvGet', 0], ['cvSet', 0, 'a2']],
      [['cvGet', 0], ['cvSet', 0, 'b'], ['yield'], ['cvGet', 0]],
    ],
    callbacks: [],
  },
  {
    // A task given a new, empty context sees defaults only.
    ...base,
    id: 'cv-task-in-new-context',
    bodies: [[['cvSet', 0, 'main'], ['cvSet', 1, 'main'], ['spawnIn', 1, 'a1', 'new'], ['await', 't:a1']], [['cvGet', 0], ['cvGet', 1]]],
    callbacks: [],
  },
  {
    // A token reset in another context (a callback's copy) is refused; in its own it works
    // once.
    ...base,
    id: 'cv-token-crosses-contexts',
    bodies: [[['cvSet', 0, 1], ['callSoon', 0], ['yield'], ['cvReset', 0, 0], ['cvGet', 0], ['cvReset', 0, 0]]],
    callbacks: [[['cvReset', 0, 0], ['cvReset', 1, 0]]],
  },
  {
    // A token of one task reset in another task.
    ...base,
    id: 'cv-token-crosses-tasks',
    bodies: [[['cvSet', 0, 'main'], ['spawn', 1, 'a1'], ['await', 't:a1'], ['cvGet', 0]], [['cvReset', 0, 0], ['cvSet', 0, 'a1'], ['cvReset', 0, 1], ['cvGet', 0]]],
    callbacks: [],
  },
  {
    // gather, shield, waitFor and a task group wrap coroutines in tasks: each in a copy of
    // the awaiting task's context; a timeout block stays in the task.
    ...base,
    id: 'cv-combinators-copy',
    bodies: [
      [
        ['cvSet', 0, 'main'], ['gather', ['c:1', 'c:1'], false], ['cvGet', 0], ['shield', 'c:1'], ['waitFor', 'c:1', 1], ['cvGet', 0],
        ['taskGroup', [['tgSpawn', 1, 'a1'], ['cvSet', 0, 'in group']]], ['cvGet', 0], ['timeout', 1, [['cvSet', 0, 'in timeout']]], ['cvGet', 0],
      ],
      [['cvGet', 0], ['yield'], ['cvSet', 0, 'child'], ['return', 'r']],
    ],
    callbacks: [],
  },
  {
    // asCompleted and wait: tasks made from coroutines copy the context too.
    ...base,
    id: 'cv-as-completed-and-wait',
    bodies: [
      [['cvSet', 0, 'main'], ['asCompleted', ['c:1', 'c:1'], null], ['wait', ['c:1'], 'ALL_COMPLETED', null], ['cvGet', 0]],
      [['cvGet', 0], ['cvSet', 0, 'child'], ['sleep', 0.1], ['cvGet', 0], ['return', 1]],
    ],
    callbacks: [],
  },
  {
    // A timer callback, call_soon in a given context, and Context.run in a callback.
    ...base,
    id: 'cv-callbacks-in-contexts',
    bodies: [[
      ['copyContext'], ['ctxRun', 0, [['cvSet', 0, 'ctx0']]], ['callLater', 0.5, 0], ['callSoonIn', 1, 0], ['callSoonIn', 1, 'new'],
      ['sleep', 1], ['ctxGet', 0, 0], ['ctxGet', 0, 1], ['cvGet', 1],
    ]],
    callbacks: [[['cvGet', 0], ['ctxRun', 0, [['cvGet', 0], ['cvSet', 1, 'from timer']]], ['cvGet', 1]], [['cvGet', 0], ['cvSet', 1, 'cb1']]],
  },
  {
    // A failing callback leaves what it set in its context; the default exception handler
    // logs it.
    ...base,
    id: 'cv-failing-callback',
    bodies: [[['callSoon', 0], ['yield'], ['handleContext', 0], ['ctxGet', 0, 0], ['cvGet', 0]]],
    callbacks: [[['cvSet', 0, 'cb'], ['raise', 'ValueError', 'boom']]],
  },
  {
    // A task spawned inside Context.run copies that context.
    ...base,
    id: 'cv-spawn-inside-context-run',
    bodies: [[['copyContext'], ['ctxRun', 0, [['cvSet', 0, 'inside'], ['spawn', 1, 'a1']]], ['cvGet', 0], ['await', 't:a1']], [['cvGet', 0], ['taskContext', 'self'], ['ctxGet', 1, 0]]],
    callbacks: [],
  },
  {
    // Debug mode changes nothing: the same program with asyncio's debug mode on.
    ...base,
    id: 'cv-debug-mode',
    debug: true,
    bodies: [
      [['cvSet', 0, 'main'], ['spawn', 1, 'a1'], ['callSoon', 0], ['taskContext', 't:a1'], ['await', 't:a1'], ['ctxGet', 0, 0], ['cvGet', 0]],
      [['cvGet', 0], ['cvSet', 0, 'a1'], ['yield'], ['cvGet', 0]],
    ],
    callbacks: [[['cvGet', 0], ['cvSet', 0, 'cb']]],
  },
];
