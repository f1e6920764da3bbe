"""The scenario interpreter for CPython: runs a scenario (see scenario.ts) with asyncio on
the virtual-clock loop and returns its trace. interpreter.ts is its twin for aiosim;
both must give the same meaning to every construct, line for line.
"""
import asyncio
import concurrent.futures
import functools
import gc
import itertools
import logging
import re
import sys
import threading
import time
import warnings
import weakref

import virtual_loop

EXC = {
    'ValueError': ValueError, 'KeyError': KeyError, 'RuntimeError': RuntimeError,
    'KeyboardInterrupt': KeyboardInterrupt, 'SystemExit': SystemExit,
}
CATCH = {
    'CancelledError': asyncio.CancelledError, 'Exception': Exception, 'BaseException': BaseException,
    'TimeoutError': TimeoutError, 'ValueError': ValueError,
}
RETURN_WHEN = {
    'FIRST_COMPLETED': asyncio.FIRST_COMPLETED, 'FIRST_EXCEPTION': asyncio.FIRST_EXCEPTION,
    'ALL_COMPLETED': asyncio.ALL_COMPLETED,
}
# Messages CPython logs when it collects an object: their timing depends on reference
# counting, which aiosim cannot reproduce (see docs/divergences.md).
GC_WARNING = re.compile(r'^(coroutine .* was never awaited|unclosed event loop)')
GC_MESSAGE = re.compile(r'^(\w+ exception was never retrieved|Task was destroyed but it is pending!)')
BUDGET = 60


# CPython iterates a few sets of tasks whose order follows memory addresses: the tasks
# asyncio.run() cancels at shutdown, the tasks a TaskGroup cancels when it aborts, the
# awaitables wait() and as_completed() are given.
# That order is unspecified, so the oracle pins it to creation order, the order aiosim
# uses; everything else is CPython's own code.
_created = weakref.WeakKeyDictionary()
_counter = itertools.count()
_original_create_task = asyncio.BaseEventLoop.create_task
_original_all_tasks = asyncio.tasks.all_tasks


def _create_task(self, coro, **kwargs):
    task = _original_create_task(self, coro, **kwargs)
    _created[task] = next(_counter)
    return task


def _all_tasks(loop=None):
    return sorted(_original_all_tasks(loop), key=lambda t: _created.get(t, -1))


class _OrderedTaskSet:
    def __init__(self, items=()):
        self._d = dict.fromkeys(items)

    def __contains__(self, t):
        return t in self._d

    def add(self, t):
        self._d[t] = None

    def discard(self, t):
        self._d.pop(t, None)

    def remove(self, t):
        del self._d[t]

    def clear(self):
        self._d.clear()

    def __iter__(self):
        return iter(list(self._d))

    def __len__(self):
        return len(self._d)


_original_tg_init = asyncio.TaskGroup.__init__


def _tg_init(self):
    _original_tg_init(self)
    self._tasks = _OrderedTaskSet()


# Objects alive now (the interpreter, the stdlib) are never garbage: leave them out of
# the per-scenario collections, which keeps those fast.
gc.freeze()

asyncio.BaseEventLoop.create_task = _create_task
asyncio.tasks.all_tasks = _all_tasks
asyncio.TaskGroup.__init__ = _tg_init
# wait() iterates set(...) of its arguments: keep the given order.
asyncio.tasks.set = _OrderedTaskSet


def _as_completed_init(self, aws, timeout):
    # CPython's _AsCompletedIterator.__init__, with its two sets (the awaitables given,
    # the futures made of them) kept in the order given.
    self._done = asyncio.Queue()
    self._timeout_handle = None
    loop = asyncio.events.get_event_loop()
    todo = _OrderedTaskSet(asyncio.ensure_future(aw, loop=loop) for aw in _OrderedTaskSet(aws))
    for f in todo:
        f.add_done_callback(self._handle_completion)
    if todo and timeout is not None:
        self._timeout_handle = loop.call_later(timeout, self._handle_timeout)
    self._todo = todo
    self._todo_left = len(todo)


asyncio.tasks._AsCompletedIterator.__init__ = _as_completed_init


def normalise(text):
    text = re.sub(r' at [^\s>()]+:\d+', ' at F:L', text)
    text = re.sub(r'0x[0-9a-f]+', '0x?', text)
    return re.sub(r'Task-\d+', 'Task-?', text)


