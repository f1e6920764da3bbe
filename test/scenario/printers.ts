// A scenario as a readable asyncio program and as its aiosim translation, printed with a
// failing differential run so that it can become a unit test. The readable forms use
// plain asyncio/aiosim calls: they do not reproduce the interpreter's `missing` and
// budget rules, nor its trace lines.

import type { Action, AgenStep, ContextAction, CtxArg, JobStep, Ref, Scenario, Step, Value } from './language.js';
import { PY_NET, pyNetDecls, TS_NET, TS_NET_IMPORTS, tsNetDecls } from './net-printers.js';

const pyValue = (v: Value): string => (v === null ? 'None' : typeof v === 'string' ? `'${v}'` : String(v));
const tsValue = (v: Value): string => (v === null ? 'undefined' : typeof v === 'string' ? `'${v}'` : String(v));

function pyRef(ref: Ref): string {
  if (ref === 'self') return 'asyncio.current_task()';
  const [kind, key] = ref.split(':') as [string, string];
  if (kind === 't') return `tasks['${key}']`;
  if (kind === 'f') return `futures[${key}]`;
  if (kind === 'x') return `xfuts['${key}']`;
  return `b${key}()`;
}

function tsRef(ref: Ref): string {
  if (ref === 'self') return 'currentTask()!';
  const [kind, key] = ref.split(':') as [string, string];
  if (kind === 't') return `tasks.get('${key}')!`;
  if (kind === 'f') return `futures[${key}]!`;
  if (kind === 'x') return `xfuts.get('${key}')!`;
  return `b${key}()`;
}

const SYNC_NAMES: Record<string, string> = { L: 'locks', S: 'sems', C: 'conds', E: 'events', Q: 'queues', B: 'barriers' };

function syncRef(ref: string): string {
  const [kind, key] = ref.split(':') as [string, string];
  return `${SYNC_NAMES[kind] ?? kind}[${key}]`;
}

const PY_CATCH: Record<string, string> = {
  CancelledError: 'asyncio.CancelledError', Exception: 'Exception', BaseException: 'BaseException', TimeoutError: 'TimeoutError', ValueError: 'ValueError',
};
const TS_CATCH: Record<string, string> = {
  CancelledError: 'e instanceof CancelledError', Exception: 'isException(e)', BaseException: 'true', TimeoutError: 'e instanceof TimeoutError', ValueError: 'e instanceof ValueError',
};

type Op = Step | Action;
type OpOf<K extends Op[0]> = Extract<Op, readonly [K, ...unknown[]]>;
/** One printer per operation: its lines at indent `i` (`n`: one level deeper). */
type Printers = { readonly [K in Op[0]]: (op: OpOf<K>, i: string, n: string) => string[] };

const print = (printers: Printers, op: Op, i: string, n: string): string[] =>
  (printers[op[0]] as (op: Op, i: string, n: string) => string[])(op, i, n);

function pyBlock(ops: Op[], indent: string): string[] {
  const out = ops.flatMap((op) => print(PY, op, indent, `${indent}    `));
  return out.length > 0 ? out : [`${indent}pass`];
}

// ---- Context variables and contexts (language.ts) -------------------------------------

type ContextPrinters = { readonly [K in ContextAction[0]]: (op: OpOf<K>, i: string, n: string) => string[] };

const pyCtx = (c: CtxArg): string => (c === 'copy' ? 'contextvars.copy_context()' : c === 'new' ? 'contextvars.Context()' : `ctxs[${c}]`);
const tsCtx = (c: CtxArg): string => (c === 'copy' ? 'contextvars.copyContext()' : c === 'new' ? 'new contextvars.Context()' : `ctxs[${c}]!`);

const PY_CONTEXT: ContextPrinters = {
  cvSet: (op, i) => [`${i}tokens.append(cvars[${op[1]}].set(${pyValue(op[2])}))`],
  cvGet: (op, i) => [`${i}print(cvars[${op[1]}].get())`],
  cvReset: (op, i) => [`${i}cvars[${op[1]}].reset(tokens[${op[2]}])`],
  copyContext: (_op, i) => [`${i}ctxs.append(contextvars.copy_context())`],
  taskContext: (op, i) => [`${i}ctxs.append(${pyRef(op[1])}.get_context())`],
  handleContext: (op, i) => [`${i}ctxs.append(handles[${op[1]}].get_context())`],
  ctxGet: (op, i) => [`${i}print(${pyCtx(op[1])}.get(cvars[${op[2]}]))`],
  spawnIn: (op, i) => [`${i}tasks['${op[2]}'] = asyncio.get_running_loop().create_task(b${op[1]}(), name='${op[2]}', context=${pyCtx(op[3])})`],
  callSoonIn: (op, i) => [`${i}handles.append(asyncio.get_running_loop().call_soon(cb${op[1]}, context=${pyCtx(op[2])}))`],
  ctxRun: (op, i, n) => [`${i}def in_context():`, ...pyBlock(op[2], n), `${i}${pyCtx(op[1])}.run(in_context)`],
};

