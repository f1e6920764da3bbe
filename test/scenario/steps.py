"""The steps (operations only coroutine bodies have: they may suspend): one handler each,
in the order of language.ts. A handler returns (value,) when the body returns, else
None. steps.ts's STEPS table is the twin, key for key; a step with no handler here is an
action (actions.py).
"""
import asyncio

from actions import arrow, nothing
from interp import run_job, run_steps, step

CATCH = {
    'CancelledError': asyncio.CancelledError, 'Exception': Exception, 'BaseException': BaseException,
    'TimeoutError': TimeoutError, 'ValueError': ValueError,
}
RETURN_WHEN = {
    'FIRST_COMPLETED': asyncio.FIRST_COMPLETED, 'FIRST_EXCEPTION': asyncio.FIRST_EXCEPTION,
    'ALL_COMPLETED': asyncio.ALL_COMPLETED,
}


async def await_ref(interp, name, ref, who, wrap):
    """Resolve `ref`, await wrap(object) and log `name ref -> result` (or log it missing)."""
    found, target = interp.resolve(ref, who)
    if found:
        interp.log(who, f'{name} {ref}{arrow(await wrap(target))}')


async def sync_await(interp, name, ref, who, call, shown=arrow, kinds='LSCEQB'):
    """Await call(obj) on the synchronisation object `ref`, then log `name ref` and what
    shown makes of the result (or log it missing)."""
    obj = interp.sync_obj(ref, who, kinds)
    if obj is not None:
        interp.log(who, f'{name} {ref}{shown(await call(obj))}')


async def wait_on(interp, name, ref, i, who):
    """Wait for the Event or Condition `ref` and log `name i -> result` (or log it missing)."""
    obj = interp.sync_obj(ref, who)
    if obj is not None:
        interp.log(who, f'{name} {i} -> {await obj.wait()!r}')


def _label(obj, refs):
    for ref, o in refs:
        if o is obj:
            return ref
    return '?'


@step('sleep')
async def step_sleep(interp, frame, op):
    await asyncio.sleep(op[1])
    interp.log(frame.who, f'slept {op[1]!r}')


@step('yield')
async def step_yield(interp, frame, op):
    await asyncio.sleep(0)
    interp.log(frame.who, 'yielded')


@step('await')
async def step_await(interp, frame, op):
    await await_ref(interp, op[0], op[1], frame.who, lambda t: t)


@step('return')
async def step_return(interp, frame, op):
    return (op[1],)


@step('try')
async def step_try(interp, frame, op):
    try:
        return await run_steps(interp, op[1], frame)
    except CATCH[op[2]] as e:
        interp.log(frame.who, f'caught {e!r}')
        return await run_steps(interp, op[3], frame._replace(caught=e))


@step('reraise')
async def step_reraise(interp, frame, op):
    if interp.present(frame.caught is not None, frame.who, 'reraise'):
        raise frame.caught


@step('gather')
async def step_gather(interp, frame, op):
    targets = [t for _, t in interp.resolve_all(op[1], frame.who)]
    r = await asyncio.gather(*targets, return_exceptions=op[2])
    interp.log(frame.who, f'gather -> {r!r}')


@step('shield')
async def step_shield(interp, frame, op):
    await await_ref(interp, op[0], op[1], frame.who, asyncio.shield)


@step('asCompleted')
async def step_as_completed(interp, frame, op):
    targets = [t for _, t in interp.resolve_all(op[1], frame.who)]
    for c in asyncio.as_completed(targets, timeout=op[2]):
        interp.log(frame.who, f'asCompleted -> {await c!r}')


@step('waitFor')
async def step_wait_for(interp, frame, op):
    await await_ref(interp, op[0], op[1], frame.who, lambda t: asyncio.wait_for(t, op[2]))


@step('wait')
async def step_wait(interp, frame, op):
    pairs = interp.resolve_all(op[1], frame.who)
    done, pending = await asyncio.wait([t for _, t in pairs], return_when=RETURN_WHEN[op[2]], timeout=op[3])
    d = sorted(_label(f, pairs) for f in done)
    p = sorted(_label(f, pairs) for f in pending)
    interp.log(frame.who, f'wait -> done={d} pending={p}')