# Records logged outside a run (objects collected later) go nowhere, not to stderr, and
# so do errors in coroutines closed by the collector after their loop was closed.
logging.getLogger('asyncio').addHandler(logging.NullHandler())
sys.unraisablehook = lambda unraisable: None


class _LogHandler(logging.Handler):
    def __init__(self, interp):
        super().__init__()
        self.interp = interp

    def emit(self, record):
        first = record.getMessage().split('\n')[0]
        if not GC_MESSAGE.match(first):
            self.interp.trace.append(f'log {record.levelname} {normalise(first)}')


# What a logged operation shows of its result: ` -> repr`, or nothing.
def _arrow(r):
    return f' -> {r!r}'


def _nothing(r):
    return ''


class Interp:
    def __init__(self, scenario):
        self.scn = scenario
        self.trace = []
        self.tasks = {}
        self.futures = []
        self.handles = []
        self.loop = None
        self.budget = scenario.get('budget', BUDGET)
        self.sync = {}
        # Keeps every coroutine alive until the trace is complete: a suspended coroutine
        # that CPython collects is closed (GeneratorExit) at a moment aiosim cannot know.
        self.coros = []
        # Likewise every spawned task: a pending task nothing refers to is collected by
        # CPython's cycle collector at a moment of its choosing, and then asyncio.run()
        # no longer cancels it at shutdown.
        self.spawned = []
        self.executor_futs = {}
        self.pools = []

    def __repr__(self):
        return '<interp>'

    def log(self, who, event):
        self.trace.append(f'{self.loop.time()!r} {who}: {normalise(event)}')

    def spend(self, who, what):
        if self.budget <= 0:
            self.log(who, f'budget {what}')
            return False
        self.budget -= 1
        return True

    def resolve(self, ref, who):
        """Return (found, object); a 'c:' ref gives a fresh coroutine."""
        if ref == 'self':
            t = asyncio.current_task()
            return (t is not None, t)
        kind, _, key = ref.partition(':')
        if kind == 't' and key in self.tasks:
            return (True, self.tasks[key])
        if kind == 'f' and key.isdigit() and int(key) < len(self.futures):
            return (True, self.futures[int(key)])
        if kind == 'x' and key in self.executor_futs:
            return (True, self.executor_futs[key])
        if kind == 'c' and key.isdigit() and 0 < int(key) < len(self.scn['bodies']):
            if self.spend(who, ref):
                coro = run_body(self, int(key), who)
                self.coros.append(coro)
                return (True, coro)
            return (False, None)
        self.log(who, f'missing {ref}')
        return (False, None)

    def make_sync(self):
        spec = self.scn.get('sync') or {}
        queue_kinds = {'fifo': asyncio.Queue, 'priority': asyncio.PriorityQueue, 'lifo': asyncio.LifoQueue}
        self.sync = {
            'L': [asyncio.Lock() for _ in range(spec.get('locks', 0))],
            'S': [(asyncio.BoundedSemaphore if s['bounded'] else asyncio.Semaphore)(s['value'])
                  for s in spec.get('semaphores', [])],
            'E': [asyncio.Event() for _ in range(spec.get('events', 0))],
            'C': [asyncio.Condition() for _ in range(spec.get('conditions', 0))],
            'Q': [queue_kinds[q['kind']](q['maxsize']) for q in spec.get('queues', [])],
            'B': [asyncio.Barrier(n) for n in spec.get('barriers', [])],
        }
        self.pools = [concurrent.futures.ThreadPoolExecutor(max_workers=n, thread_name_prefix=f'P{i}')
                      for i, n in enumerate(self.scn.get('pools', []))]

    def present(self, ok, who, what):
        """Return ok; when it is false, log `missing <what>`."""
        if not ok:
            self.log(who, f'missing {what}')
        return ok

    def job_ok(self, j, who):
        return self.present(0 <= j < len(self.scn.get('jobs', [])), who, f'j{j}')

    def body_ok(self, b, who):
        """Whether body b can be started (body 0 is main's)."""
        return self.present(0 < b < len(self.scn['bodies']), who, f'b{b}')

    def pool(self, i, who):
        """Return (found, pool): pool i, or None (the default executor) for None."""
        if i is None:
            return (True, None)
        if self.present(0 <= i < len(self.pools), who, f'P{i}'):
            return (True, self.pools[i])
        return (False, None)

    def schedule_callback(self, name, cb, who, schedule):
        if self.present(0 <= cb < len(self.scn['callbacks']), who, f'cb{cb}') and self.spend(who, 'callback'):
            n = len(self.handles)
            self.handles.append(schedule(functools.partial(run_callback, self, cb, n)))
            self.log(who, f'{name} cb{cb} -> h{n}')

    def sync_obj(self, ref, who, kinds='LSCEQB'):
        """Return the synchronisation object `ref` ('L:0', ...) or None (logged)."""
        kind, _, key = ref.partition(':')
        objs = self.sync.get(kind, []) if kind in kinds else []
        if self.present(key.isdigit() and int(key) < len(objs), who, ref):
            return objs[int(key)]
        return None

    def sync_call(self, name, ref, who, call, shown=_nothing, kinds='LSCEQB'):
        """Call call(obj) on the synchronisation object `ref`, then log `name ref` and what
        shown makes of the result (or log it missing)."""
        obj = self.sync_obj(ref, who, kinds)
        if obj is not None:
            self.log(who, f'{name} {ref}{shown(call(obj))}')

    def resolve_existing(self, ref, who, kinds):
        """Resolve a reference to an existing task or future of one of `kinds`."""
        if not self.present(ref.partition(':')[0] in kinds, who, ref):
            return (False, None)
        return self.resolve(ref, who)

    def resolve_all(self, refs, who):
        """Resolve every reference; return the (ref, object) pairs found."""
        pairs = []
        for ref in refs:
            found, target = self.resolve(ref, who)
            if found:
                pairs.append((ref, target))
        return pairs

    def spawn(self, name, b, label, who, owner):
        """Start body b as task `label` with owner.create_task (the loop's or a task group's)."""
        if self.body_ok(b, who) and self.spend(who, 'spawn'):
            self.tasks[label] = owner.create_task(run_body(self, b, label), name=label)
            self.spawned.append(self.tasks[label])
            self.log(who, f'{name} {label}')

    def action(self, op, who, tg_stack):
        name = op[0]
        if name == 'log':
            self.log(who, f'log {op[1]}')
        elif name == 'spawn':
            self.spawn(name, op[1], op[2], who, self.loop)
        elif name == 'cancel':
            found, target = self.resolve_existing(op[1], who, ('self', 't', 'f', 'x'))
            if found:
                r = target.cancel() if op[2] is None else target.cancel(op[2])
                self.log(who, f'cancel {op[1]} -> {r!r}')
        elif name == 'uncancel':
            found, target = self.resolve_existing(op[1], who, ('self', 't'))
            if found:
                self.log(who, f'uncancel {op[1]} -> {target.uncancel()!r}')
        elif name in ('setResult', 'setException'):
            i = op[1]
            if not self.present(i < len(self.futures), who, f'f:{i}'):
                return
            try:
                if name == 'setResult':
                    self.futures[i].set_result(op[2])
                else:
                    self.futures[i].set_exception(EXC[op[2]](op[3]))
                self.log(who, f'{name} f:{i}')
            except asyncio.InvalidStateError as e:
                self.log(who, f'{name} f:{i} -> {e!r}')
        elif name in ('callSoon', 'callLater', 'callAt'):
            if name == 'callSoon':
                schedule = self.loop.call_soon
            elif name == 'callLater':
                schedule = functools.partial(self.loop.call_later, op[1])
            else:
                # JavaScript numbers are floats: so is every deadline.
                schedule = functools.partial(self.loop.call_at, float(op[1]))
            self.schedule_callback(name, op[-1], who, schedule)
        elif name == 'cancelHandle':
            if self.present(op[1] < len(self.handles), who, f'h{op[1]}'):
                self.handles[op[1]].cancel()
                self.log(who, f'cancelHandle h{op[1]}')
        elif name == 'cancelHandles':
            start, end = op[1], min(op[2], len(self.handles))
            for i in range(start, end):
                self.handles[i].cancel()
            self.log(who, f'cancelHandles h{start}..h{end}')
        elif name == 'repeat':
            for _ in range(op[1]):
                for sub in op[2]:
                    self.action(sub, who, tg_stack)
        elif name == 'blockingSleep':
            time.sleep(op[1])
            self.log(who, f'blockingSleep {op[1]!r}')
        elif name == 'stop':
            self.loop.stop()
            self.log(who, 'stop')
        elif name == 'raise':
            raise EXC[op[1]](op[2])
        elif name == 'release':
            self.sync_call(name, op[1], who, lambda o: o.release(), _nothing, 'LSC')
        elif name in ('eventSet', 'eventClear'):
            self.sync_call(name, f'E:{op[1]}', who, lambda ev: ev.set() if name == 'eventSet' else ev.clear())
        elif name in ('notify', 'notifyAll'):
            self.sync_call(name, f'C:{op[1]}', who, lambda c: c.notify(op[2]) if name == 'notify' else c.notify_all())
        elif name == 'putNowait':
            self.sync_call(name, f'Q:{op[1]}', who, lambda q: q.put_nowait(op[2]), lambda _: f' {op[2]!r}')
        elif name == 'getNowait':
            self.sync_call(name, f'Q:{op[1]}', who, lambda q: q.get_nowait(), _arrow)
        elif name == 'taskDone':
            self.sync_call(name, f'Q:{op[1]}', who, lambda q: q.task_done())
        elif name == 'shutdown':
            self.sync_call(name, f'Q:{op[1]}', who, lambda q: q.shutdown(op[2]))
        elif name == 'show':
            obj = self.sync_obj(op[1], who)
            if obj is not None:
                self.log(who, f'show {obj!r}')
        elif name == 'startThread':
            if self.job_ok(op[1], who):
                threading.Thread(target=run_job, args=(self, op[1]), name=op[2]).start()
                self.log(who, f'startThread {op[2]}')
        elif name == 'poolShutdown':
            found, pool = self.pool(op[1], who)
            if found and pool is not None:
                pool.shutdown(wait=op[2], cancel_futures=op[3])
                self.log(who, f'poolShutdown P{op[1]}')
        elif name == 'tgSpawn':
            if self.present(bool(tg_stack), who, 'taskGroup'):
                self.spawn(name, op[1], op[2], who, tg_stack[-1])
        else:
            raise AssertionError(f'unknown action {op!r}')