const TS_CONTEXT: ContextPrinters = {
  cvSet: (op, i) => [`${i}tokens.push(cvars[${op[1]}]!.set(${tsValue(op[2])}));`],
  cvGet: (op, i) => [`${i}console.log(repr(cvars[${op[1]}]!.get()));`],
  cvReset: (op, i) => [`${i}cvars[${op[1]}]!.reset(tokens[${op[2]}]!);`],
  copyContext: (_op, i) => [`${i}ctxs.push(contextvars.copyContext());`],
  taskContext: (op, i) => [`${i}ctxs.push((${tsRef(op[1])} as Task<unknown>).getContext());`],
  handleContext: (op, i) => [`${i}ctxs.push(handles[${op[1]}]!.getContext());`],
  ctxGet: (op, i) => [`${i}console.log(repr(${tsCtx(op[1])}.get(cvars[${op[2]}]!)));`],
  spawnIn: (op, i) => [`${i}tasks.set('${op[2]}', getRunningLoop().createTask(b${op[1]}(), { name: '${op[2]}', context: ${tsCtx(op[3])} }));`],
  callSoonIn: (op, i) => [`${i}handles.push(getRunningLoop().callSoon(cb${op[1]}, inContext(${tsCtx(op[2])})));`],
  ctxRun: (op, i, n) => [`${i}${tsCtx(op[1])}.run(() => {`, ...tsBlock(op[2], n), `${i}});`],
};

const pyDefault = (spec: { default?: Value }): string => ('default' in spec ? `, default=${pyValue(spec.default!)}` : '');
const tsDefault = (spec: { default?: Value }): string => ('default' in spec ? `, { default: ${tsValue(spec.default!)} }` : '');

// The declarations of a scenario's context variables, tokens and stored contexts.
function pyContextDecls(scn: Scenario): string[] {
  if (scn.contextVars === undefined) return [];
  return [`cvars = [${scn.contextVars.map((spec, k) => `contextvars.ContextVar('v${k}'${pyDefault(spec)})`).join(', ')}]`, 'tokens, ctxs = [], []', ''];
}

function tsContextDecls(scn: Scenario): string[] {
  if (scn.contextVars === undefined) return [];
  return [
    `const cvars = [${scn.contextVars.map((spec, k) => `new contextvars.ContextVar<unknown>('v${k}'${tsDefault(spec)})`).join(', ')}];`,
    'const tokens: contextvars.Token<unknown>[] = [];',
    'const ctxs: contextvars.Context[] = [];',
    '',
  ];
}

// ---- Async generators (language.ts, "Async generators") ----

type AgenPrinters = { readonly [K in AgenStep[0]]: (op: OpOf<K>, i: string, n: string) => string[] };

Object.assign(PY_CATCH, { GeneratorExit: 'GeneratorExit', StopAsyncIteration: 'StopAsyncIteration' });
Object.assign(TS_CATCH, { GeneratorExit: 'e instanceof GeneratorExit', StopAsyncIteration: 'e instanceof StopAsyncIteration' });

const PY_AGEN: AgenPrinters = {
  agen: (op, i) => [`${i}agens['${op[2]}'] = G${op[1]}()`],
  emit: (op, i) => [`${i}print('sent', (yield ${pyValue(op[1])}))`],
  finally: (op, i, n) => [`${i}try:`, ...pyBlock(op[1], n), `${i}finally:`, `${n}print('finally')`, ...pyBlock(op[2], n)],
  afor: (op, i, n) => [
    ...(op[3] === null ? [] : [`${i}n_${op[1]} = 0`]),
    `${i}async for item in agens['${op[1]}']:`,
    `${n}print(item)`,
    ...pyBlock(op[2], n),
    ...(op[3] === null ? [] : [`${n}n_${op[1]} += 1`, `${n}if n_${op[1]} >= ${op[3]}:`, `${n}    break`]),
  ],
  anext: (op, i) => [`${i}print(await anext(agens['${op[1]}']${op[2] ? `, ${pyValue(op[3])}` : ''}))`],
  asend: (op, i) => [`${i}print(await agens['${op[1]}'].asend(${pyValue(op[2])}))`],
  athrow: (op, i) => [`${i}print(await agens['${op[1]}'].athrow(${op[2]}('${op[3]}')))`],
  aclose: (op, i) => [`${i}print(await agens['${op[1]}'].aclose())`],
};