@step('timeout')
async def step_timeout(interp, frame, op):
    async with asyncio.timeout(op[1]):
        returned = await run_steps(interp, op[2], frame)
    if returned is not None:
        return returned
    interp.log(frame.who, 'timeout exit')


@step('taskGroup')
async def step_task_group(interp, frame, op):
    async with asyncio.TaskGroup() as tg:
        returned = await run_steps(interp, op[1], frame._replace(tg_stack=frame.tg_stack + [tg]))
    if returned is not None:
        return returned
    interp.log(frame.who, 'taskGroup exit')


@step('tgSpawn')
async def step_tg_spawn(interp, frame, op):
    if interp.present(bool(frame.tg_stack), frame.who, 'taskGroup'):
        interp.spawn(op[0], op[1], op[2], frame.who, frame.tg_stack[-1])


@step('repeatSteps')
async def step_repeat_steps(interp, frame, op):
    for _ in range(op[1]):
        returned = await run_steps(interp, op[2], frame)
        if returned is not None:
            return returned


@step('with')
async def step_with(interp, frame, op):
    obj = interp.sync_obj(op[1], frame.who, 'LSCB')
    if obj is None:
        return None
    async with obj as v:
        interp.log(frame.who, f'with {op[1]} enter {v!r}')
        returned = await run_steps(interp, op[2], frame)
    if returned is not None:
        return returned
    interp.log(frame.who, f'with {op[1]} exit')


@step('acquire')
async def step_acquire(interp, frame, op):
    await sync_await(interp, op[0], op[1], frame.who, lambda o: o.acquire(), arrow, 'LSC')


@step('eventWait')
async def step_event_wait(interp, frame, op):
    await wait_on(interp, op[0], f'E:{op[1]}', op[1], frame.who)


@step('condWait')
async def step_cond_wait(interp, frame, op):
    await wait_on(interp, op[0], f'C:{op[1]}', op[1], frame.who)


@step('put')
async def step_put(interp, frame, op):
    await sync_await(interp, op[0], f'Q:{op[1]}', frame.who, lambda q: q.put(op[2]), lambda _: f' {op[2]!r}')


@step('get')
async def step_get(interp, frame, op):
    await sync_await(interp, op[0], f'Q:{op[1]}', frame.who, lambda q: q.get())


@step('join')
async def step_join(interp, frame, op):
    await sync_await(interp, op[0], f'Q:{op[1]}', frame.who, lambda q: q.join(), nothing)


@step('barrierWait')
async def step_barrier_wait(interp, frame, op):
    await sync_await(interp, op[0], f'B:{op[1]}', frame.who, lambda b: b.wait())


@step('barrierReset')
async def step_barrier_reset(interp, frame, op):
    await sync_await(interp, op[0], f'B:{op[1]}', frame.who, lambda b: b.reset())


@step('barrierAbort')
async def step_barrier_abort(interp, frame, op):
    await sync_await(interp, op[0], f'B:{op[1]}', frame.who, lambda b: b.abort())


@step('runInExecutor')
async def step_run_in_executor(interp, frame, op):
    found, pool = interp.pool(op[1], frame.who)
    if found and interp.job_ok(op[2], frame.who) and interp.spend(frame.who, 'job'):
        interp.executor_futs[op[3]] = interp.loop.run_in_executor(pool, run_job, interp, op[2])
        interp.log(frame.who, f'runInExecutor x:{op[3]}')


@step('toThread')
async def step_to_thread(interp, frame, op):
    if interp.job_ok(op[1], frame.who) and interp.spend(frame.who, 'job'):
        r = await asyncio.to_thread(run_job, interp, op[1])
        interp.log(frame.who, f'toThread j{op[1]} -> {r!r}')


@step('shutdownDefaultExecutor')
async def step_shutdown_default_executor(interp, frame, op):
    await interp.loop.shutdown_default_executor()
    interp.log(frame.who, 'shutdownDefaultExecutor')
