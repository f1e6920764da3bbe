# A request id in a context variable: every task runs in its own copy of the context,
# asyncio.to_thread carries the caller's context into the worker thread, a thread started
# by hand begins with an empty one, and a callback runs in the context it is given.
import asyncio
import contextvars
import threading

request_id = contextvars.ContextVar('request_id', default='-')


def log(text):
    now = asyncio.get_running_loop().time()
    print(f'{now:4.1f} [{request_id.get()}] {text}')


def lookup(user):
    # Runs in a worker thread, in a copy of the caller's context.
    name = threading.current_thread().name
    return f'{user} found by {name} for {request_id.get()}'


async def handle(n, delay):
    request_id.set(f'req-{n}')
    log('start')
    await asyncio.sleep(delay)
    log(await asyncio.to_thread(lookup, f'user{n}'))
    log('done')
    return n * 10


def plain_thread():
    print(f'a new thread sees request_id = {request_id.get()!r}')


async def main():
    async with asyncio.TaskGroup() as tg:
        first = tg.create_task(handle(1, 0.2))
        second = tg.create_task(handle(2, 0.1))
    log(f'results {first.result()} and {second.result()}; main kept its own value')

    token = request_id.set('req-main')
    thread = threading.Thread(target=plain_thread)
    thread.start()
    await asyncio.to_thread(thread.join)
    request_id.reset(token)

    ctx = contextvars.copy_context()
    ctx.run(request_id.set, 'req-9')
    done = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().call_soon(lambda: (log('callback in the given context'), done.set_result(None)), context=ctx)
    await done
    log(f'the given context still holds {ctx[request_id]!r}')


asyncio.run(main())
