/**
 * A TCP proxy on loopback that holds every chunk for `oneWayMs` before passing it on,
 * in both directions: HTTP and WebSocket traffic through it see 2 × oneWayMs more round
 * trip, as a page would across a real network, while WebRTC media (host candidates on
 * loopback) goes direct. Chunks keep their order (equal delays fire in order). The lab
 * (network namespaces, user-space delay) measures whole paths; this one is for the
 * set-up bench, which only needs signaling and page loads to be far away.
 */
import { createServer, connect } from 'node:net';

/** Start a proxy to 127.0.0.1:`targetPort`. Resolves to `{ port, close() }`. */
export function startDelayProxy(targetPort, oneWayMs) {
  const sockets = new Set();
  const delayed = (from, to) => {
    from.on('data', (chunk) => {
      setTimeout(() => {
        if (!to.destroyed) {
          to.write(chunk);
        }
      }, oneWayMs);
    });
    // An end or a reset also travels with the delay, behind the data before it.
    from.on('end', () => setTimeout(() => to.end(), oneWayMs));
    from.on('error', () => setTimeout(() => to.destroy(), oneWayMs));
    from.on('close', () => setTimeout(() => to.destroy(), oneWayMs + 1));
  };
  const server = createServer((client) => {
    client.setNoDelay(true);
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    upstream.setNoDelay(true);
    sockets.add(client);
    sockets.add(upstream);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    delayed(client, upstream);
    delayed(upstream, client);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) {
              s.destroy();
            }
            server.close(() => done());
          }),
      });
    });
  });
}
