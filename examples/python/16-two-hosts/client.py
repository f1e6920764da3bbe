# The client machine ("client"): connects to the machine named "server", sends three
# messages one after the other, waiting for each answer, then closes.
import asyncio
import socket


async def main():
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo('server', 8888, type=socket.SOCK_STREAM)
    family, type_, proto, _, address = infos[0]
    sock = socket.socket(family, type_, proto)
    sock.setblocking(False)
    await loop.sock_connect(sock, address)
    print('connected to port', address[1])
    replies = []
    for word in (b'hello', b'two', b'hosts'):
        await loop.sock_sendall(sock, word)
        reply = await loop.sock_recv(sock, 1024)
        print('reply', reply)
        replies.append(reply)
    sock.close()
    return replies


print('done:', asyncio.run(main()))