const TS_AGEN: AgenPrinters = {
  agen: (op, i) => [`${i}agens.set('${op[2]}', G${op[1]}());`],
  emit: (op, i) => [`${i}console.log('sent', repr(yield* emit(${tsValue(op[1])})));`],
  finally: (op, i, n) => [`${i}try {`, ...tsBlock(op[1], n), `${i}} finally {`, `${n}console.log('finally');`, ...tsBlock(op[2], n), `${i}}`],
  afor: (op, i, n) => [
    ...(op[3] === null ? [] : [`${i}let n_${op[1]} = 0;`]),
    `${i}yield* asyncFor(agens.get('${op[1]}')!, function* (item) {`,
    `${n}console.log(repr(item));`,
    ...tsBlock(op[2], n),
    ...(op[3] === null ? [] : [`${n}if (++n_${op[1]} >= ${op[3]}) return asyncFor.BREAK;`]),
    `${i}});`,
  ],
  anext: (op, i) => [`${i}console.log(repr(yield* anext(agens.get('${op[1]}')!${op[2] ? `, ${tsValue(op[3])}` : ''})));`],
  asend: (op, i) => [`${i}console.log(repr(yield* agens.get('${op[1]}')!.asend(${tsValue(op[2])})));`],
  athrow: (op, i) => [`${i}console.log(repr(yield* agens.get('${op[1]}')!.athrow(new ${op[2]}('${op[3]}'))));`],
  aclose: (op, i) => [`${i}console.log(repr(yield* agens.get('${op[1]}')!.aclose()));`],
};

/** The generator bodies as Python async generator functions. */
function pyAgens(scn: Scenario): string[] {
  if (scn.agens === undefined) return [];
  return ['agens = {}', '', ...scn.agens.flatMap((body, g) => [`async def G${g}():`, ...pyBlock(body as Op[], '    '), '    if False:', '        yield', ''])];
}

/** The generator bodies as aiosim async generator functions. */
function tsAgens(scn: Scenario): string[] {
  if (scn.agens === undefined) return [];
  return [
    'const agens = new Map<string, AsyncGeneratorObject<unknown, unknown>>();',
    '',
    ...scn.agens.flatMap((body, g) => [`const G${g} = asyncGenerator(function* G${g}(): AsyncGen<unknown, unknown> {`, ...tsBlock(body as Op[], '  '), '});', '']),
  ];
}

