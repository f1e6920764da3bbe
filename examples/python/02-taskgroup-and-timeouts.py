# The asyncio original of examples/02-taskgroup-and-timeouts.ts.
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    def log(text):
        print(f'{loop.time():5.2f} {text}')

    async def fetch(name, delay):
        await asyncio.sleep(delay)
        log(f'{name} fetched')
        return name.upper()

    async def flaky():
        await asyncio.sleep(1.5)
        raise ValueError('flaky failed')

    results = await asyncio.gather(fetch('a', 1), fetch('b', 0.5))
    log(f'gather -> {results}')

    try:
        await asyncio.wait_for(fetch('slow', 10), 2)
    except TimeoutError:
        log('wait_for timed out')

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fetch('c', 1))
            tg.create_task(flaky())
            tg.create_task(fetch('never', 5))
    except* ValueError as eg:
        log(f'TaskGroup failed: {eg.exceptions[0]!r}')

    async with asyncio.timeout(1) as cm:
        try:
            await asyncio.sleep(3)
        except asyncio.CancelledError:
            log('cancelled by the timeout')
            raise
    log(f'unreachable? expired={cm.expired()}')


try:
    asyncio.run(main())
except TimeoutError:
    print('main raised TimeoutError')
