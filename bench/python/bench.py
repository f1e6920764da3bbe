"""One CPython measurement, for bench/run.ts (one JSON line on stdout).

  python3 bench.py version
  python3 bench.py run <W1..W11|S1..S4> <n> <m> <reps> <virtual|stock>
      -> {"ms": [...], "result": {"count", "check", "time"}}   (one untimed warm-up run first)
  python3 bench.py scale <W2|W3|S1..S4> <n1,n2,...> <reps1,reps2,...>
      -> {"points": [{"n", "ms", "result"}, ...]}   (each size as `run` does it)
  python3 bench.py memory <timers|tasks> <n>
      -> {"bytes": per item}   (tracemalloc: what CPython's allocators hand out)
"""
import asyncio
import gc
import json
import os
import sys
import time
import tracemalloc

# The conformance oracle's virtual-clock loop: CPython's own BaseEventLoop, whose selector
# moves a virtual clock instead of blocking (one copy, shared with test/scenario/oracle).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test', 'scenario', 'oracle'))
from virtual_loop import VirtualLoop  # noqa: E402
from workloads import NETWORK, WORKLOADS, lcg_delays


def new_loop(wid, kind):
    if wid in NETWORK:
        # The network workloads run on the twin network, from a fresh one each run: its
        # TwinLoop is CPython's BaseSelectorEventLoop over fake sockets and a virtual selector.
        if kind != 'virtual':
            raise SystemExit(f'{wid} runs on the twin network only')
        import net_twin
        net_twin.install(loopback_latency=NETWORK[wid])
        return net_twin.TwinLoop()
    return VirtualLoop() if kind == 'virtual' else asyncio.new_event_loop()


def once(wid, n, m, kind):
    fn, uses_delays = WORKLOADS[wid]
    data = lcg_delays(n) if uses_delays else None
    loop = new_loop(wid, kind)
    asyncio.set_event_loop(loop)
    # No forced collection before a run, as on the Node side.
    t0 = time.perf_counter()
    result = fn(loop, n, m, data)
    ms = (time.perf_counter() - t0) * 1000
    loop.close()
    asyncio.set_event_loop(None)
    return ms, result


def run(wid, n, m, reps, kind):
    once(wid, n, m, kind)  # untimed, as the Node side warms up
    times = []
    result = None
    for _ in range(reps):
        ms, one = once(wid, n, m, kind)
        times.append(ms)
        # Runs on the virtual clock must repeat exactly (the stock loop's time is real).
        if result is not None and (one[:2] != result[:2] or (kind == 'virtual' and one != result)):
            raise AssertionError(f'{wid} gave {one} after {result}')
        result = one
    count, check, t = result
    return {'ms': times, 'result': {'count': count, 'check': check, 'time': t}}


def scale(wid, sizes, reps):
    return {'points': [{'n': n, **run(wid, n, 0, r, 'virtual')} for n, r in zip(sizes, reps)]}


def memory(what, n):
    if what not in ('timers', 'tasks'):
        raise SystemExit(f'unknown memory item {what}')
    loop = VirtualLoop()
    asyncio.set_event_loop(loop)
    report = {}
    if what == 'timers':
        delays = lcg_delays(n)
        cb = lambda: None  # noqa: E731
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for i in range(n):
            loop.call_later(delays[i], cb)
        report['bytes'] = (tracemalloc.get_traced_memory()[0] - before) / n
        tracemalloc.stop()
        if len(loop._scheduled) != n:
            raise AssertionError(f'{len(loop._scheduled)} timers pending, expected {n}')
        return report

    suspended = 0

    async def waiter(fut):
        nonlocal suspended
        suspended += 1
        await fut

    async def main():
        fut = loop.create_future()
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(n):
            asyncio.create_task(waiter(fut))
        # One iteration: every task runs its first step and suspends on the future,
        # whose callbacks (and the loop's weak set of tasks) keep it alive.
        await asyncio.sleep(0)
        gc.collect()
        report['bytes'] = (tracemalloc.get_traced_memory()[0] - before) / n
        tracemalloc.stop()
        if suspended != n:
            raise AssertionError(f'{suspended} tasks suspended, expected {n}')

    loop.run_until_complete(main())
    return report


def main(argv):
    if argv[0] == 'version':
        print(json.dumps({'version': sys.version.split()[0]}))
    elif argv[0] == 'run':
        wid, n, m, reps, kind = argv[1], int(argv[2]), int(argv[3]), int(argv[4]), argv[5]
        print(json.dumps(run(wid, n, m, reps, kind)))
    elif argv[0] == 'scale':
        sizes = [int(x) for x in argv[2].split(',')]
        reps = [int(x) for x in argv[3].split(',')]
        print(json.dumps(scale(argv[1], sizes, reps)))
    elif argv[0] == 'memory':
        print(json.dumps(memory(argv[1], int(argv[2]))), flush=True)
        # Skip tearing down a million pending objects (and their "destroyed" warnings).
        os._exit(0)
    else:
        raise SystemExit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:])