const PY: Printers = {
  ...PY_NET,
  ...PY_AGEN,
  log: (op, i) => [`${i}print('${op[1]}')`],
  spawn: (op, i) => [`${i}tasks['${op[2]}'] = asyncio.get_running_loop().create_task(b${op[1]}(), name='${op[2]}')`],
  cancel: (op, i) => [`${i}print(${pyRef(op[1])}.cancel(${op[2] === null ? '' : `'${op[2]}'`}))`],
  uncancel: (op, i) => [`${i}print(${pyRef(op[1])}.uncancel())`],
  setResult: (op, i) => [`${i}futures[${op[1]}].set_result(${pyValue(op[2])})`],
  setException: (op, i) => [`${i}futures[${op[1]}].set_exception(${op[2]}('${op[3]}'))`],
  callSoon: (op, i) => [`${i}handles.append(asyncio.get_running_loop().call_soon(cb${op[1]}))`],
  callLater: (op, i) => [`${i}handles.append(asyncio.get_running_loop().call_later(${op[1]}, cb${op[2]}))`],
  callAt: (op, i) => [`${i}handles.append(asyncio.get_running_loop().call_at(${op[1]}, cb${op[2]}))`],
  cancelHandle: (op, i) => [`${i}handles[${op[1]}].cancel()`],
  cancelHandles: (op, i, n) => [`${i}for h in handles[${op[1]}:${op[2]}]:`, `${n}h.cancel()`],
  repeat: (op, i, n) => [`${i}for _ in range(${op[1]}):`, ...pyBlock(op[2], n)],
  repeatSteps: (op, i, n) => [`${i}for _ in range(${op[1]}):`, ...pyBlock(op[2], n)],
  stop: (_op, i) => [`${i}asyncio.get_running_loop().stop()`],
  blockingSleep: (op, i) => [`${i}time.sleep(${op[1]})`],
  raise: (op, i) => [`${i}raise ${op[1]}('${op[2]}')`],
  sleep: (op, i) => [`${i}await asyncio.sleep(${op[1]})`],
  yield: (_op, i) => [`${i}await asyncio.sleep(0)`],
  await: (op, i) => [`${i}print(await ${pyRef(op[1])})`],
  return: (op, i) => [`${i}return ${pyValue(op[1])}`],
  try: (op, i, n) => [`${i}try:`, ...pyBlock(op[1], n), `${i}except ${PY_CATCH[op[2]]} as e:`, `${n}print('caught', repr(e))`, ...pyBlock(op[3], n)],
  reraise: (_op, i) => [`${i}raise`],
  gather: (op, i) => [`${i}print(await asyncio.gather(${[...op[1].map(pyRef), `return_exceptions=${op[2] ? 'True' : 'False'}`].join(', ')}))`],
  shield: (op, i) => [`${i}print(await asyncio.shield(${pyRef(op[1])}))`],
  asCompleted: (op, i) => [`${i}for c in asyncio.as_completed([${op[1].map(pyRef).join(', ')}], timeout=${op[2] === null ? 'None' : op[2]}):`, `${i}    print(await c)`],
  waitFor: (op, i) => [`${i}print(await asyncio.wait_for(${pyRef(op[1])}, ${op[2] === null ? 'None' : op[2]}))`],
  wait: (op, i) => [`${i}print(await asyncio.wait([${op[1].map(pyRef).join(', ')}], return_when=asyncio.${op[2]}, timeout=${op[3] === null ? 'None' : op[3]}))`],
  timeout: (op, i, n) => [`${i}async with asyncio.timeout(${op[1] === null ? 'None' : op[1]}):`, ...pyBlock(op[2], n)],
  taskGroup: (op, i, n) => [`${i}async with asyncio.TaskGroup() as tg:`, ...pyBlock(op[1], n)],
  tgSpawn: (op, i) => [`${i}tasks['${op[2]}'] = tg.create_task(b${op[1]}(), name='${op[2]}')`],
  release: (op, i) => [`${i}${syncRef(op[1])}.release()`],
  eventSet: (op, i) => [`${i}events[${op[1]}].set()`],
  eventClear: (op, i) => [`${i}events[${op[1]}].clear()`],
  notify: (op, i) => [`${i}conds[${op[1]}].notify(${op[2]})`],
  notifyAll: (op, i) => [`${i}conds[${op[1]}].notify_all()`],
  putNowait: (op, i) => [`${i}queues[${op[1]}].put_nowait(${pyValue(op[2])})`],
  getNowait: (op, i) => [`${i}print(queues[${op[1]}].get_nowait())`],
  taskDone: (op, i) => [`${i}queues[${op[1]}].task_done()`],
  shutdown: (op, i) => [`${i}queues[${op[1]}].shutdown(${op[2] ? 'True' : 'False'})`],
  show: (op, i) => [`${i}print(repr(${syncRef(op[1])}))`],
  with: (op, i, n) => [`${i}async with ${syncRef(op[1])}:`, ...pyBlock(op[2], n)],
  acquire: (op, i) => [`${i}await ${syncRef(op[1])}.acquire()`],
  eventWait: (op, i) => [`${i}await events[${op[1]}].wait()`],
  condWait: (op, i) => [`${i}await conds[${op[1]}].wait()`],
  put: (op, i) => [`${i}await queues[${op[1]}].put(${pyValue(op[2])})`],
  get: (op, i) => [`${i}print(await queues[${op[1]}].get())`],
  join: (op, i) => [`${i}await queues[${op[1]}].join()`],
  barrierWait: (op, i) => [`${i}print(await barriers[${op[1]}].wait())`],
  barrierReset: (op, i) => [`${i}await barriers[${op[1]}].reset()`],
  barrierAbort: (op, i) => [`${i}await barriers[${op[1]}].abort()`],
  runInExecutor: (op, i) => [`${i}xfuts['${op[3]}'] = asyncio.get_running_loop().run_in_executor(${op[1] === null ? 'None' : `pools[${op[1]}]`}, j${op[2]})`],
  toThread: (op, i) => [`${i}print(await asyncio.to_thread(j${op[1]}))`],
  shutdownDefaultExecutor: (_op, i) => [`${i}await asyncio.get_running_loop().shutdown_default_executor()`],
  startThread: (op, i) => [`${i}threading.Thread(target=j${op[1]}, name='${op[2]}').start()`],
  poolShutdown: (op, i) => [`${i}pools[${op[1]}].shutdown(wait=${op[2] ? 'True' : 'False'}, cancel_futures=${op[3] ? 'True' : 'False'})`],
  newFuture: (_op, i) => [`${i}futures.append(asyncio.get_running_loop().create_future())`],
  addDoneCallback: (op, i) => [`${i}${pyRef(op[1])}.add_done_callback(print)`],
  ...PY_CONTEXT,
};

