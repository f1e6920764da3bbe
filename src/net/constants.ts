// The constants of Python's socket module that the simulated network knows (Linux's values).
// asyncio: socket (the constants)

/** asyncio: socket.AF_UNIX */ export const AF_UNIX = 1;
/** asyncio: socket.AF_INET */ export const AF_INET = 2;
/** asyncio: socket.AF_INET6 */ export const AF_INET6 = 10;
/** asyncio: socket.AF_UNSPEC */ export const AF_UNSPEC = 0;
/** asyncio: socket.SOCK_STREAM */ export const SOCK_STREAM = 1;
/** asyncio: socket.SOCK_DGRAM */ export const SOCK_DGRAM = 2;
/** asyncio: socket.IPPROTO_TCP */ export const IPPROTO_TCP = 6;
/** asyncio: socket.IPPROTO_UDP */ export const IPPROTO_UDP = 17;
/** asyncio: socket.IPPROTO_IPV6 */ export const IPPROTO_IPV6 = 41;
/** asyncio: socket.IPV6_V6ONLY */ export const IPV6_V6ONLY = 26;
/** asyncio: socket.SOL_SOCKET */ export const SOL_SOCKET = 1;
/** asyncio: socket.SO_REUSEADDR */ export const SO_REUSEADDR = 2;
/** asyncio: socket.SO_ERROR */ export const SO_ERROR = 4;
/** asyncio: socket.SO_SNDBUF */ export const SO_SNDBUF = 7;
/** asyncio: socket.SO_RCVBUF */ export const SO_RCVBUF = 8;
/** asyncio: socket.SO_KEEPALIVE */ export const SO_KEEPALIVE = 9;
/** asyncio: socket.SO_REUSEPORT */ export const SO_REUSEPORT = 15;
/** asyncio: socket.TCP_NODELAY */ export const TCP_NODELAY = 1;
/** asyncio: socket.SHUT_RD */ export const SHUT_RD = 0;
/** asyncio: socket.SHUT_WR */ export const SHUT_WR = 1;
/** asyncio: socket.SHUT_RDWR */ export const SHUT_RDWR = 2;
/** asyncio: socket.SOMAXCONN */ export const SOMAXCONN = 4096;
/** asyncio: socket.SOCK_RAW */ export const SOCK_RAW = 3;
/** asyncio: socket.AI_PASSIVE */ export const AI_PASSIVE = 1;
