import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ParleyServer } from '../src/app.js';
import { startServer, TestClient } from './helpers.js';

/**
 * The resource limits of issue #13, each a reproduction that held on the earlier main:
 * one address holding every socket slot, silent sockets that never say hello, a request
 * body trickled a byte at a time. Loopback has a whole /8, so 127.0.0.2 is a second
 * client address on the same machine.
 */
let server: ParleyServer | null = null;
const open: WebSocket[] = [];

afterEach(async () => {
  for (const ws of open.splice(0)) {
    ws.terminate();
  }
  await server?.close();
  server = null;
});

/** A socket from `localAddress` that says nothing; resolves once open, with what it hears. */
async function silentSocket(
  s: ParleyServer,
  localAddress = '127.0.0.1',
): Promise<{ ws: WebSocket; errors: string[]; closed: Promise<number> }> {
  const ws = new WebSocket(s.wsUrl, { localAddress });
  open.push(ws);
  const errors: string[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as { type: string; code?: string };
    if (m.type === 'error' && m.code) {
      errors.push(m.code);
    }
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, errors, closed };
}

describe('connection limits per address', () => {
  it('keeps one address from holding every slot; others still get in', async () => {
    server = await startServer({ maxConnections: 5, maxConnectionsPerAddress: 3 });
    for (let i = 0; i < 3; i++) {
      await silentSocket(server);
    }
    const fourth = await silentSocket(server);
    expect(await fourth.closed).toBe(1008);
    expect(fourth.errors).toEqual(['too_many_connections']);
    // Another address is not held back by the first one's sockets.
    const other = await silentSocket(server, '127.0.0.2');
    other.ws.send(JSON.stringify({ type: 'hello', v: 1 }));
    await new Promise<void>((resolve) => other.ws.once('message', () => resolve()));
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('frees the slot when a socket closes', async () => {
    server = await startServer({ maxConnectionsPerAddress: 1 });
    const first = await silentSocket(server);
    first.ws.close();
    await first.closed;
    const client = await TestClient.connect(server);
    expect(client.count('welcome')).toBe(1);
    client.close();
  });

  it('refuses an address that opens sockets faster than its rate', async () => {
    server = await startServer({ connectRatePerAddress: 4 });
    const sockets = await Promise.all([1, 2, 3, 4].map(() => silentSocket(server!)));
    expect(sockets.every((s) => s.ws.readyState === WebSocket.OPEN)).toBe(true);
    const fifth = await silentSocket(server);
    expect(await fifth.closed).toBe(1013);
    expect(fifth.errors).toEqual(['connect_rate_limited']);
    const other = await silentSocket(server, '127.0.0.2');
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('the hello deadline', () => {
  it('closes sockets that never say hello, so a full server takes new clients again', async () => {
    // The reproduction: five silent sockets kept a sixth client out indefinitely.
    server = await startServer({ maxConnections: 5, helloTimeoutMs: 400 });
    const silent = await Promise.all([1, 2, 3, 4, 5].map(() => silentSocket(server!)));
    const refused = await silentSocket(server);
    expect(await refused.closed).toBe(1013);
    expect(refused.errors).toEqual(['overloaded']);
    const codes = await Promise.all(silent.map((s) => s.closed));
    expect(codes).toEqual([1008, 1008, 1008, 1008, 1008]);
    expect(silent.map((s) => s.errors)).toEqual(Array(5).fill(['hello_timeout']));
    const client = await TestClient.connect(server);
    expect(client.count('welcome')).toBe(1);
    client.close();
  });

  it('takes a hello that came in time even when the process stalled past the deadline', async () => {
    // A starved server runs due timers before it reads its sockets: the hello below is
    // in the socket when the deadline fires, and must win.
    server = await startServer({ helloTimeoutMs: 200 });
    const client = await TestClient.connect(server, false);
    client.send({ type: 'hello', v: 1 });
    const welcome = client.next('welcome');
    const until = Date.now() + 400;
    while (Date.now() < until) {
      // The whole process (server included) is busy: the deadline passes meanwhile.
    }
    await welcome;
    await client.settle();
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    // settle's own echo (already_greeted) is the only error: no hello_timeout.
    expect(client.received.filter((m) => m.type === 'error').map((m) => m.code)).toEqual([
      'already_greeted',
    ]);
    client.close();
  });

  it('leaves a greeted socket alone past the deadline', async () => {
    server = await startServer({ helloTimeoutMs: 200 });
    const client = await TestClient.connect(server);
    await new Promise((r) => setTimeout(r, 400));
    await client.settle();
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    expect(client.received.filter((m) => m.type === 'error' && m.code === 'hello_timeout')).toEqual(
      [],
    );
    client.close();
  });
});

describe('HTTP timeouts', () => {
  it('answers 408 and disconnects a request body trickled a byte at a time', async () => {
    server = await startServer({ httpTimeoutMs: 600 });
    const { port } = new URL(server.url);
    const socket: Socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      'POST /api/auth/sign-in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        'Content-Length: 200\r\n\r\n',
    );
    const drip = setInterval(() => socket.writable && socket.write('x'), 100);
    const started = Date.now();
    await ended;
    clearInterval(drip);
    // Closed by the server (it would drip for 20 s otherwise), well within a few checks.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