function pyJob(op: JobStep, i: string): string {
  switch (op[0]) {
    case 'log': return `${i}print('${op[1]}')`;
    case 'tsleep': return `${i}time.sleep(${op[1]})`;
    case 'callSoonThreadsafe': return `${i}handles.append(loop.call_soon_threadsafe(cb${op[1]}))`;
    case 'callSoon': return `${i}handles.append(loop.call_soon(cb${op[1]}))`;
    case 'cancelThreadsafe': return `${i}loop.call_soon_threadsafe(${pyRef(op[1])}.cancel)`;
    case 'setResultThreadsafe': return `${i}loop.call_soon_threadsafe(futures[${op[1]}].set_result, ${pyValue(op[2])})`;
    case 'runCoroutineThreadsafe': return `${i}asyncio.run_coroutine_threadsafe(b${op[1]}(), loop)`;
    case 'return': return `${i}return ${pyValue(op[1])}`;
    case 'raise': return `${i}raise ${op[1]}('${op[2]}')`;
  }
}

function tsJob(op: JobStep, i: string): string {
  switch (op[0]) {
    case 'log': return `${i}console.log('${op[1]}');`;
    case 'tsleep': return `${i}yield* blockingSleep(${op[1]});`;
    case 'callSoonThreadsafe': return `${i}handles.push(loop.callSoonThreadsafe(cb${op[1]}));`;
    case 'callSoon': return `${i}handles.push(loop.callSoon(cb${op[1]}));`;
    case 'cancelThreadsafe': return `${i}loop.callSoonThreadsafe(() => ${tsRef(op[1])}.cancel());`;
    case 'setResultThreadsafe': return `${i}loop.callSoonThreadsafe(() => futures[${op[1]}]!.setResult(${tsValue(op[2])}));`;
    case 'runCoroutineThreadsafe': return `${i}runCoroutineThreadsafe(b${op[1]}(), loop);`;
    case 'return': return `${i}return ${tsValue(op[1])};`;
    case 'raise': return `${i}throw new ${op[1]}('${op[2]}');`;
  }
}

function pySync(scn: Scenario): string[] {
  const s = scn.sync ?? {};
  const kinds = { fifo: 'Queue', priority: 'PriorityQueue', lifo: 'LifoQueue' };
  return [
    `    locks = [asyncio.Lock() for _ in range(${s.locks ?? 0})]`,
    `    sems = [${(s.semaphores ?? []).map((x) => `asyncio.${x.bounded ? 'BoundedSemaphore' : 'Semaphore'}(${x.value})`).join(', ')}]`,
    `    events = [asyncio.Event() for _ in range(${s.events ?? 0})]`,
    `    conds = [asyncio.Condition() for _ in range(${s.conditions ?? 0})]`,
    `    queues = [${(s.queues ?? []).map((q) => `asyncio.${kinds[q.kind]}(${q.maxsize})`).join(', ')}]`,
    `    barriers = [${(s.barriers ?? []).map((n) => `asyncio.Barrier(${n})`).join(', ')}]`,
  ];
}

