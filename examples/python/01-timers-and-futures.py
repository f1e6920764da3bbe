# The asyncio original of examples/01-timers-and-futures.ts.
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    def log(text):
        print(f'{loop.time():5.2f} {text}')

    async def waiter(fut):
        value = await fut
        log(f'waiter got {value}')
        return value * 2

    fut = loop.create_future()
    task = asyncio.create_task(waiter(fut))
    loop.call_later(2.5, fut.set_result, 21)
    loop.call_at(1.0, log, 'timer at 1.0')
    log(f'result {await task}')


asyncio.run(main())