def run_callback(interp, cb, n):
    who = f'cb{cb}'
    interp.log(who, f'run h{n}')
    for op in interp.scn['callbacks'][cb]:
        interp.action(op, who, [])


def run_job(interp, j):
    """A job on a (simulated) thread: its steps, logged under the thread's name."""
    who = threading.current_thread().name
    interp.log(who, f'job j{j}')
    loop = interp.loop
    for op in interp.scn['jobs'][j]:
        name = op[0]
        if name == 'log':
            interp.log(who, f'log {op[1]}')
        elif name == 'tsleep':
            time.sleep(op[1])
            interp.log(who, f'tslept {op[1]!r}')
        elif name in ('callSoonThreadsafe', 'callSoon'):
            schedule = loop.call_soon_threadsafe if name == 'callSoonThreadsafe' else loop.call_soon
            interp.schedule_callback(name, op[1], who, schedule)
        elif name == 'cancelThreadsafe':
            found, target = interp.resolve_existing(op[1], who, ('t', 'f', 'x'))
            if found:
                loop.call_soon_threadsafe(target.cancel)
                interp.log(who, f'cancelThreadsafe {op[1]}')
        elif name == 'setResultThreadsafe':
            if interp.present(op[1] < len(interp.futures), who, f'f:{op[1]}'):
                loop.call_soon_threadsafe(interp.futures[op[1]].set_result, op[2])
                interp.log(who, f'setResultThreadsafe f:{op[1]}')
        elif name == 'runCoroutineThreadsafe':
            b, label = op[1], op[2]
            if interp.body_ok(b, who) and interp.spend(who, 'spawn'):
                coro = run_body(interp, b, label)
                interp.coros.append(coro)
                cf = asyncio.run_coroutine_threadsafe(coro, loop)
                cf.add_done_callback(functools.partial(cf_done, interp, label))
                interp.log(who, f'runCoroutineThreadsafe {label}')
        elif name == 'return':
            interp.log(who, f'job return {op[1]!r}')
            return op[1]
        elif name == 'raise':
            interp.log(who, f'job raise {op[1]}')
            raise EXC[op[1]](op[2])
        else:
            raise AssertionError(f'unknown job step {op!r}')
    interp.log(who, 'job end')
    return None


