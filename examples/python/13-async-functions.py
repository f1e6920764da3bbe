# The asyncio original of examples/13-async-functions.ts.
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    def log(text):
        print(f'{loop.time():5.2f} {text}')

    async def fetch(name, delay):
        await asyncio.sleep(delay)
        return f'{name} after {delay}'

    async def with_retry(name, delays, limit):
        for attempt, delay in enumerate(delays, 1):
            try:
                async with asyncio.timeout(limit):
                    return await fetch(name, delay)
            except TimeoutError:
                log(f'{name}: attempt {attempt} timed out')
        raise RuntimeError(f'{name}: gave up')

    async def ticker(stop):
        n = 0
        while not stop.is_set():
            log(f'tick {n}')
            n += 1
            await asyncio.sleep(0.5)

    stop = asyncio.Event()
    tick = asyncio.create_task(ticker(stop))
    results = await asyncio.gather(
        with_retry('a', [0.3], 1),
        with_retry('b', [2, 0.4], 1),
        with_retry('c', [5, 5], 1),
        return_exceptions=True,
    )
    for r in results:
        log(repr(r))
    stop.set()
    await tick

    slow = asyncio.create_task(fetch('slow', 10))
    await asyncio.sleep(1)
    slow.cancel()
    try:
        await slow
    except asyncio.CancelledError:
        log(f'slow cancelled: {slow.cancelled()}')


asyncio.run(main())
