// Hand-written scenarios with async generators: each pins one rule of CPython's async
// generators and asyncio's hooks (their traces come from CPython 3.13 via pyodide; see
// tools/asyncgens.tool.ts, which stores them first in corpus/asyncgens.jsonl).

import type { Scenario } from './language.js';

const base: { futures: number; callbacks: [] } = { futures: 1, callbacks: [] };

export const AGEN_EDGE_CASES: Scenario[] = [
  {
    // async for with break does not close the generator; a finally that awaits runs at
    // run()'s shutdown_asyncgens(), after main has returned.
    ...base,
    id: 'agen-break-then-shutdown',
    agens: [[['finally', [['emit', 1], ['sleep', 1], ['emit', 2], ['emit', 3]], [['log', 'cleanup'], ['sleep', 0.5], ['log', 'cleaned']]]]],
    bodies: [[['agen', 0, 'ga'], ['afor', 'ga', [['sleep', 0.1]], 2], ['return', 'main done']]],
  },
  {
    // A return inside the loop's body leaves the enclosing body; the generator stays open.
    ...base,
    id: 'agen-early-return',
    agens: [[['emit', 'a'], ['emit', 'b'], ['emit', 'c']]],
    bodies: [[['agen', 0, 'ga'], ['afor', 'ga', [['log', 'body'], ['return', 'early']], null], ['log', 'never']]],
  },
  {
    // A generator that catches GeneratorExit and emits again: aclose() raises
    // RuntimeError('async generator ignored GeneratorExit').
    ...base,
    id: 'agen-ignored-generator-exit',
    agens: [[['try', [['emit', 1], ['emit', 2]], 'GeneratorExit', [['log', 'ge'], ['emit', 3]]]]],
    bodies: [[['agen', 0, 'ga'], ['anext', 'ga', false, null], ['try', [['aclose', 'ga']], 'Exception', []], ['anext', 'ga', true, 'end']]],
  },
  {
    // asend() of a value into a fresh generator is a TypeError; asend(None) starts it and
    // the value sent next is what `yield` evaluates to.
    ...base,
    id: 'agen-asend',
    agens: [[['emit', 1], ['emit', 'x'], ['emit', null]]],
    bodies: [[['agen', 0, 'ga'], ['try', [['asend', 'ga', 5]], 'Exception', []], ['asend', 'ga', null], ['asend', 'ga', 7], ['asend', 'ga', 'y']]],
  },
  {
    // athrow() into a generator that catches and emits gives the next value; thrown
    // into one that does not catch, it comes out of the await.
    ...base,
    id: 'agen-athrow',
    agens: [[['try', [['emit', 1]], 'ValueError', [['emit', 'handled']]], ['emit', 2]]],
    bodies: [[['agen', 0, 'ga'], ['anext', 'ga', false, null], ['athrow', 'ga', 'ValueError', 'v'], ['try', [['athrow', 'ga', 'KeyError', 'k']], 'Exception', []], ['anext', 'ga', true, 'closed']]],
  },
  {
    // A StopAsyncIteration raised in the body (an exhausted generator's anext) becomes
    // RuntimeError('async generator raised StopAsyncIteration').
    ...base,
    id: 'agen-raised-stop-async-iteration',
    agens: [[['emit', 1]], [['anext', 'ga', false, null], ['emit', 'unreached']]],
    bodies: [[['agen', 0, 'ga'], ['agen', 1, 'gb'], ['anext', 'ga', false, null], ['anext', 'ga', true, 'done'], ['try', [['anext', 'gb', false, null]], 'Exception', []]]],
  },
  {
    // Two tasks on one generator: the second anext() while the first runs it raises
    // RuntimeError('anext(): asynchronous generator is already running'); aclose() and
    // athrow() likewise.
    ...base,
    id: 'agen-already-running',
    agens: [[['sleep', 1], ['emit', 1], ['emit', 2]]],
    bodies: [
      [['agen', 0, 'ga'], ['spawn', 1, 'a1'], ['yield'], ['try', [['anext', 'ga', false, null]], 'Exception', []], ['try', [['aclose', 'ga']], 'Exception', []], ['try', [['athrow', 'ga', 'ValueError', 'v']], 'Exception', []], ['await', 't:a1']],
      [['anext', 'ga', false, null]],
    ],
  },
  {
    // An error in a generator's finally at shutdown_asyncgens() is logged: "an error
    // occurred during closing of asynchronous generator <async_generator object G0 …>".
    ...base,
    id: 'agen-shutdown-error',
    agens: [[['finally', [['emit', 1], ['emit', 2]], [['raise', 'ValueError', 'in finally']]]]],
    bodies: [[['agen', 0, 'ga'], ['anext', 'ga', false, null]]],
  },
  {
    // Cancelling the task that awaits the generator's sleep throws CancelledError into
    // the generator, whose finally runs before the task ends.
    ...base,
    id: 'agen-cancelled-inside',
    agens: [[['finally', [['sleep', 5], ['emit', 1]], [['log', 'gen finally']]]]],
    bodies: [[['agen', 0, 'ga'], ['spawn', 1, 'a1'], ['sleep', 1], ['cancel', 't:a1', 'stop'], ['try', [['await', 't:a1']], 'CancelledError', []], ['anext', 'ga', true, 'after']], [['anext', 'ga', false, null]]],
  },
];
