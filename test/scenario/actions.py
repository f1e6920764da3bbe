"""The actions (operations without await, in bodies and callbacks): one handler each, in
the order of language.ts. actions.ts's ACTIONS table is the twin, key for key.
"""
import asyncio
import functools
import threading
import time

from interp import action, run_job

EXC = {
    'ValueError': ValueError, 'KeyError': KeyError, 'RuntimeError': RuntimeError,
    'KeyboardInterrupt': KeyboardInterrupt, 'SystemExit': SystemExit,
}


# What a logged operation shows of its result: ` -> repr`, or nothing.
def arrow(r):
    return f' -> {r!r}'


def nothing(r):
    return ''


def sync_call(interp, name, ref, who, call, shown=nothing, kinds='LSCEQB'):
    """Call call(obj) on the synchronisation object `ref`, then log `name ref` and what
    shown makes of the result (or log it missing)."""
    obj = interp.sync_obj(ref, who, kinds)
    if obj is not None:
        interp.log(who, f'{name} {ref}{shown(call(obj))}')


def settle(interp, name, i, who, apply):
    """Set future i's result or exception with `apply`, logging `name f:i` (or the InvalidStateError)."""
    if not interp.present(i < len(interp.futures), who, f'f:{i}'):
        return
    try:
        apply(interp.futures[i])
        interp.log(who, f'{name} f:{i}')
    except asyncio.InvalidStateError as e:
        interp.log(who, f'{name} f:{i} -> {e!r}')


@action('log')
def action_log(interp, frame, op):
    interp.log(frame.who, f'log {op[1]}')


@action('spawn')
def action_spawn(interp, frame, op):
    interp.spawn(op[0], op[1], op[2], frame.who, interp.loop)


@action('cancel')
def action_cancel(interp, frame, op):
    found, target = interp.resolve_existing(op[1], frame.who, ('self', 't', 'f', 'x'))
    if not found:
        return
    r = target.cancel() if op[2] is None else target.cancel(op[2])
    interp.log(frame.who, f'cancel {op[1]} -> {r!r}')


@action('uncancel')
def action_uncancel(interp, frame, op):
    found, target = interp.resolve_existing(op[1], frame.who, ('self', 't'))
    if found:
        interp.log(frame.who, f'uncancel {op[1]} -> {target.uncancel()!r}')


@action('setResult')
def action_set_result(interp, frame, op):
    settle(interp, op[0], op[1], frame.who, lambda fut: fut.set_result(op[2]))


@action('setException')
def action_set_exception(interp, frame, op):
    settle(interp, op[0], op[1], frame.who, lambda fut: fut.set_exception(EXC[op[2]](op[3])))


@action('callSoon')
def action_call_soon(interp, frame, op):
    interp.schedule_callback(op[0], op[1], frame.who, interp.loop.call_soon)


@action('callLater')
def action_call_later(interp, frame, op):
    interp.schedule_callback(op[0], op[2], frame.who, functools.partial(interp.loop.call_later, op[1]))


@action('callAt')
def action_call_at(interp, frame, op):
    # JavaScript numbers are floats: so is every deadline.
    interp.schedule_callback(op[0], op[2], frame.who, functools.partial(interp.loop.call_at, float(op[1])))


@action('cancelHandle')
def action_cancel_handle(interp, frame, op):
    if not interp.present(op[1] < len(interp.handles), frame.who, f'h{op[1]}'):
        return
    interp.handles[op[1]].cancel()
    interp.log(frame.who, f'cancelHandle h{op[1]}')


@action('cancelHandles')
def action_cancel_handles(interp, frame, op):
    start, end = op[1], min(op[2], len(interp.handles))
    for i in range(start, end):
        interp.handles[i].cancel()
    interp.log(frame.who, f'cancelHandles h{start}..h{end}')


@action('repeat')
def action_repeat(interp, frame, op):
    for _ in range(op[1]):
        for sub in op[2]:
            interp.action(sub, frame)


@action('stop')
def action_stop(interp, frame, op):
    interp.loop.stop()
    interp.log(frame.who, 'stop')


@action('blockingSleep')
def action_blocking_sleep(interp, frame, op):
    time.sleep(op[1])
    interp.log(frame.who, f'blockingSleep {op[1]!r}')


@action('raise')
def action_raise(interp, frame, op):
    raise EXC[op[1]](op[2])


@action('release')
def action_release(interp, frame, op):
    sync_call(interp, op[0], op[1], frame.who, lambda o: o.release(), nothing, 'LSC')


@action('eventSet')
def action_event_set(interp, frame, op):
    sync_call(interp, op[0], f'E:{op[1]}', frame.who, lambda ev: ev.set())


@action('eventClear')
def action_event_clear(interp, frame, op):
    sync_call(interp, op[0], f'E:{op[1]}', frame.who, lambda ev: ev.clear())


@action('notify')
def action_notify(interp, frame, op):
    sync_call(interp, op[0], f'C:{op[1]}', frame.who, lambda c: c.notify(op[2]))


@action('notifyAll')
def action_notify_all(interp, frame, op):
    sync_call(interp, op[0], f'C:{op[1]}', frame.who, lambda c: c.notify_all())


@action('putNowait')
def action_put_nowait(interp, frame, op):
    sync_call(interp, op[0], f'Q:{op[1]}', frame.who, lambda q: q.put_nowait(op[2]), lambda _: f' {op[2]!r}')


@action('getNowait')
def action_get_nowait(interp, frame, op):
    sync_call(interp, op[0], f'Q:{op[1]}', frame.who, lambda q: q.get_nowait(), arrow)


@action('taskDone')
def action_task_done(interp, frame, op):
    sync_call(interp, op[0], f'Q:{op[1]}', frame.who, lambda q: q.task_done())


@action('shutdown')
def action_shutdown(interp, frame, op):
    sync_call(interp, op[0], f'Q:{op[1]}', frame.who, lambda q: q.shutdown(op[2]))


@action('show')
def action_show(interp, frame, op):
    obj = interp.sync_obj(op[1], frame.who)
    if obj is not None:
        interp.log(frame.who, f'show {obj!r}')


@action('startThread')
def action_start_thread(interp, frame, op):
    if not interp.job_ok(op[1], frame.who):
        return
    threading.Thread(target=run_job, args=(interp, op[1]), name=op[2]).start()
    interp.log(frame.who, f'startThread {op[2]}')


@action('poolShutdown')
def action_pool_shutdown(interp, frame, op):
    found, pool = interp.pool(op[1], frame.who)
    if not found or pool is None:
        return
    pool.shutdown(wait=op[2], cancel_futures=op[3])
    interp.log(frame.who, f'poolShutdown P{op[1]}')
