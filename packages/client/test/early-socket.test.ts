import WebSocket from 'ws';
import { afterEach, expect, it } from 'vitest';
import type { ParleyServer } from '../../server/src/app.js';
import { startServer } from '../../server/test/helpers.js';
import { SignalingClient, type WebSocketLike } from '../src/signaling-client.js';

let server: ParleyServer | undefined;
afterEach(async () => {
  await server?.close();
});

it('adopts a socket that is already open (opened while the page loaded) and greets at once', async () => {
  server = await startServer();
  const early = new WebSocket(server.wsUrl);
  await new Promise((resolve) => early.once('open', resolve));
  const made: string[] = [];
  const client = new SignalingClient({
    url: server.wsUrl,
    createSocket: (url) => {
      made.push(url);
      return (made.length === 1 ? early : new WebSocket(url)) as unknown as WebSocketLike;
    },
  });
  await client.connect();
  expect(client.state).toBe('open');
  expect(client.welcome?.resumed).toBe(false);
  expect(made).toHaveLength(1);
  client.close();
});
