"""The job steps (what a job does on its thread): one handler each, in the order of
language.ts. A handler returns (value,) when the job returns, else None. jobs.ts's
JOB_STEPS table is the twin, key for key.
"""
import asyncio
import functools
import time

from actions import EXC
from interp import cf_done, job_step, run_body


@job_step('log')
def job_log(interp, who, op):
    interp.log(who, f'log {op[1]}')


@job_step('tsleep')
def job_tsleep(interp, who, op):
    time.sleep(op[1])
    interp.log(who, f'tslept {op[1]!r}')


@job_step('callSoonThreadsafe')
def job_call_soon_threadsafe(interp, who, op):
    interp.schedule_callback(op[0], op[1], who, interp.loop.call_soon_threadsafe)


@job_step('callSoon')
def job_call_soon(interp, who, op):
    interp.schedule_callback(op[0], op[1], who, interp.loop.call_soon)


@job_step('cancelThreadsafe')
def job_cancel_threadsafe(interp, who, op):
    found, target = interp.resolve_existing(op[1], who, ('t', 'f', 'x'))
    if found:
        interp.loop.call_soon_threadsafe(target.cancel)
        interp.log(who, f'cancelThreadsafe {op[1]}')


@job_step('setResultThreadsafe')
def job_set_result_threadsafe(interp, who, op):
    if interp.present(op[1] < len(interp.futures), who, f'f:{op[1]}'):
        interp.loop.call_soon_threadsafe(interp.futures[op[1]].set_result, op[2])
        interp.log(who, f'setResultThreadsafe f:{op[1]}')


@job_step('runCoroutineThreadsafe')
def job_run_coroutine_threadsafe(interp, who, op):
    b, label = op[1], op[2]
    if interp.body_ok(b, who) and interp.spend(who, 'spawn'):
        coro = run_body(interp, b, label)
        interp.coros.append(coro)
        cf = asyncio.run_coroutine_threadsafe(coro, interp.loop)
        cf.add_done_callback(functools.partial(cf_done, interp, label))
        interp.log(who, f'runCoroutineThreadsafe {label}')


@job_step('return')
def job_return(interp, who, op):
    interp.log(who, f'job return {op[1]!r}')
    return (op[1],)


@job_step('raise')
def job_raise(interp, who, op):
    interp.log(who, f'job raise {op[1]}')
    raise EXC[op[1]](op[2])
