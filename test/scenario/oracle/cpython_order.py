"""Pins the orders CPython leaves unspecified to creation order, the order aiosim uses.

CPython iterates a few sets of tasks whose order follows memory addresses: the tasks
asyncio.run() cancels at shutdown, the tasks a TaskGroup cancels when it aborts, the
awaitables wait() and as_completed() are given, the async generators
shutdown_asyncgens() closes (the loop's weak set, which also drops finished generators
here: see _AsyncgenSet), the transports a Server's close_clients() and abort_clients()
close (its weak set of clients). install() replaces those sets by insertion-ordered ones;
everything else is CPython's own code (docs/divergences.md).
"""
import asyncio
import itertools
import weakref

_created = weakref.WeakKeyDictionary()
_counter = itertools.count()
_original_create_task = asyncio.BaseEventLoop.create_task
_original_all_tasks = asyncio.tasks.all_tasks
_original_tg_init = asyncio.TaskGroup.__init__


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


class _AsyncgenSet:
    """The loop's weak set of async generators, in insertion order (a WeakKeyDictionary
    keeps its keys' order), without the finished ones: CPython keeps a finished generator
    there while the program refers to it (the interpreter refers to all), aiosim drops it
    when it finishes, as CPython does when nothing else refers to it (docs/divergences.md)."""
    def __init__(self):
        self._d = weakref.WeakKeyDictionary()

    def add(self, x):
        self._d[x] = None

    def discard(self, x):
        self._d.pop(x, None)

    def clear(self):
        self._d.clear()

    def _unfinished(self):
        return [g for g in self._d if g.ag_frame is not None]

    def __iter__(self):
        return iter(self._unfinished())

    def __len__(self):
        return len(self._unfinished())


class _OrderedWeakSet:
    """A Server's weak set of client transports, in the order they were attached."""
    def __init__(self, items=()):
        self._d = weakref.WeakKeyDictionary()
        for x in items:
            self._d[x] = None

    def add(self, x):
        self._d[x] = None

    def discard(self, x):
        self._d.pop(x, None)

    def remove(self, x):
        del self._d[x]

    def copy(self):
        return _OrderedWeakSet(self._d)

    def __contains__(self, x):
        return x in self._d

    def __iter__(self):
        return iter(list(self._d))

    def __len__(self):
        return len(self._d)


_original_server_init = asyncio.base_events.Server.__init__


def _server_init(self, *args, **kwargs):
    _original_server_init(self, *args, **kwargs)
    self._clients = _OrderedWeakSet()


_original_loop_init = asyncio.BaseEventLoop.__init__


def _loop_init(self, *args, **kwargs):
    _original_loop_init(self, *args, **kwargs)
    # The async generators first iterated in the loop, closed by shutdown_asyncgens() in
    # this order (aiosim's: first iteration).
    self._asyncgens = _AsyncgenSet()


def _tg_init(self):
    _original_tg_init(self)
    self._tasks = _OrderedTaskSet()


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


def install():
    asyncio.BaseEventLoop.__init__ = _loop_init
    asyncio.BaseEventLoop.create_task = _create_task
    asyncio.tasks.all_tasks = _all_tasks
    asyncio.TaskGroup.__init__ = _tg_init
    asyncio.base_events.Server.__init__ = _server_init
    # wait() iterates set(...) of its arguments: keep the given order.
    asyncio.tasks.set = _OrderedTaskSet
    asyncio.tasks._AsCompletedIterator.__init__ = _as_completed_init