def cf_done(interp, label, cf):
    who = threading.current_thread().name
    if cf.cancelled():
        interp.log(who, f'cf {label} cancelled')
    elif cf.exception() is not None:
        interp.log(who, f'cf {label} raised {cf.exception()!r}')
    else:
        interp.log(who, f'cf {label} -> {cf.result()!r}')


async def run_body(interp, b, who):
    interp.log(who, f'start b{b}')
    try:
        _, value = await run_steps(interp, interp.scn['bodies'][b], who, [], None)
    except GeneratorExit:
        # Only CPython's collector closes a suspended coroutine (when a closed loop drops
        # a pending task): collection timing is not part of the language.
        raise
    except BaseException as e:
        interp.log(who, f'raise {e!r}')
        raise
    interp.log(who, f'return {value!r}')
    return value


async def await_ref(interp, name, ref, who, wrap):
    """Resolve `ref`, await wrap(object) and log `name ref -> result` (or log it missing)."""
    found, target = interp.resolve(ref, who)
    if found:
        interp.log(who, f'{name} {ref}{_arrow(await wrap(target))}')


async def sync_await(interp, name, ref, who, call, shown=_arrow, kinds='LSCEQB'):
    """Await call(obj) on the synchronisation object `ref`, then log `name ref` and what
    shown makes of the result (or log it missing)."""
    obj = interp.sync_obj(ref, who, kinds)
    if obj is not None:
        interp.log(who, f'{name} {ref}{shown(await call(obj))}')


