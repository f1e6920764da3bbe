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

    def job_ok(self, j, who):
        if 0 <= j < len(self.scn.get('jobs', [])):
            return True
        self.log(who, f'missing j{j}')
        return False

    def pool(self, i, who):
        """Return (found, pool): pool i, or None (the default executor) for None."""
        if i is None:
            return (True, None)
        if 0 <= i < len(self.pools):
            return (True, self.pools[i])
        self.log(who, f'missing P{i}')
        return (False, None)

    def schedule_callback(self, name, cb, who, schedule):
        if not 0 <= cb < len(self.scn['callbacks']):
            self.log(who, f'missing cb{cb}')
        elif self.spend(who, 'callback'):
            n = len(self.handles)
            self.handles.append(schedule(functools.partial(run_callback, self, cb, n)))
            self.log(who, f'{name} cb{cb} -> h{n}')

    def sync_obj(self, ref, who, kinds='LSCEQB'):
        """Return the synchronisation object `ref` ('L:0', ...) or None (logged)."""
        kind, _, key = ref.partition(':')
        objs = self.sync.get(kind, []) if kind in kinds else []
        if key.isdigit() and int(key) < len(objs):
            return objs[int(key)]
        self.log(who, f'missing {ref}')
        return None

    def resolve_existing(self, ref, who, kinds):
        """Resolve a reference to an existing task or future of one of `kinds`."""
        if ref.partition(':')[0] not in kinds:
            self.log(who, f'missing {ref}')
            return (False, None)
        return self.resolve(ref, who)

    def action(self, op, who, tg_stack):
        name = op[0]
        if name == 'log':
            self.log(who, f'log {op[1]}')
        elif name == 'spawn':
            b, label = op[1], op[2]
            if not 0 < b < len(self.scn['bodies']):
                self.log(who, f'missing b{b}')
            elif self.spend(who, 'spawn'):
                self.tasks[label] = self.loop.create_task(run_body(self, b, label), name=label)
                self.spawned.append(self.tasks[label])
                self.log(who, f'spawn {label}')
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
            if i >= len(self.futures):
                self.log(who, f'missing f:{i}')
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
            if op[1] < len(self.handles):
                self.handles[op[1]].cancel()
                self.log(who, f'cancelHandle h{op[1]}')
            else:
                self.log(who, f'missing h{op[1]}')
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
            obj = self.sync_obj(op[1], who, 'LSC')
            if obj is not None:
                obj.release()
                self.log(who, f'release {op[1]}')
        elif name in ('eventSet', 'eventClear'):
            ev = self.sync_obj(f'E:{op[1]}', who)
            if ev is not None:
                ev.set() if name == 'eventSet' else ev.clear()
                self.log(who, f'{name} E:{op[1]}')
        elif name in ('notify', 'notifyAll'):
            cond = self.sync_obj(f'C:{op[1]}', who)
            if cond is not None:
                cond.notify(op[2]) if name == 'notify' else cond.notify_all()
                self.log(who, f'{name} C:{op[1]}')
        elif name == 'putNowait':
            q = self.sync_obj(f'Q:{op[1]}', who)
            if q is not None:
                q.put_nowait(op[2])
                self.log(who, f'putNowait Q:{op[1]} {op[2]!r}')
        elif name == 'getNowait':
            q = self.sync_obj(f'Q:{op[1]}', who)
            if q is not None:
                self.log(who, f'getNowait Q:{op[1]} -> {q.get_nowait()!r}')
        elif name == 'taskDone':
            q = self.sync_obj(f'Q:{op[1]}', who)
            if q is not None:
                q.task_done()
                self.log(who, f'taskDone Q:{op[1]}')
        elif name == 'shutdown':
            q = self.sync_obj(f'Q:{op[1]}', who)
            if q is not None:
                q.shutdown(op[2])
                self.log(who, f'shutdown Q:{op[1]}')
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
            if not tg_stack:
                self.log(who, 'missing taskGroup')
            elif not 0 < op[1] < len(self.scn['bodies']):
                self.log(who, f'missing b{op[1]}')
            elif self.spend(who, 'spawn'):
                label = op[2]
                self.tasks[label] = tg_stack[-1].create_task(run_body(self, op[1], label), name=label)
                self.spawned.append(self.tasks[label])
                self.log(who, f'tgSpawn {label}')
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
            if op[1] < len(interp.futures):
                loop.call_soon_threadsafe(interp.futures[op[1]].set_result, op[2])
                interp.log(who, f'setResultThreadsafe f:{op[1]}')
            else:
                interp.log(who, f'missing f:{op[1]}')
        elif name == 'runCoroutineThreadsafe':
            b, label = op[1], op[2]
            if not 0 < b < len(interp.scn['bodies']):
                interp.log(who, f'missing b{b}')
            elif interp.spend(who, 'spawn'):
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
            found, target = interp.resolve(op[1], who)
            if found:
                r = await target
                interp.log(who, f'await {op[1]} -> {r!r}')
        elif name == 'return':
            return (True, op[1])
        elif name == 'try':
            try:
                returned, value = await run_steps(interp, op[1], who, tg_stack, caught)
                if returned:
                    return (True, value)
            except CATCH[op[2]] as e:
                interp.log(who, f'caught {e!r}')
                returned, value = await run_steps(interp, op[3], who, tg_stack, e)
                if returned:
                    return (True, value)
        elif name == 'reraise':
            if caught is None:
                interp.log(who, 'missing reraise')
            else:
                raise caught
        elif name in ('gather', 'wait'):
            refs = []
            for ref in op[1]:
                found, target = interp.resolve(ref, who)
                if found:
                    refs.append((ref, target))
            if name == 'gather':
                r = await asyncio.gather(*[t for _, t in refs], return_exceptions=op[2])
                interp.log(who, f'gather -> {r!r}')
            else:
                done, pending = await asyncio.wait([t for _, t in refs], return_when=RETURN_WHEN[op[2]], timeout=op[3])
                d = sorted(_label(interp, f, refs) for f in done)
                p = sorted(_label(interp, f, refs) for f in pending)
                interp.log(who, f'wait -> done={d} pending={p}')
        elif name == 'asCompleted':
            refs = []
            for ref in op[1]:
                found, target = interp.resolve(ref, who)
                if found:
                    refs.append(target)
            for c in asyncio.as_completed(refs, timeout=op[2]):
                interp.log(who, f'asCompleted -> {await c!r}')
        elif name == 'shield':
            found, target = interp.resolve(op[1], who)
            if found:
                r = await asyncio.shield(target)
                interp.log(who, f'shield {op[1]} -> {r!r}')
        elif name == 'waitFor':
            found, target = interp.resolve(op[1], who)
            if found:
                r = await asyncio.wait_for(target, op[2])
                interp.log(who, f'waitFor {op[1]} -> {r!r}')
        elif name == 'timeout':
            async with asyncio.timeout(op[1]):
                returned, value = await run_steps(interp, op[2], who, tg_stack, caught)
                if returned:
                    return (True, value)
            interp.log(who, 'timeout exit')
        elif name == 'repeatSteps':
            for _ in range(op[1]):
                returned, value = await run_steps(interp, op[2], who, tg_stack, caught)
                if returned:
                    return (True, value)
        elif name == 'with':
            obj = interp.sync_obj(op[1], who, 'LSCB')
            if obj is not None:
                async with obj as v:
                    interp.log(who, f'with {op[1]} enter {v!r}')
                    returned, value = await run_steps(interp, op[2], who, tg_stack, caught)
                    if returned:
                        return (True, value)
                interp.log(who, f'with {op[1]} exit')
        elif name == 'acquire':
            obj = interp.sync_obj(op[1], who, 'LSC')
            if obj is not None:
                interp.log(who, f'acquire {op[1]} -> {await obj.acquire()!r}')
        elif name in ('eventWait', 'condWait'):
            obj = interp.sync_obj(f"{'E' if name == 'eventWait' else 'C'}:{op[1]}", who)
            if obj is not None:
                interp.log(who, f'{name} {op[1]} -> {await obj.wait()!r}')
        elif name == 'put':
            q = interp.sync_obj(f'Q:{op[1]}', who)
            if q is not None:
                await q.put(op[2])
                interp.log(who, f'put Q:{op[1]} {op[2]!r}')
        elif name == 'get':
            q = interp.sync_obj(f'Q:{op[1]}', who)
            if q is not None:
                interp.log(who, f'get Q:{op[1]} -> {await q.get()!r}')
        elif name == 'join':
            q = interp.sync_obj(f'Q:{op[1]}', who)
            if q is not None:
                await q.join()
                interp.log(who, f'join Q:{op[1]}')
        elif name in ('barrierWait', 'barrierReset', 'barrierAbort'):
            b = interp.sync_obj(f'B:{op[1]}', who)
            if b is not None:
                method = {'barrierWait': b.wait, 'barrierReset': b.reset, 'barrierAbort': b.abort}[name]
                interp.log(who, f'{name} B:{op[1]} -> {await method()!r}')
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
                returned, value = await run_steps(interp, op[1], who, tg_stack + [tg], caught)
                if returned:
                    return (True, value)
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
