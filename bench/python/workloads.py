"""The benchmark workloads W1-W11 and S1-S4 for CPython asyncio: the same definitions as
bench/workloads/w*.ts and s*.ts. Each returns (count, check, time) for the runner to verify.
The network workloads (W10, W11, S4; NETWORK gives their loopback latency) run on the oracle's
twin network (test/scenario/oracle/net_twin.py): CPython's own selector_events and streams
over the same model as aiosim's."""
import asyncio

M = 1_000_000_007


def lcg_delays(n):
    x = 42
    out = []
    for _ in range(n):
        x = (1103515245 * x + 12345) % 2147483648
        out.append(x / 2147483648 * 1000)
    return out


def w1_chain(loop, n, m, data):
    count = 0

    def step():
        nonlocal count
        count += 1
        if count < n:
            loop.call_soon(step)
        else:
            loop.stop()

    loop.call_soon(step)
    loop.run_forever()
    return count, 0, loop.time()


def w2_fanout(loop, n, m, data):
    count = 0

    def cb():
        nonlocal count
        count += 1

    for _ in range(n):
        loop.call_soon(cb)
    loop.call_soon(loop.stop)
    loop.run_forever()
    return count, 0, loop.time()


def _timers(loop, n, delays, every):
    """W3 and W4: n call_later timers with the LCG delays, of which all but every
    `every`-th are cancelled at once; the loop stops when the kept ones have fired."""
    keep = (n + every - 1) // every
    count = 0
    check = 0

    def fire(i):
        nonlocal count, check
        count += 1
        check = (check * 31 + i) % M
        if count == keep:
            loop.stop()

    # Nothing cancelled: no handle kept and no test per timer (W3 times call_later alone).
    if every == 1:
        for i in range(n):
            loop.call_later(delays[i], fire, i)
    else:
        for i in range(n):
            h = loop.call_later(delays[i], fire, i)
            if i % every != 0:
                h.cancel()
    loop.run_forever()
    return count, check, loop.time()


def w3_timers(loop, n, m, delays):
    return _timers(loop, n, delays, 1)


def w4_cancel(loop, n, m, delays):
    return _timers(loop, n, delays, 10)


def w5_pingpong(loop, n, m, data):
    box = {}

    async def ponger():
        served = 0
        box['request'] = loop.create_future()
        while True:
            i = await box['request']
            served += 1
            box['request'] = loop.create_future()
            box['reply'].set_result(i)
            if i == n - 1:
                return served

    async def pinger():
        total = 0
        for i in range(n):
            box['reply'] = loop.create_future()
            box['request'].set_result(i)
            total += await box['reply']
        return total

    async def main():
        a = asyncio.create_task(ponger())
        b = asyncio.create_task(pinger())
        return await asyncio.gather(a, b)

    served, total = loop.run_until_complete(main())
    return served, total, loop.time()


def w6_yield(loop, n, m, data):
    steps = 0

    async def worker():
        nonlocal steps
        for _ in range(m):
            await asyncio.sleep(0)
            steps += 1
        return m

    async def main():
        tasks = [asyncio.create_task(worker()) for _ in range(n)]
        return sum(await asyncio.gather(*tasks))

    total = loop.run_until_complete(main())
    return steps, total, loop.time()


def w7_sleepers(loop, n, m, delays):
    count = 0
    check = 0

    async def sleeper(i, d):
        nonlocal count, check
        await asyncio.sleep(d)
        count += 1
        check = (check * 31 + i) % M
        return i

    async def main():
        tasks = [asyncio.create_task(sleeper(i, delays[i])) for i in range(n)]
        return len(await asyncio.gather(*tasks))

    gathered = loop.run_until_complete(main())
    assert gathered == n
    return count, check, loop.time()


def w8_queue(loop, n, m, data):
    received = 0
    total = 0

    async def producer(q):
        for i in range(n):
            await q.put(i)
        return 0

    async def consumer(q):
        nonlocal received, total
        for i in range(n):
            item = await q.get()
            if item != i:
                raise AssertionError(f'item {item} arrived at position {i}')
            received += 1
            total += item
        return 0

    async def main():
        q = asyncio.Queue(maxsize=m)
        return await asyncio.gather(asyncio.create_task(producer(q)), asyncio.create_task(consumer(q)))

    loop.run_until_complete(main())
    return received, total, loop.time()


def w9_lock(loop, n, m, data):
    acquired = 0
    inside = 0
    violations = 0

    async def worker(lock):
        nonlocal acquired, inside, violations
        for _ in range(m):
            await lock.acquire()
            try:
                inside += 1
                if inside != 1:
                    violations += 1
                acquired += 1
                await asyncio.sleep(0)
                inside -= 1
            finally:
                lock.release()
        return m

    async def main():
        lock = asyncio.Lock()
        tasks = [asyncio.create_task(worker(lock)) for _ in range(n)]
        return await asyncio.gather(*tasks)

    loop.run_until_complete(main())
    return acquired, violations, loop.time()


def s1_queue_nowait(loop, n, m, data):
    q = asyncio.Queue()
    for i in range(n):
        q.put_nowait(i)
    count = 0
    check = 0
    for _ in range(n):
        check = (check * 31 + q.get_nowait()) % M
        count += 1
    return count, check, loop.time()