/** The scenario as a Python asyncio program. */
export function toPython(scn: Scenario): string {
  const lines = [`# scenario ${scn.id} as a plain asyncio program`, 'import asyncio', 'import time', '', 'tasks, handles, futures = {}, [], []', ''];
  if (scn.threads === true) {
    lines.splice(2, 0, 'import concurrent.futures', 'import threading');
    lines.push('xfuts = {}', `pools = [${(scn.pools ?? []).map((n, k) => `concurrent.futures.ThreadPoolExecutor(${n}, 'P${k}')`).join(', ')}]`, '');
    (scn.jobs ?? []).forEach((job, k) => lines.push(`def j${k}():`, ...(job.length > 0 ? job.map((op) => pyJob(op, '    ')) : ['    pass']), ''));
  }
  if (scn.contextVars !== undefined) lines.splice(1, 0, 'import contextvars');
  lines.push(...pyContextDecls(scn));
  lines.push(...pyAgens(scn));
  lines.push(...pyNetDecls(scn));
  scn.callbacks.forEach((cb, k) => lines.push(`def cb${k}():`, ...pyBlock(cb, '    '), ''));
  scn.bodies.forEach((body, b) => {
    lines.push(scn.net === undefined ? `async def b${b}():` : `async def b${b}(reader=None, writer=None):`);
    if (b === 0) {
      if (scn.threads === true) lines.push('    global loop', '    loop = asyncio.get_running_loop()');
      lines.push(`    futures.extend(asyncio.get_running_loop().create_future() for _ in range(${scn.futures}))`);
      if (scn.sync !== undefined) lines.push('    global locks, sems, events, conds, queues, barriers', ...pySync(scn));
    }
    lines.push(...pyBlock(body, '    '), '');
  });
  lines.push(`print(asyncio.run(b0()${scn.debug ? ', debug=True' : ''}))`);
  return lines.join('\n');
}

function tsBlock(ops: Op[], indent: string): string[] {
  return ops.flatMap((op) => print(TS, op, indent, `${indent}  `));
}