def _label(interp, obj, refs):
    for ref, o in refs:
        if o is obj:
            return ref
    return '?'


async def run_steps(interp, steps, who, tg_stack, caught):
    """Run steps; return (True, value) after a `return` step, else (False, None)."""
    for op in steps:
        name = op[0]
        if name == 'sleep':
            await asyncio.sleep(op[1])
            interp.log(who, f'slept {op[1]!r}')
        elif name == 'yield':
            await asyncio.sleep(0)
            interp.log(who, 'yielded')
        elif name == 'await':
            await await_ref(interp, name, op[1], who, lambda t: t)
        elif name == 'return':
            return (True, op[1])
        elif name == 'try':
            try:
                outcome = await run_steps(interp, op[1], who, tg_stack, caught)
            except CATCH[op[2]] as e:
                interp.log(who, f'caught {e!r}')
                outcome = await run_steps(interp, op[3], who, tg_stack, e)
            if outcome[0]:
                return outcome
        elif name == 'reraise':
            if interp.present(caught is not None, who, 'reraise'):
                raise caught
        elif name in ('gather', 'wait'):
            refs = interp.resolve_all(op[1], who)
            if name == 'gather':
                r = await asyncio.gather(*[t for _, t in refs], return_exceptions=op[2])
                interp.log(who, f'gather -> {r!r}')
            else:
                done, pending = await asyncio.wait([t for _, t in refs], return_when=RETURN_WHEN[op[2]], timeout=op[3])
                d = sorted(_label(interp, f, refs) for f in done)
                p = sorted(_label(interp, f, refs) for f in pending)
                interp.log(who, f'wait -> done={d} pending={p}')
        elif name == 'asCompleted':
            targets = [t for _, t in interp.resolve_all(op[1], who)]
            for c in asyncio.as_completed(targets, timeout=op[2]):
                interp.log(who, f'asCompleted -> {await c!r}')
        elif name == 'shield':
            await await_ref(interp, name, op[1], who, asyncio.shield)
        elif name == 'waitFor':
            await await_ref(interp, name, op[1], who, lambda t: asyncio.wait_for(t, op[2]))
        elif name == 'timeout':
            async with asyncio.timeout(op[1]):
                outcome = await run_steps(interp, op[2], who, tg_stack, caught)
            if outcome[0]:
                return outcome
            interp.log(who, 'timeout exit')
        elif name == 'repeatSteps':
            for _ in range(op[1]):
                outcome = await run_steps(interp, op[2], who, tg_stack, caught)
                if outcome[0]:
                    return outcome
        elif name == 'with':
            obj = interp.sync_obj(op[1], who, 'LSCB')
            if obj is not None:
                async with obj as v:
                    interp.log(who, f'with {op[1]} enter {v!r}')
                    outcome = await run_steps(interp, op[2], who, tg_stack, caught)
                if outcome[0]:
                    return outcome
                interp.log(who, f'with {op[1]} exit')
        elif name == 'acquire':
            await sync_await(interp, name, op[1], who, lambda o: o.acquire(), _arrow, 'LSC')
        elif name in ('eventWait', 'condWait'):
            obj = interp.sync_obj(f"{'E' if name == 'eventWait' else 'C'}:{op[1]}", who)
            if obj is not None:
                interp.log(who, f'{name} {op[1]} -> {await obj.wait()!r}')
        elif name == 'put':
            await sync_await(interp, name, f'Q:{op[1]}', who, lambda q: q.put(op[2]), lambda _: f' {op[2]!r}')
        elif name == 'get':
            await sync_await(interp, name, f'Q:{op[1]}', who, lambda q: q.get())
        elif name == 'join':
            await sync_await(interp, name, f'Q:{op[1]}', who, lambda q: q.join(), _nothing)
        elif name in ('barrierWait', 'barrierReset', 'barrierAbort'):
            await sync_await(interp, name, f'B:{op[1]}', who, lambda b: {'barrierWait': b.wait, 'barrierReset': b.reset, 'barrierAbort': b.abort}[name]())
        elif name == 'runInExecutor':
            found, pool = interp.pool(op[1], who)
            if found and interp.job_ok(op[2], who) and interp.spend(who, 'job'):
                interp.executor_futs[op[3]] = interp.loop.run_in_executor(pool, run_job, interp, op[2])
                interp.log(who, f'runInExecutor x:{op[3]}')
        elif name == 'toThread':
            if interp.job_ok(op[1], who) and interp.spend(who, 'job'):
                r = await asyncio.to_thread(run_job, interp, op[1])
                interp.log(who, f'toThread j{op[1]} -> {r!r}')
        elif name == 'shutdownDefaultExecutor':
            await interp.loop.shutdown_default_executor()
            interp.log(who, 'shutdownDefaultExecutor')
        elif name == 'taskGroup':
            async with asyncio.TaskGroup() as tg:
                outcome = await run_steps(interp, op[1], who, tg_stack + [tg], caught)
            if outcome[0]:
                return outcome
            interp.log(who, 'taskGroup exit')
        else:
            interp.action(op, who, tg_stack)
    return (False, None)


