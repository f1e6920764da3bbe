# Asynchronous generators: async for (break leaves the generator open), anext with a
# default, asend, aclose, as_completed under async for (3.13), and the generators that
# asyncio.run() finalises at the end (shutdown_asyncgens).
import asyncio

kept = []


def log(text):
    print(f'{asyncio.get_running_loop().time():4.1f} {text}')


async def ticker(name, n, interval):
    try:
        for i in range(n):
            await asyncio.sleep(interval)
            yield i
    finally:
        log(f'{name} cleaned up')


async def running_total():
    total = 0
    while True:
        value = yield total
        total += value


async def job(name, delay):
    await asyncio.sleep(delay)
    return name


async def main():
    async for i in ticker('a', 3, 0.5):
        log(f'a gave {i}')

    b = ticker('b', 10, 1)
    async for i in b:
        if i == 1:
            break
    log(f'after break b is open; anext gives {await anext(b)}')
    await b.aclose()

    log(f'anext with a default: {await anext(ticker("c", 0, 1), "exhausted")!r}')

    acc = running_total()
    await anext(acc)
    log(f'asend(5) -> {await acc.asend(5)}, asend(3) -> {await acc.asend(3)}')
    await acc.aclose()

    slow, fast = asyncio.create_task(job('slow', 2)), asyncio.create_task(job('fast', 1))
    async for t in asyncio.as_completed([slow, fast]):
        log(f'{t.result()} finished (the task itself: {t is slow or t is fast})')

    d = ticker('d', 5, 1)
    kept.append(d)
    log(f'd gave {await anext(d)}; main returns with d unfinished')


asyncio.run(main())