const TS: Printers = {
  ...TS_NET,
  ...TS_AGEN,
  log: (op, i) => [`${i}console.log('${op[1]}');`],
  spawn: (op, i) => [`${i}tasks.set('${op[2]}', getRunningLoop().createTask(b${op[1]}(), { name: '${op[2]}' }));`],
  cancel: (op, i) => [`${i}console.log(${tsRef(op[1])}.cancel(${op[2] === null ? '' : `'${op[2]}'`}));`],
  uncancel: (op, i) => [`${i}console.log((${tsRef(op[1])} as Task<unknown>).uncancel());`],
  setResult: (op, i) => [`${i}futures[${op[1]}]!.setResult(${tsValue(op[2])});`],
  setException: (op, i) => [`${i}futures[${op[1]}]!.setException(new ${op[2]}('${op[3]}'));`],
  callSoon: (op, i) => [`${i}handles.push(getRunningLoop().callSoon(cb${op[1]}));`],
  callLater: (op, i) => [`${i}handles.push(getRunningLoop().callLater(${op[1]}, cb${op[2]}));`],
  callAt: (op, i) => [`${i}handles.push(getRunningLoop().callAt(${op[1]}, cb${op[2]}));`],
  cancelHandle: (op, i) => [`${i}handles[${op[1]}]!.cancel();`],
  cancelHandles: (op, i) => [`${i}for (const h of handles.slice(${op[1]}, ${op[2]})) h.cancel();`],
  repeat: (op, i, n) => [`${i}for (let k = 0; k < ${op[1]}; k++) {`, ...tsBlock(op[2], n), `${i}}`],
  repeatSteps: (op, i, n) => [`${i}for (let k = 0; k < ${op[1]}; k++) {`, ...tsBlock(op[2], n), `${i}}`],
  stop: (_op, i) => [`${i}getRunningLoop().stop();`],
  blockingSleep: (op, i) => [`${i}blockingSleep(${op[1]});`],
  raise: (op, i) => [`${i}throw new ${op[1]}('${op[2]}');`],
  sleep: (op, i) => [`${i}yield* sleep(${op[1]});`],
  yield: (_op, i) => [`${i}yield* sleep(0);`],
  await: (op, i) => [`${i}console.log(repr(yield* ${tsRef(op[1])}));`],
  return: (op, i) => [`${i}return ${tsValue(op[1])};`],
  try: (op, i, n) => [`${i}try {`, ...tsBlock(op[1], n), `${i}} catch (e) {`, `${n}if (!(${TS_CATCH[op[2]]})) throw e;`, `${n}console.log('caught', repr(e));`, ...tsBlock(op[3], n), `${i}}`],
  reraise: (_op, i) => [`${i}throw e;`],
  gather: (op, i) => [`${i}console.log(repr(yield* gather(${[...op[1].map(tsRef), `{ returnExceptions: ${op[2]} }`].join(', ')})));`],
  shield: (op, i) => [`${i}console.log(repr(yield* shield(${tsRef(op[1])})));`],
  asCompleted: (op, i) => [`${i}for (const c of asCompleted([${op[1].map(tsRef).join(', ')}], { timeout: ${op[2] === null ? 'undefined' : op[2]} })) console.log(repr(yield* c));`],
  waitFor: (op, i) => [`${i}console.log(repr(yield* waitFor(${tsRef(op[1])}, ${op[2] === null ? 'undefined' : op[2]})));`],
  wait: (op, i) => [`${i}console.log(repr(yield* wait([${op[1].map(tsRef).join(', ')}] as Future<unknown>[], { returnWhen: ${op[2]}, timeout: ${op[3] === null ? 'undefined' : op[3]} })));`],
  timeout: (op, i, n) => [`${i}yield* asyncWith(timeout(${op[1] === null ? 'undefined' : op[1]}), function* () {`, ...tsBlock(op[2], n), `${i}});`],
  taskGroup: (op, i, n) => [`${i}yield* asyncWith(new TaskGroup(), function* (tg) {`, ...tsBlock(op[1], n), `${i}});`],
  tgSpawn: (op, i) => [`${i}tasks.set('${op[2]}', tg.createTask(b${op[1]}(), { name: '${op[2]}' }));`],
  release: (op, i) => [`${i}${syncRef(op[1])}!.release();`],
  eventSet: (op, i) => [`${i}events[${op[1]}]!.set();`],
  eventClear: (op, i) => [`${i}events[${op[1]}]!.clear();`],
  notify: (op, i) => [`${i}conds[${op[1]}]!.notify(${op[2]});`],
  notifyAll: (op, i) => [`${i}conds[${op[1]}]!.notifyAll();`],
  putNowait: (op, i) => [`${i}queues[${op[1]}]!.putNowait(${tsValue(op[2])});`],
  getNowait: (op, i) => [`${i}console.log(repr(queues[${op[1]}]!.getNowait()));`],
  taskDone: (op, i) => [`${i}queues[${op[1]}]!.taskDone();`],
  shutdown: (op, i) => [`${i}queues[${op[1]}]!.shutdown(${op[2]});`],
  show: (op, i) => [`${i}console.log(repr(${syncRef(op[1])}));`],
  with: (op, i, n) => [`${i}yield* asyncWith(${syncRef(op[1])}!, function* () {`, ...tsBlock(op[2], n), `${i}});`],
  acquire: (op, i) => [`${i}yield* ${syncRef(op[1])}!.acquire();`],
  eventWait: (op, i) => [`${i}yield* events[${op[1]}]!.wait();`],
  condWait: (op, i) => [`${i}yield* conds[${op[1]}]!.wait();`],
  put: (op, i) => [`${i}yield* queues[${op[1]}]!.put(${tsValue(op[2])});`],
  get: (op, i) => [`${i}console.log(repr(yield* queues[${op[1]}]!.get()));`],
  join: (op, i) => [`${i}yield* queues[${op[1]}]!.join();`],
  barrierWait: (op, i) => [`${i}console.log(yield* barriers[${op[1]}]!.wait());`],
  barrierReset: (op, i) => [`${i}yield* barriers[${op[1]}]!.reset();`],
  barrierAbort: (op, i) => [`${i}yield* barriers[${op[1]}]!.abort();`],
  runInExecutor: (op, i) => [`${i}xfuts.set('${op[3]}', getRunningLoop().runInExecutor(${op[1] === null ? 'undefined' : `pools[${op[1]}]`}, j${op[2]}));`],
  toThread: (op, i) => [`${i}console.log(repr(yield* toThread(j${op[1]})));`],
  shutdownDefaultExecutor: (_op, i) => [`${i}yield* getRunningLoop().shutdownDefaultExecutor();`],
  startThread: (op, i) => [`${i}new threading.Thread({ target: j${op[1]}, name: '${op[2]}' }).start();`],
  poolShutdown: (op, i) => [`${i}pools[${op[1]}]!.shutdown({ wait: ${op[2]}, cancelFutures: ${op[3]} });`],
  newFuture: (_op, i) => [`${i}futures.push(getRunningLoop().createFuture());`],
  addDoneCallback: (op, i) => [`${i}${tsRef(op[1])}.addDoneCallback((f) => console.log(f));`],
  ...TS_CONTEXT,
};

