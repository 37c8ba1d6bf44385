import { afterEach, expect, it } from 'vitest';
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
