# network: loopback latency 0.005
"""An echo server and its clients with asyncio's streams: lines echoed upper-cased, two
clients at once, a large upload whose drain() waits for the receiver, then the server
closed with `async with`."""
import asyncio


def log(text):
    print(f'{asyncio.get_running_loop().time():6.3f} {text}')


async def handle(reader, writer):
    name = (await reader.readline()).decode().strip()
    log(f'server: {name} connected')
    if name == 'carol':
        data = await reader.readexactly(300_000)
        log(f'server: {len(data)} bytes from carol')
        writer.write(b'%d\n' % len(data))
    else:
        async for line in reader:
            writer.write(line.upper())
            await writer.drain()
    await writer.drain()
    log(f'server: done with {name}')
    writer.close()
    await writer.wait_closed()


async def client(name, lines, pause):
    reader, writer = await asyncio.open_connection('127.0.0.1', 8888)
    writer.write(name.encode() + b'\n')
    for line in lines:
        await asyncio.sleep(pause)
        writer.write(line.encode() + b'\n')
        await writer.drain()
        reply = await reader.readline()
        log(f'{name}: {reply!r}')
    writer.write_eof()
    await reader.read()
    writer.close()
    await writer.wait_closed()
    log(f'{name}: closed')


async def upload():
    reader, writer = await asyncio.open_connection('127.0.0.1', 8888)
    writer.write(b'carol\n' + b'x' * 300_000)
    log(f'carol: {writer.transport.get_write_buffer_size()} bytes buffered')
    await writer.drain()
    log(f'carol: drained, {writer.transport.get_write_buffer_size()} bytes buffered')
    log(f'carol: server says {await reader.readline()!r}')
    writer.close()
    await writer.wait_closed()


async def main():
    server = await asyncio.start_server(handle, '127.0.0.1', 8888)
    log(f'serving on {server.sockets[0].getsockname()}')
    async with server:
        await asyncio.gather(
            client('alice', ['hello', 'bye'], 0.01),
            client('bob', ['hi'], 0.002),
            upload(),
        )
    log(f'closed: {server!r}')


asyncio.run(main())
