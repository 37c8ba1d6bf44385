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

it('opens a fresh socket when the early one was closed by the hello deadline', async () => {
  // A page that loaded for longer than --hello-timeout-ms: the server closed the socket
  // it opened early, while the app's JavaScript was still loading.
  server = await startServer({ helloTimeoutMs: 200 });
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
  // Taken the moment the server says why it closes it: the socket is still open, its
  // close frame is on the way, and our hello crosses it.
  const connected = await new Promise<Promise<void>>((resolve) =>
    early.once('message', () => resolve(client.connect())),
  );
  await connected;
  expect(made).toHaveLength(2);
  expect(client.state).toBe('open');
  client.close();
});
