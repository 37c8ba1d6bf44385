import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * The client's address of a raw request (a WebSocket upgrade never reaches Fastify's
 * routing, so `request.ip` is not there): the socket's peer, or, behind the configured
 * reverse proxies, the first untrusted hop of X-Forwarded-For. Same rule and module
 * as Fastify's `trustProxy`, so HTTP and socket limits count the same address.
 */
export function clientAddressResolver(trustedProxies: string[]): (req: IncomingMessage) => string {
  if (trustedProxies.length === 0) {
    return (req) => normalize(req.socket.remoteAddress ?? 'unknown');
  }
  const trust = proxyaddr.compile(trustedProxies);
  return (req) => normalize(proxyaddr(req, trust));
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client. */
function normalize(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
