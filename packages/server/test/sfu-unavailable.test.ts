/**
 * With --sfu-url set and Janus not answering, the server keeps serving: rooms that fit a
 * mesh stay one, a join that would need the SFU is refused plainly, and the node stays
 * ready (degraded). No Janus is needed here: the URL points at a port nobody listens on.
 * (That media falls back to a mesh when Janus dies mid-call is in e2e/sfu.spec.ts.)
 */
import { createServer as createNetServer } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import type { ParleyServer } from '../src/app.js';
import { startServer, TestClient } from './helpers.js';

/** A loopback port that was free a moment ago, and nobody listens on now. */
async function closedPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

let server: ParleyServer | undefined;
const clients: TestClient[] = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await server?.close();
});

it('Janus down: rooms stay a mesh up to six, the seventh join is refused, /readyz is degraded', async () => {
  server = await startServer({ sfuUrl: `ws://127.0.0.1:${await closedPort()}`, meshMax: 2 });
  const ready = await fetch(`${server.url}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ ready: true, degraded: ['sfu'] });
  expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(/^parley_sfu_up 0$/m);

  for (let i = 0; i < 6; i++) {
    const c = await TestClient.connect(server);
    clients.push(c);
    expect((await c.join('crowd', `c${i}`)).mode).toBe('mesh');
  }
  const seventh = await TestClient.connect(server);
  clients.push(seventh);
  const refused = seventh.next('error');
  seventh.send({ type: 'join', room: 'crowd', name: 'c6', media: { audio: true, video: true } });
  const error = await refused;
  expect(error.code).toBe('sfu_unavailable');
  expect(error.message).toMatch(/too large to join while the media server is unavailable/);
  expect(await server.shared.rooms.members('crowd')).toHaveLength(6);
});
