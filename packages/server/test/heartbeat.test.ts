import { afterEach, expect, it, vi } from 'vitest';
import type { ParleyServer } from '../src/app.js';
import { startServer, TestClient } from './helpers.js';

let server: ParleyServer | undefined;
afterEach(async () => {
  await server?.close();
});

it('finds a dead socket by ping/pong and announces it as peer-left (timeout)', async () => {
  server = await startServer({ heartbeatMs: 200, resumeGraceMs: 300 });
  const a = await TestClient.connect(server);
  const b = await TestClient.connect(server);
  const ja = await a.join('hb', 'A');
  await b.join('hb', 'B');
  // Simulate a dead peer: it stops answering pings (the socket stays open at TCP level).
  a.ws.pong = () => undefined;
  (
    a.ws as unknown as { _receiver: { removeAllListeners(e: string): void } }
  )._receiver.removeAllListeners('ping');
  const started = Date.now();
  const left = await b.next('peer-left', () => true, 5000);
  expect(left).toEqual({ type: 'peer-left', peerId: ja.self, reason: 'timeout' });
  // Two missed intervals, then whatever is left of the grace since the last pong.
  expect(Date.now() - started).toBeLessThan(3000);
  expect((await server.shared.rooms.members('hb')).map((m) => m.name)).toEqual(['B']);
  b.close();
});

it('keeps a live but idle connection', async () => {
  server = await startServer({ heartbeatMs: 100 });
  const a = await TestClient.connect(server);
  await a.join('idle', 'A');
  await new Promise((r) => setTimeout(r, 600));
  expect(await server.shared.rooms.members('idle')).toHaveLength(1);
  a.close();
});

it('pings one tenth of the sessions per tick, each of them once per interval', async () => {
  // Only the heartbeat's interval is faked; sockets and everything else run for real.
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  try {
    server = await startServer({ heartbeatMs: 1000 });
    const clients = await Promise.all(
      Array.from({ length: 20 }, () => TestClient.connect(server as ParleyServer)),
    );
    const pinged = clients.map(() => 0);
    clients.forEach((c, i) => c.ws.on('ping', () => (pinged[i] = (pinged[i] ?? 0) + 1)));
    /** After a tick: a ping/pong round trip per client, so that every ping sent has arrived. */
    const tick = async (): Promise<void> => {
      vi.advanceTimersByTime(100);
      await Promise.all(
        clients.map((c) => {
          const pong = c.next('pong');
          c.send({ type: 'ping' });
          return pong;
        }),
      );
    };
    await tick();
    expect(pinged.reduce((a, b) => a + b)).toBe(2);
    for (let i = 1; i < 10; i++) {
      await tick();
    }
    expect(pinged).toEqual(clients.map(() => 1));
    for (const c of clients) {
      c.close();
    }
  } finally {
    vi.useRealTimers();
  }
});
