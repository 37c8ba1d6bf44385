import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ParleyServer } from '../src/app.js';
import { startServer } from './helpers.js';
import { RawClient, tick } from './support/raw-ws-client.js';

let server: ParleyServer | null = null;
const clients: RawClient[] = [];
const SECRET = 'refresh-test-secret';

afterEach(async () => {
  for (const c of clients.splice(0)) {
    c.kill();
  }
  await server?.close();
  server = null;
});

async function start(turnTtl: number): Promise<ParleyServer> {
  server = await startServer({
    turnUrls: ['turn:127.0.0.1:3478?transport=udp'],
    turnSecret: SECRET,
    // Below the CLI minimum on purpose: the refresh happens at 3/4 of it (1.5 s).
    turnTtl,
  });
  return server;
}

function verify(server: { username?: string; credential?: string }): number {
  const expected = createHmac('sha1', SECRET)
    .update(server.username ?? '')
    .digest('base64');
  expect(server.credential).toBe(expected);
  return Number((server.username ?? '').split(':')[0]);
}

describe('TURN credential refresh', () => {
  it('pushes fresh credentials before expiry to sessions in a room, and stops when they leave', async () => {
    const s = await start(2);
    const a = await RawClient.connect(s.wsUrl);
    const idle = await RawClient.connect(s.wsUrl);
    clients.push(a, idle);
    const joined = await a.join('refresh-room', 'Ana');
    expect(joined.iceExpiresAt).toBeGreaterThan(Date.now());
    const firstExpiry = verify(joined.iceServers[0]!);
    expect(joined.iceServers[0]!.username).toBe(`${firstExpiry}:${a.all('welcome')[0]!.sessionId}`);

    const fresh = await a.next('ice-servers', () => true, 4000);
    // It arrived before the first credential stopped working, and lasts longer.
    expect(Date.now()).toBeLessThan(joined.iceExpiresAt!);
    const secondExpiry = verify(fresh.iceServers[0]!);
    expect(secondExpiry).toBeGreaterThan(firstExpiry);
    expect(fresh.expiresAt).toBe(secondExpiry * 1000);
    expect(JSON.stringify(a.received)).not.toContain(SECRET);

    // A session outside any room gets none.
    expect(idle.all('ice-servers')).toEqual([]);

    a.send({ type: 'leave' });
    await a.next('left');
    const count = a.all('ice-servers').length;
    await tick(2500);
    expect(a.all('ice-servers')).toHaveLength(count);
  });

  it('keeps refreshing a detached session: the update waits in its resume buffer', async () => {
    const s = await start(2);
    const a = await RawClient.connect(s.wsUrl);
    clients.push(a);
    await a.join('refresh-room', 'Ana');
    const token = a.all('welcome')[0]!.resumeToken;
    a.kill();
    await tick(2000);
    const back = await RawClient.connect(s.wsUrl, token);
    clients.push(back);
    expect(back.all('welcome')[0]!.resumed).toBe(true);
    const fresh = await back.next('ice-servers', () => true, 2000);
    verify(fresh.iceServers[0]!);
  });
});
