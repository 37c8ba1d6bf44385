import { createServer as createTcpServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import type { ParleyServer } from '../../server/src/app.js';
import { startServer } from '../../server/test/helpers.js';
import type { SignalingClient } from '../src/signaling-client.js';
import { nodeSignaling } from './node-sdk.js';
import { until } from './until.js';

let server: ParleyServer | null = null;
let proxy: { server: Server; destroyAll: () => void } | null = null;
const clients: SignalingClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) {
    c.close();
  }
  proxy?.destroyAll();
  await new Promise<void>((r) => (proxy ? proxy.server.close(() => r()) : r()));
  proxy = null;
  await server?.close();
  server = null;
});

/**
 * A TCP proxy in front of the server whose open connections can be black-holed: bytes
 * are dropped both ways and nothing is closed, like a network that went away without a
 * word (no FIN, no RST). New connections pass normally.
 */
async function blackholeProxy(
  target: number,
): Promise<{ port: number; blackholeOpen: () => void }> {
  const pairs: { client: Socket; upstream: Socket; dead: boolean }[] = [];
  const tcp = createTcpServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    const pair = { client, upstream, dead: false };
    pairs.push(pair);
    client.on('data', (d) => pair.dead || upstream.write(d));
    upstream.on('data', (d) => pair.dead || client.write(d));
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    // Once black-holed, neither side hears about the other closing either.
    client.on('close', () => pair.dead || end());
    upstream.on('close', () => pair.dead || end());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  proxy = {
    server: tcp,
    destroyAll: () => {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
    },
  };
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  const address = tcp.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    blackholeOpen: () => {
      for (const p of pairs) {
        p.dead = true;
      }
    },
  };
}

it('a server gone silent is noticed, and the session resumes on a new socket', async () => {
  server = await startServer({ heartbeatMs: 200 });
  const { port, blackholeOpen } = await blackholeProxy(Number(new URL(server.url).port));
  const client = nodeSignaling(`ws://127.0.0.1:${port}/ws`);
  clients.push(client);
  await client.connect();
  const states: string[] = [];
  client.on('state', (s) => states.push(s));
  let resumed = false;
  client.on('resumed', () => (resumed = true));

  // Quiet but healthy: pings are answered, nothing changes.
  await new Promise((r) => setTimeout(r, 1_000));
  expect(states).toEqual([]);

  blackholeOpen();
  await until(() => resumed, 10_000, 'resumed after the silence');
  expect(states).toEqual(['reconnecting', 'open']);
  // The resumed session works: a request gets its answer.
  await expect(
    client.request(
      { type: 'join', room: 'after-silence', name: 'Ana', media: { audio: true, video: true } },
      'joined',
    ),
  ).resolves.toMatchObject({ type: 'joined' });
});
