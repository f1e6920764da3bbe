"""The state of one scenario run on CPython (its tasks, futures, handles, synchronisation
objects, pools) and the functions that run its code: bodies as coroutines, callbacks,
jobs on threads. What each action, step and job step does is one small handler in
actions.py, steps.py and jobs.py, registered in the tables below; interp.ts is the twin.
What language.ts marks TypeScript only (the drive mode, newFuture, addDoneCallback, 'h:'
and '%' references, the records) has no counterpart here: CPython never runs it.
"""
import asyncio
import concurrent.futures
import functools
import re
import threading
from typing import NamedTuple

BUDGET = 60

# The handler tables, keyed by operation name (filled by actions.py, steps.py, jobs.py).
ACTIONS = {}
STEPS = {}
JOB_STEPS = {}


def _registrar(table):
    def register(name):
        def add(handler):
            table[name] = handler
            return handler
        return add
    return register


action = _registrar(ACTIONS)
step = _registrar(STEPS)
job_step = _registrar(JOB_STEPS)


def normalise(text):
    text = re.sub(r' at [^\s>()]+:\d+', ' at F:L', text)
    text = re.sub(r'0x[0-9a-f]+', '0x?', text)
    return re.sub(r'Task-\d+', 'Task-?', text)


class Frame(NamedTuple):
    """Where code runs: who logs, its task groups (innermost last), the exception its handler caught."""
    who: str
    tg_stack: list
    caught: BaseException | None


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
        # After asyncio.run() closed the loop, only the collector runs code (closing
        # suspended coroutines and the async generators they await): out of the trace,
        # as interp.ts leaves it.
        if self.loop.is_closed():
            return
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
        """Return the synchronisation object `ref` ('L:0', ...) of one of `kinds`, or None (logged missing)."""
        kind, _, key = ref.partition(':')
        objs = self.sync.get(kind, []) if kind in kinds else []
        if self.present(key.isdigit() and int(key) < len(objs), who, ref):
            return objs[int(key)]
        return None

    def spawn(self, name, b, label, who, owner, context=None):
        """Start body b as task `label` with owner.create_task (the loop's or a task
        group's), in `context` if given."""
        if self.body_ok(b, who) and self.spend(who, 'spawn'):
            self.tasks[label] = owner.create_task(run_body(self, b, label), name=label, context=context)
            self.spawned.append(self.tasks[label])
            self.log(who, f'{name} {label}')

    def action(self, op, frame):
        """Run one action (no await) in `frame`."""
        ACTIONS[op[0]](self, frame, op)


def run_callback(interp, cb, n):
    who = f'cb{cb}'
    interp.log(who, f'run h{n}')
    for op in interp.scn['callbacks'][cb]:
        interp.action(op, Frame(who, [], None))


async def run_body(interp, b, who):
    interp.log(who, f'start b{b}')
    try:
        returned = await run_steps(interp, interp.scn['bodies'][b], Frame(who, [], None))
    except GeneratorExit:
        # Only CPython's collector closes a suspended coroutine (when a closed loop drops
        # a pending task): collection timing is not part of the language.
        raise
    except BaseException as e:
        interp.log(who, f'raise {e!r}')
        raise
    value = None if returned is None else returned[0]
    interp.log(who, f'return {value!r}')
    return value


async def run_steps(interp, steps, frame):
    """Run steps in `frame`; return (value,) after a `return` step, else None."""
    for op in steps:
        handler = STEPS.get(op[0])
        if handler is None:
            interp.action(op, frame)
            continue
        returned = await handler(interp, frame, op)
        if returned is not None:
            return returned
    return None


def run_job(interp, j):
    """A job on a (simulated) thread: its steps, logged under the thread's name."""
    who = threading.current_thread().name
    interp.log(who, f'job j{j}')
    for op in interp.scn['jobs'][j]:
        returned = JOB_STEPS[op[0]](interp, who, op)
        if returned is not None:
            return returned[0]
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
