# An echo server and two clients over TCP, with streams.
import asyncio

async def handle(reader, writer):
    peer = writer.get_extra_info('peername')
    print('server: connection from', peer[0])
    while line := await reader.readline():
        print('server: got', line)
        writer.write(line.upper())
        await writer.drain()
    print('server: EOF, closing')
    writer.close()
    await writer.wait_closed()

async def client(name, port, lines):
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    for line in lines:
        writer.write(line)
        await writer.drain()
        print(name, 'reply', await reader.readline())
    writer.write_eof()
    print(name, 'at EOF:', await reader.read(), reader.at_eof())
    writer.close()
    await writer.wait_closed()
    print(name, 'closed', writer.is_closing())

async def main():
    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    print('serving:', server.is_serving(), len(server.sockets))
    await client('a', port, [b'hello\n', b'world\n'])
    await client('b', port, [b'one line\n'])
    server.close()
    await server.wait_closed()
    print('server closed:', server.is_serving())

asyncio.run(main())
