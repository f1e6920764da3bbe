# A line protocol with readuntil: records end with b'\r\n' or b';', one of them too long.
import asyncio

async def handle(reader, writer):
    try:
        while True:
            record = await reader.readuntil((b'\r\n', b';'))
            print('server: record', record)
            writer.write(b'ok ' + record.rstrip(b'\r\n;') + b'\n')
    except asyncio.LimitOverrunError as e:
        print('server: LimitOverrunError', e.consumed, str(e))
        writer.write(b'too long\n')
    except asyncio.IncompleteReadError as e:
        print('server: IncompleteReadError', e.partial, e.expected, str(e))
    writer.close()
    await writer.wait_closed()

async def main():
    server = await asyncio.start_server(handle, '127.0.0.1', 0, limit=16)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    writer.write(b'alpha;beta\r\ngam')
    await writer.drain()
    print('client:', await reader.readline())
    print('client:', await reader.readline())
    writer.write(b'ma;' + b'x' * 40 + b';')
    await writer.drain()
    print('client:', await reader.readline())
    print('client:', await reader.readline())
    print('client: then', await reader.read())
    writer.close()
    await writer.wait_closed()
    async with server:
        pass
    print('done')

asyncio.run(main())