def s2_lock_waiters(loop, n, m, data):
    count = 0
    check = 0

    async def waiter(i, lock):
        nonlocal count, check
        await lock.acquire()
        count += 1
        check = (check * 31 + i) % M
        lock.release()

    async def main():
        lock = asyncio.Lock()
        await lock.acquire()
        kept = []
        doomed = []
        for i in range(n):
            (doomed if i % 10 == 5 else kept).append(asyncio.create_task(waiter(i, lock)))
        await asyncio.sleep(0)
        # Every task now waits in acquire(); the cancelled ones leave from the middle.
        for t in doomed:
            t.cancel()
        lock.release()
        return await asyncio.gather(*kept)

    loop.run_until_complete(main())
    return count, check, loop.time()


def s3_as_completed(loop, n, m, data):
    count = 0
    check = 0

    async def main():
        nonlocal count, check
        futs = [loop.create_future() for _ in range(n)]
        for i in range(n - 1, -1, -1):
            loop.call_soon(futs[i].set_result, i)
        for nxt in asyncio.as_completed(futs):
            check = (check * 31 + await nxt) % M
            count += 1

    loop.run_until_complete(main())
    return count, check, loop.time()


def w10_echo(loop, n, m, data):
    k = n // m
    count = 0
    check = 0

    async def handle(reader, writer):
        while True:
            line = await reader.readline()
            if not line:
                break
            writer.write(line)
            await writer.drain()
        writer.close()
        await writer.wait_closed()

    async def client(c):
        nonlocal count, check
        reader, writer = await asyncio.open_connection('127.0.0.1', 8888)
        mine = 0
        for i in range(k):
            req = f'{c} {i}\n'.encode()
            writer.write(req)
            await writer.drain()
            reply = await reader.readexactly(len(req))
            mine = (mine * 31 + sum(reply)) % M
            count += 1
        check = (check + mine) % M
        writer.close()
        await writer.wait_closed()

    async def main():
        server = await asyncio.start_server(handle, '127.0.0.1', 8888, backlog=100)
        await asyncio.gather(*[asyncio.create_task(client(c)) for c in range(m)])
        server.close()
        await server.wait_closed()

    loop.run_until_complete(main())
    return count, check, loop.time()


def w11_connections(loop, n, m, data):
    open_ = 0
    peak = 0
    check = 0
    replies = 0
    all_replied = loop.create_future()

    async def handle(reader, writer):
        i = int(await reader.readline())
        writer.write(f'{i * 2} {i}\n'.encode())
        await writer.drain()
        await reader.readline()  # the client's FIN: it closes first
        writer.close()
        await writer.wait_closed()

    async def client(i):
        nonlocal open_, peak, check, replies
        reader, writer = await asyncio.open_connection('127.0.0.1', 8889)
        open_ += 1
        peak = max(peak, open_)
        writer.write(f'{i}\n'.encode())
        await writer.drain()
        reply = await reader.readline()
        check = (check + int(reply.split()[0])) % M
        replies += 1
        if replies == n:
            all_replied.set_result(None)
        await all_replied
        writer.close()
        await writer.wait_closed()
        open_ -= 1

    async def main():
        server = await asyncio.start_server(handle, '127.0.0.1', 8889, backlog=4096)
        await asyncio.gather(*[asyncio.create_task(client(i)) for i in range(n)])
        server.close()
        await server.wait_closed()

    loop.run_until_complete(main())
    return peak, check, loop.time()


def s4_idle_connections(loop, n, m, data):
    idle = max(1, n // 100)
    connected = 0
    count = 0
    check = 0
    all_open = loop.create_future()
    done = loop.create_future()

    async def handle(reader, writer):
        while True:
            line = await reader.readline()
            if not line:
                break
            writer.write(line)
            await writer.drain()
        writer.close()
        await writer.wait_closed()

    async def idler():
        nonlocal connected
        _, writer = await asyncio.open_connection('127.0.0.1', 8890)
        connected += 1
        if connected == idle:
            all_open.set_result(None)
        await done
        writer.close()
        await writer.wait_closed()

    async def active():
        nonlocal count, check
        reader, writer = await asyncio.open_connection('127.0.0.1', 8890)
        for i in range(n):
            req = f'{i}\n'.encode()
            writer.write(req)
            await writer.drain()
            reply = await reader.readexactly(len(req))
            check = (check * 31 + sum(reply)) % M
            count += 1
        writer.close()
        await writer.wait_closed()

    async def main():
        server = await asyncio.start_server(handle, '127.0.0.1', 8890, backlog=4096)
        idlers = [asyncio.create_task(idler()) for _ in range(idle)]
        await all_open
        await asyncio.create_task(active())
        done.set_result(None)
        await asyncio.gather(*idlers)
        server.close()
        await server.wait_closed()

    loop.run_until_complete(main())
    return count, check, loop.time()


WORKLOADS = {
    'W1': (w1_chain, False),
    'W2': (w2_fanout, False),
    'W3': (w3_timers, True),
    'W4': (w4_cancel, True),
    'W5': (w5_pingpong, False),
    'W6': (w6_yield, False),
    'W7': (w7_sleepers, True),
    'W8': (w8_queue, False),
    'W9': (w9_lock, False),
    'W10': (w10_echo, False),
    'W11': (w11_connections, False),
    'S1': (s1_queue_nowait, False),
    'S2': (s2_lock_waiters, False),
    'S3': (s3_as_completed, False),
    'S4': (s4_idle_connections, False),
}

# The network workloads' loopback latency, in seconds (bench/workloads/w10-echo.ts, w11-connections.ts).
NETWORK = {'W10': 0.001, 'W11': 0.001, 'S4': 0.001}