function tsSync(scn: Scenario): string[] {
  const s = scn.sync ?? {};
  const kinds = { fifo: 'Queue', priority: 'PriorityQueue', lifo: 'LifoQueue' };
  return [
    `const locks = Array.from({ length: ${s.locks ?? 0} }, () => new Lock());`,
    `const sems = [${(s.semaphores ?? []).map((x) => `new ${x.bounded ? 'BoundedSemaphore' : 'Semaphore'}(${x.value})`).join(', ')}];`,
    `const events = Array.from({ length: ${s.events ?? 0} }, () => new Event());`,
    `const conds = Array.from({ length: ${s.conditions ?? 0} }, () => new Condition());`,
    `const queues = [${(s.queues ?? []).map((q) => `new ${kinds[q.kind]}(${q.maxsize})`).join(', ')}];`,
    `const barriers = [${(s.barriers ?? []).map((n) => `new Barrier(${n})`).join(', ')}];`,
  ];
}

/** The scenario as an aiosim program. */
export function toTypeScript(scn: Scenario): string {
  const lines = [
    `// scenario ${scn.id} as a plain aiosim program`,
    "import { ALL_COMPLETED, asCompleted, asyncWith, blockingSleep, CancelledError, currentTask, FIRST_COMPLETED, FIRST_EXCEPTION, Future, gather, getRunningLoop, isException,",
    "  KeyboardInterrupt, repr, run, RuntimeError, shield, sleep, SystemExit, Task, TaskGroup, timeout, TimeoutError, ValueError, wait, waitFor,",
    "  Barrier, BoundedSemaphore, Condition, Event, LifoQueue, Lock, PriorityQueue, Queue, Semaphore, type Coro, type Handle } from 'aiosim';",
    'class KeyError extends Error {}',
    '',
    'const tasks = new Map<string, Task<unknown>>();',
    'const handles: Handle[] = [];',
    'const futures: Future<unknown>[] = [];',
    ...tsSync(scn),
    '',
  ];
  if (scn.threads === true) {
    lines[3] = lines[3]!.replace(' } from', ', runCoroutineThreadsafe, threading, ThreadPoolExecutor, toThread } from');
    lines.push('const xfuts = new Map<string, Future<unknown>>();', `const pools = [${(scn.pools ?? []).map((n, k) => `new ThreadPoolExecutor({ maxWorkers: ${n}, threadNamePrefix: 'P${k}' })`).join(', ')}];`, 'let loop: ReturnType<typeof getRunningLoop>;', '');
    (scn.jobs ?? []).forEach((job, k) => lines.push(`function* j${k}(): Generator<unknown, unknown, unknown> {`, ...job.map((op) => tsJob(op, '  ')), '}', ''));
  }
  if (scn.contextVars !== undefined) lines[3] = lines[3]!.replace(' } from', ', contextvars, inContext } from');
  lines.push(...tsContextDecls(scn));
  if (scn.agens !== undefined) lines[3] = lines[3]!.replace(' } from', ', anext, asyncFor, asyncGenerator, emit, GeneratorExit, StopAsyncIteration, type AsyncGen, type AsyncGeneratorObject } from');
  lines.push(...tsAgens(scn));
  if (scn.net !== undefined) {
    lines[3] = lines[3]!.replace(' } from', `${TS_NET_IMPORTS} } from`);
    lines.splice(4, 0, "import { network } from 'aiosim/src/net/network.js'; // (not public yet)");
  }
  lines.push(...tsNetDecls(scn));
  scn.callbacks.forEach((cb, k) => lines.push(`function cb${k}(): void {`, ...tsBlock(cb, '  '), '}', ''));
  scn.bodies.forEach((body, b) => {
    lines.push(scn.net === undefined ? `function* b${b}(): Coro<unknown> {` : `function* b${b}(reader?: StreamReader, writer?: StreamWriter): Coro<unknown> {`);
    if (b === 0) {
      if (scn.threads === true) lines.push('  loop = getRunningLoop();');
      lines.push(`  for (let k = 0; k < ${scn.futures}; k++) futures.push(getRunningLoop().createFuture());`);
    }
    lines.push(...tsBlock(body, '  '), '}', '');
  });
  lines.push(`console.log(repr(run(b0()${scn.debug ? ', { debug: true }' : ''})));`);
  return lines.join('\n');
}