async def scenario_main(interp):
    interp.loop = asyncio.get_running_loop()
    interp.futures = [interp.loop.create_future() for _ in range(interp.scn['futures'])]
    interp.make_sync()
    return await run_body(interp, 0, 'main')


def run_scenario(scenario):
    """Run one scenario with asyncio.run on a fresh virtual-clock loop; return its trace."""
    interp = Interp(scenario)
    handler = _LogHandler(interp)
    logger = logging.getLogger('asyncio')
    logger.addHandler(handler)

    virtual_loop.install()
    if scenario.get('threads'):
        import virtual_threads
        virtual_threads.install()
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter('always')
        try:
            result = asyncio.run(scenario_main(interp), debug=scenario.get('debug', False))
            interp.trace.append(f'end result {result!r}')
        except virtual_loop.Stalled:
            interp.trace.append('end stalled')
        except BaseException as e:
            interp.trace.append(f'end raised {normalise(repr(e))}')
        finally:
            logger.removeHandler(handler)
            if scenario.get('threads'):
                virtual_threads.SIM.finish()
        # Warnings about coroutines never awaited come when objects are collected.
        for w in shown:
            text = str(w.message)
            if not GC_WARNING.match(text):
                interp.trace.append(f'warn {w.category.__name__}: {normalise(text)}')
    trace = list(interp.trace)
    del interp
    # Finalise this run's garbage now, outside any running loop: a suspended coroutine
    # of this run closed later would run its cleanup inside the next scenario's task.
    gc.collect()
    return trace
