// Hand-written scenarios for the behaviours random programs rarely reach. Their expected
// traces come from CPython (npm run conformance -- regen), never from this file.

import type { Action, Scenario } from './language.js';

const timersAt = (when: number, cb: number, n: number): Action => ['repeat', n, [['callAt', when, cb]]];

export const EDGE_CASES: Scenario[] = [
  {
    id: 'equal-deadlines-12',
    futures: 0,
    bodies: [[timersAt(5, 0, 12), ['sleep', 6]]],
    callbacks: [[['log', 'tick']]],
  },
  {
    id: 'equal-deadlines-mixed-delays',
    futures: 0,
    bodies: [[
      ['callLater', 3, 0], ['callLater', 1, 1], ['callLater', 2, 2], ['callLater', 1, 3], ['callLater', 3, 4], ['callLater', 2, 5],
      ['callLater', 1, 6], ['sleep', 4],
    ]],
    callbacks: [[['log', 'c0']], [['log', 'c1']], [['log', 'c2']], [['log', 'c3']], [['log', 'c4']], [['log', 'c5']], [['log', 'c6']]],
  },
  {
    id: 'equal-deadlines-with-cancellations',
    futures: 0,
    bodies: [[timersAt(2, 0, 20), ['cancelHandle', 3], ['cancelHandle', 0], ['cancelHandle', 11], ['callAt', 2, 1], ['sleep', 3]]],
    callbacks: [[['log', 'tick']], [['log', 'late']]],
  },
  {
    id: 'compaction-of-cancelled-timers',
    budget: 400,
    futures: 0,
    bodies: [[
      ['repeat', 75, [['callLater', 1, 0], ['callLater', 2, 1]]],
      ['cancelHandles', 0, 120],
      ['yield'],
      ['callLater', 1, 2],
      ['sleep', 3],
    ]],
    callbacks: [[['log', 'one']], [['log', 'two']], [['log', 'after compaction']]],
  },
  {
    id: 'timer-cancelled-in-same-batch',
    futures: 0,
    bodies: [[['callLater', 1, 0], ['callLater', 1, 1], ['callLater', 1, 2], ['sleep', 2]]],
    callbacks: [[['cancelHandle', 2], ['log', 'first']], [['log', 'second']], [['log', 'third']]],
  },
  {
    id: 'cancel-while-waking',
    futures: 1,
    bodies: [
      [['spawn', 1, 'a1'], ['yield'], ['setResult', 0, 'v'], ['cancel', 't:a1', 'late'], ['try', [['await', 't:a1']], 'CancelledError', [['log', 'a1 cancelled']]]],
      [['try', [['await', 'f:0']], 'CancelledError', [['log', 'caught'], ['return', 'swallowed']]], ['return', 'normal']],
    ],
    callbacks: [],
  },
  {
    id: 'cancel-twice-and-uncancel',
    futures: 1,
    bodies: [
      [['spawn', 1, 'a1'], ['yield'], ['cancel', 't:a1', 'one'], ['cancel', 't:a1', 'two'], ['await', 't:a1']],
      [['try', [['await', 'f:0']], 'CancelledError', [['uncancel', 'self'], ['uncancel', 'self'], ['sleep', 0.5], ['return', 'done']]]],
    ],
    callbacks: [],
  },
  {
    id: 'cancel-race-with-timeout',
    futures: 1,
    bodies: [
      [['spawn', 1, 'a1'], ['callLater', 1, 0], ['try', [['await', 't:a1']], 'BaseException', [['log', 'main caught']]]],
      [['try', [['timeout', 1, [['await', 'f:0']]]], 'TimeoutError', [['log', 'timed out']]], ['return', 'r']],
    ],
    callbacks: [[['setResult', 0, 'at deadline'], ['cancel', 't:a1', 'race']]],
  },
  {
    id: 'wait-for-inner-finishing-with-timeout',
    futures: 1,
    bodies: [
      [['callLater', 1, 0], ['try', [['waitFor', 'f:0', 1]], 'TimeoutError', [['log', 'timeout won']]]],
    ],
    callbacks: [[['setResult', 0, 'in time?']]],
  },
  {
    id: 'taskgroup-child-fails-while-body-sleeps',
    futures: 0,
    bodies: [
      [['try', [['taskGroup', [['tgSpawn', 1, 'a1'], ['tgSpawn', 2, 'a2'], ['sleep', 10]]]], 'Exception', [['log', 'group failed']]]],
      [['sleep', 1], ['raise', 'ValueError', 'boom']],
      [['try', [['sleep', 5]], 'CancelledError', [['log', 'sibling cancelled'], ['reraise']]]],
    ],
    callbacks: [],
  },
  {
    id: 'gather-cancelled-child-and-outer',
    futures: 2,
    bodies: [
      [['spawn', 1, 'a1'], ['callLater', 0.5, 0], ['try', [['gather', ['f:0', 'f:1', 't:a1'], true]], 'CancelledError', [['log', 'gather cancelled']]]],
      [['sleep', 1], ['return', 1]],
    ],
    callbacks: [[['cancel', 'f:0', 'child'], ['cancel', 't:a1', 'outer']]],
  },
  {
    id: 'stop-inside-run',
    futures: 0,
    bodies: [[['callSoon', 0], ['sleep', 1]]],
    callbacks: [[['stop']]],
  },
  {
    id: 'keyboard-interrupt-in-callback',
    futures: 0,
    bodies: [[['spawn', 1, 'a1'], ['callLater', 0.5, 0], ['sleep', 1]], [['sleep', 2]]],
    callbacks: [[['raise', 'KeyboardInterrupt', 'ctrl-c']]],
  },
  {
    id: 'lock-released-while-waiter-wakes',
    futures: 0,
    sync: { locks: 1 },
    bodies: [
      [['acquire', 'L:0'], ['spawn', 1, 'a1'], ['yield'], ['release', 'L:0'], ['spawn', 2, 'a2'], ['sleep', 1], ['show', 'L:0']],
      [['with', 'L:0', [['log', 'a1 holds'], ['yield']]]],
      [['with', 'L:0', [['log', 'a2 holds']]]],
    ],
    callbacks: [],
  },
  {
    id: 'lock-woken-waiter-cancelled',
    futures: 0,
    sync: { locks: 1 },
    bodies: [
      [['acquire', 'L:0'], ['spawn', 1, 'a1'], ['spawn', 2, 'a2'], ['yield'], ['release', 'L:0'], ['cancel', 't:a1', null], ['sleep', 1], ['show', 'L:0']],
      [['try', [['with', 'L:0', [['log', 'a1 holds']]]], 'CancelledError', [['log', 'a1 cancelled']]]],
      [['with', 'L:0', [['log', 'a2 holds']]]],
    ],
    callbacks: [],
  },
  {
    id: 'semaphore-fifo-with-cancellation',
    futures: 0,
    sync: { semaphores: [{ value: 1, bounded: true }] },
    bodies: [
      [['acquire', 'S:0'], ['spawn', 1, 'a1'], ['spawn', 1, 'b1'], ['spawn', 1, 'c1'], ['yield'], ['release', 'S:0'], ['cancel', 't:b1', 'm'], ['sleep', 2], ['show', 'S:0'], ['release', 'S:0']],
      [['try', [['with', 'S:0', [['sleep', 0.5]]]], 'CancelledError', [['log', 'gave up']]]],
    ],
    callbacks: [],
  },
  {
    id: 'condition-notify-and-cancel',
    futures: 0,
    sync: { conditions: 1 },
    bodies: [
      [['spawn', 1, 'a1'], ['spawn', 1, 'b1'], ['yield'], ['with', 'C:0', [['notify', 0, 1], ['cancel', 't:a1', null]]], ['sleep', 1], ['with', 'C:0', [['notifyAll', 0]]], ['sleep', 1]],
      [['try', [['with', 'C:0', [['condWait', 0]]]], 'CancelledError', [['log', 'cancelled waiter']]]],
    ],
    callbacks: [],
  },
  {
    id: 'queue-cancelled-getter-keeps-item',
    futures: 0,
    sync: { queues: [{ kind: 'fifo', maxsize: 1 }] },
    bodies: [
      [['spawn', 1, 'a1'], ['spawn', 1, 'b1'], ['yield'], ['putNowait', 0, 1], ['cancel', 't:a1', null], ['put', 0, 2], ['sleep', 1], ['show', 'Q:0']],
      [['try', [['get', 0]], 'CancelledError', [['log', 'getter cancelled']]]],
    ],
    callbacks: [],
  },
  {
    id: 'queue-shutdown-immediate-releases-join',
    futures: 0,
    sync: { queues: [{ kind: 'priority', maxsize: 0 }] },
    bodies: [
      [['putNowait', 0, 3], ['putNowait', 0, 1], ['putNowait', 0, 2], ['spawn', 1, 'a1'], ['yield'], ['shutdown', 0, true], ['sleep', 1], ['show', 'Q:0'],
        ['try', [['get', 0]], 'Exception', [['log', 'shut down']]]],
      [['join', 0], ['log', 'joined']],
    ],
    callbacks: [],
  },
  {
    id: 'barrier-reset-while-waiting',
    futures: 0,
    sync: { barriers: [3] },
    bodies: [
      [['spawn', 1, 'a1'], ['spawn', 1, 'b1'], ['yield'], ['show', 'B:0'], ['barrierReset', 0], ['sleep', 1], ['show', 'B:0']],
      [['try', [['barrierWait', 0]], 'Exception', [['log', 'broken']]]],
    ],
    callbacks: [],
  },
];
