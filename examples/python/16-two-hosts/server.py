# The server machine ("server"): answers each message of one client in upper case,
# until the client closes its end.
import asyncio
import socket


async def main():
    loop = asyncio.get_running_loop()
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('0.0.0.0', 8888))
    srv.listen()
    srv.setblocking(False)
    print('listening on port', srv.getsockname()[1])
    conn, _ = await loop.sock_accept(srv)
    print('accepted a connection')
    served = 0
    while data := await loop.sock_recv(conn, 1024):
        print('got', data)
        await loop.sock_sendall(conn, data.upper())
        served += 1
    print('the client closed its end after', served, 'messages')
    conn.close()
    srv.close()
    return served


print('served', asyncio.run(main()))
