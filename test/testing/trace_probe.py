# What aiosim's Trace (src/testing/trace.ts) records, observed in CPython's own asyncio:
# the pure-Python Future and Task are installed so that task steps and completions can be
# seen, the loop's call_at, Handle._run and TimerHandle.cancel are wrapped, and an
# iteration is marked where _run_once processes the selector's events. Names follow
# aiosim's labels (tasks by name or coroutine, futures and timers numbered on first
# mention, a future made by an asyncio function to wait on named after it: `sleep future 1`). Times are rounded to the loop's clock resolution as aiosim's traces round them
# (src/testing/trace-time.ts). Usage: attach(loop) before running it, dump() to print the trace.
import asyncio, asyncio.base_events, asyncio.events, asyncio.futures, asyncio.tasks, decimal, functools, inspect, logging, re, sys

# Pure-Python Future and Task, so that their steps and completions can be observed.
asyncio.futures.Future = asyncio.Future = asyncio.futures._PyFuture
asyncio.tasks.Task = asyncio.Task = asyncio.tasks._PyTask

lines = []
state = {'loop': None, 'iteration': 0}
names = {}
counts = {}
roles = {}

# A future made by one of asyncio's own functions is named after it (its __qualname__).
_orig_create_future = asyncio.base_events.BaseEventLoop.create_future
def _create_future(self):
    f = _orig_create_future(self)
    caller = sys._getframe(1)
    if caller.f_globals.get('__name__', '').startswith('asyncio.'):
        roles[id(f)] = (f, caller.f_code.co_qualname)
    return f
asyncio.base_events.BaseEventLoop.create_future = _create_future

def label(obj):
    if id(obj) in names:
        return names[id(obj)][1]
    if isinstance(obj, asyncio.tasks._PyTask):
        base = obj.get_coro().__name__ if obj.get_name().startswith('Task-') else obj.get_name()
        key = 'task:' + base
        n = counts[key] = counts.get(key, 0) + 1
        text = base if n == 1 else f'{base}#{n}'
    elif isinstance(obj, asyncio.TimerHandle):
        n = counts['timer'] = counts.get('timer', 0) + 1
        text = f'timer {n}'
    elif type(obj) is asyncio.futures._PyFuture:
        role = roles.get(id(obj))
        kind = 'future' if role is None or role[0] is not obj else f'{role[1]} future'
        n = counts[kind] = counts.get(kind, 0) + 1
        text = f'{kind} {n}'
    else:
        kind = type(obj).__name__
        n = counts[kind] = counts.get(kind, 0) + 1
        text = f'{kind} {n}'
    names[id(obj)] = (obj, text)
    return text

def time_text(t):
    # As many decimals as the resolution takes to 3 significant digits; ties rounded up
    # (JavaScript's toFixed), on the float's exact value.
    res = decimal.Decimal(repr(float(f'{state["loop"]._clock_resolution:.3g}'))).normalize()
    places = max(0, -res.as_tuple().exponent)
    exact = decimal.Decimal(float(t)).quantize(decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)
    return repr(float(exact) + 0.0)

def normalise(text):
    text = re.sub(r' at [^\s>()]+:\d+(?::\d+)?', '', text)
    text = re.sub(r'\b0x[0-9a-f]+\b', '0x?', text)
    return re.sub(r'\bTask-\d+\b', 'Task-?', text)

def value(v):
    if isinstance(v, asyncio.futures._PyFuture):
        return label(v)
    if isinstance(v, list):
        return '[' + ', '.join(value(x) for x in v) + ']'
    return normalise(repr(v))

def cbtext(cb, args):
    # A partial as asyncio's _format_callback shows it outside debug mode (its own
    # arguments hidden), then the arguments it is called with.
    inner = ''
    if isinstance(cb, functools.partial):
        cb, inner = cb.func, '()'
    # Bound methods as asyncio's reprs show them (Class.method), asyncio's own functions by
    # their qualified name (shield.<locals>._inner_done_callback), as aiosim names them;
    # other functions (builtins, whose __self__ is their module, included) by their name,
    # as aiosim names a JavaScript function.
    bound = hasattr(cb, '__self__') and not isinstance(cb.__self__, type(asyncio))
    own = getattr(cb, '__module__', None) or ''
    name = cb.__qualname__ if bound or own.startswith('asyncio.') else getattr(cb, '__name__', repr(cb))
    return f"{name}{inner}({', '.join(value(a) for a in args)})"

def emit(text):
    loop = state['loop']
    inside = loop.is_running() and state['iteration'] > 0
    lines.append((loop.time(), ('  ' if inside else '') + text))

def outcome(f):
    if f.cancelled():
        return 'cancelled'
    e = f._exception
    return f'exception={value(e)}' if e is not None else f'result={value(f._result)}'

def done_line(f):
    o = outcome(f)
    return f'{label(f)}: cancelled' if o == 'cancelled' else f'{label(f)}: done, {o}'

