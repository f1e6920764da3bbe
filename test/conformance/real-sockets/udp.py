# A UDP ping: an echoing endpoint, a client sending three pings and waiting for each pong.
import asyncio

class Pong(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport
    def datagram_received(self, data, addr):
        print('server: got', data, 'from', addr[0])
        self.transport.sendto(data.replace(b'ping', b'pong'), addr)

class Ping(asyncio.DatagramProtocol):
    def __init__(self):
        self.replies = asyncio.Queue()
    def datagram_received(self, data, addr):
        self.replies.put_nowait(data)
    def connection_lost(self, exc):
        print('client: connection lost', exc)

async def main():
    loop = asyncio.get_running_loop()
    server, _ = await loop.create_datagram_endpoint(Pong, local_addr=('127.0.0.1', 0))
    port = server.get_extra_info('sockname')[1]
    client, ping = await loop.create_datagram_endpoint(Ping, remote_addr=('127.0.0.1', port))
    for i in range(3):
        client.sendto(b'ping %d' % i)
        print('client: reply', await ping.replies.get())
    client.close()
    await asyncio.sleep(0)
    server.close()
    print('done')

asyncio.run(main())
