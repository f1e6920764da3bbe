# Connections refused: nothing listens on a port just freed.
import asyncio, socket

def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port

async def main():
    port = free_port()
    try:
        await asyncio.open_connection('127.0.0.1', port)
    except ConnectionRefusedError as e:
        print('open_connection:', type(e).__name__, e.errno, str(e).replace(str(port), 'PORT'))
    loop = asyncio.get_running_loop()
    try:
        await loop.create_connection(asyncio.Protocol, '127.0.0.1', port)
    except OSError as e:
        print('create_connection:', type(e).__name__, e.errno, str(e).replace(str(port), 'PORT'))
    s = socket.socket()
    s.setblocking(False)
    try:
        await loop.sock_connect(s, ('127.0.0.1', port))
    except OSError as e:
        print('sock_connect:', type(e).__name__, e.errno, str(e).replace(str(port), 'PORT'))
    s.close()
    try:
        await loop.create_connection(asyncio.Protocol, 'localhost', port)
    except OSError as e:
        print('by name:', type(e).__name__, e.errno, str(e).replace(str(port), 'PORT'))

asyncio.run(main())