_PF = asyncio.futures._PyFuture
def _wrap_done(name):
    orig = getattr(_PF, name)
    def wrapper(self, *a, **k):
        was = self.done()
        r = orig(self, *a, **k)
        if not was and self.done() and not isinstance(self, asyncio.tasks._PyTask) and self._loop is state['loop']:
            emit(done_line(self))
        return r
    setattr(_PF, name, wrapper)
for n in ('set_result', 'set_exception', 'cancel'):
    _wrap_done(n)

_T = asyncio.tasks._PyTask
started = set()
wake = {}
raises = {'last': None, 'thrown': {}}
_orig_step = _T._Task__step_run_and_handle_result
def _step(self, exc):
    raises['last'] = None
    action = 'resume' if id(self) in started else 'start'
    started.add(id(self))
    text = f'{label(self)}: {action}'
    w = wake.pop(id(self), None)
    if w is not None:
        text += f' after {label(w)}'
    if exc is not None:
        text += f', throw {value(exc)}'
    emit(text)
    try:
        return _orig_step(self, exc)
    finally:
        if self.done():
            emit(done_line(self))
        elif self._fut_waiter is not None:
            emit(f'{label(self)}: await {label(self._fut_waiter)}')
        else:
            emit(f'{label(self)}: yield')
_T._Task__step_run_and_handle_result = _step
_orig_wakeup = _T._Task__wakeup
def _wakeup(self, future):
    wake[id(self)] = future
    return _orig_wakeup(self, future)
_T._Task__wakeup = _wakeup

fired = set()
_orig_run = asyncio.events.Handle._run
def _run(self):
    cb = self._callback
    owner = getattr(cb, '__self__', None)
    if isinstance(owner, _T) and getattr(cb, '__func__', None) in (_T._Task__step, _wakeup):
        return _orig_run(self)
    if isinstance(self, asyncio.TimerHandle):
        fired.add(id(self))
        emit(f'{label(self)} fires: {cbtext(cb, self._args)}')
    else:
        emit(f'run {cbtext(cb, self._args)}')
    return _orig_run(self)
asyncio.events.Handle._run = _run

_orig_cancel = asyncio.TimerHandle.cancel
def _tcancel(self):
    if not self._cancelled and id(self) not in fired:
        emit(f'{label(self)} cancelled')
    return _orig_cancel(self)
asyncio.TimerHandle.cancel = _tcancel

def watch_raises(filename):
    # aiosim's `raise` events (for coroutine(fn) coroutines): an exception leaving one of the
    # program's coroutines that a task awaits inline, not thrown into it, once per step.
    M = sys.monitoring
    tool = 4
    if M.get_tool(tool) is not None:
        M.free_tool_id(tool)
    M.use_tool_id(tool, 'aiosim trace probe')
    def ours(code):
        return code.co_filename == filename and code.co_flags & inspect.CO_COROUTINE
    def on_throw(code, offset, exc):
        if ours(code):
            frame = sys._getframe(1)
            raises['thrown'][id(frame)] = (frame, exc)
    def on_unwind(code, offset, exc):
        if not ours(code) or isinstance(exc, GeneratorExit) or exc is raises['last']:
            return
        frame = sys._getframe(1)
        thrown = raises['thrown'].get(id(frame))
        task = asyncio.current_task(state['loop'])
        if (thrown is not None and thrown[0] is frame and thrown[1] is exc) or task is None or task.get_coro().cr_frame is frame:
            return
        raises['last'] = exc
        emit(f'{label(task)}: {code.co_name}() raised {value(exc)}')
    M.register_callback(tool, M.events.PY_THROW, on_throw)
    M.register_callback(tool, M.events.PY_UNWIND, on_unwind)
    M.set_events(tool, M.events.PY_THROW | M.events.PY_UNWIND)

def attach(loop):
    state['loop'] = loop
    orig_call_at = loop.call_at
    def call_at(when, callback, *args, context=None):
        h = orig_call_at(when, callback, *args, context=context)
        emit(f'{label(h)} scheduled at {time_text(when)}: {cbtext(callback, args)}')
        return h
    loop.call_at = call_at
    orig_pe = loop._process_events
    def process_events(ev):
        state['iteration'] += 1
        lines.append((loop.time(), f"iteration {state['iteration']}"))
        return orig_pe(ev)
    loop._process_events = process_events
    class H(logging.Handler):
        def emit(self, record):
            msg = normalise(record.getMessage())
            first = msg.split('\n')[0] + (' …' if '\n' in msg else '')
            emit(f'log {record.levelname} {record.name}: {first}')
    logging.getLogger('asyncio').addHandler(H())

def dump():
    width = max(len(time_text(t)) for t, _ in lines)
    for t, text in lines:
        print(time_text(t).ljust(width) + ' ' + text)
