/**
 * Two real nodes sharing PostgreSQL and Redis: what one node's users do reaches the
 * other's, and a node that dies without a word (kill -9 of a real process) is released
 * by the survivor within its lease: seats leave their rooms, presence drops, calls end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleyServer } from '../src/app.js';
import { api, befriend, signUp, startServer, Tab } from './accounts-harness.js';
import { createPgDatabase } from './store-backends.js';
import { dropPrefix, REDIS_TEST_URL, redisProblem, uniquePrefix } from './redis-env.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const LEASE_TTL_MS = 2000;

/** A node as its own process, so that it can die as a crashed server does. */
async function spawnNode(
  env: Record<string, string>,
): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(
    process.execPath,
    [MAIN, '--port', '0', '--host', '127.0.0.1', '--web-dir', 'none', '--scrypt-cost', '10'],
    {
      env: { ...process.env, ...env, PARLEY_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /open (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        resolve(m[1]);
      }
    });
    proc.once('exit', (code) => reject(new Error(`node exited with ${code}: ${out}`)));
  });
  return { proc, url };
}

/** Enough of a ParleyServer for the harness: where to send HTTP and WebSockets. */
function remote(url: string): ParleyServer {
  return { url, wsUrl: url.replace(/^http/, 'ws') + '/ws' } as ParleyServer;
}

describe.skipIf(redisProblem !== null)('two nodes', () => {
  let db: { url: string; drop: () => Promise<void> };
  const prefix = uniquePrefix();
  let a: ParleyServer;
  const tabs: Tab[] = [];
  const open = async (server: ParleyServer, cookie?: string): Promise<Tab> => {
    const t = await Tab.open(server, cookie);
    tabs.push(t);
    return t;
  };
  beforeAll(async () => {
    db = await createPgDatabase();
    a = await startServer(
      { dataDir: 'unused', databaseUrl: db.url, redisUrl: REDIS_TEST_URL, redisPrefix: prefix },
      { nodeId: 'node-a', leaseTtlMs: LEASE_TTL_MS, callDropGraceMs: 60_000 },
    );
  });
  afterAll(async () => {
    await Promise.all(tabs.map((t) => t.close()));
    await a?.close();
    await db?.drop();
    await dropPrefix(REDIS_TEST_URL, prefix);
  });

  it('signing out on one node ends the account of its tabs on the other', async () => {
    const other = await startServer(
      { dataDir: 'unused', databaseUrl: db.url, redisUrl: REDIS_TEST_URL, redisPrefix: prefix },
      { nodeId: 'node-c', leaseTtlMs: LEASE_TTL_MS },
    );
    try {
      const u = await signUp(a, 'revoke');
      const there = await open(other, u.cookie);
      expect((await api(a, 'DELETE', '/api/session', { cookie: u.cookie })).status).toBe(204);
      expect(await there.next('signed-out')).toEqual({ type: 'signed-out', reason: 'revoked' });
    } finally {
      await other.close();
    }
  });

  it('kill -9 of a node: its seats leave, its users go offline, its calls end as failed', async () => {
    const b = await spawnNode({
      REDIS_URL: REDIS_TEST_URL,
      PARLEY_REDIS_PREFIX: prefix,
      DATABASE_URL: db.url,
      PARLEY_NODE_ID: 'node-b',
      PARLEY_LEASE_TTL_MS: String(LEASE_TTL_MS),
      PARLEY_CALL_DROP_GRACE_MS: '60000',
    });
    try {
      const nodeB = remote(b.url);
      const x = await signUp(a, 'onA');
      const y = await signUp(a, 'onB');
      await befriend(a, x, y);
      const tx = await open(a, x.cookie);
      const ty = await open(nodeB, y.cookie);
      await tx.next('presence', (m) => m.userId === y.id && m.presence === 'online');

      // A room with one seat on each node.
      const pa = await open(a);
      const pb = await open(nodeB);
      const room = `r${Date.now()}`;
      await pa.request({ type: 'join', room, name: 'Ana', media: { audio: true, video: true } });
      const joinedB = await pb.request({
        type: 'join',
        room,
        name: 'Bo',
        media: { audio: true, video: true },
      });
      expect(joinedB).toMatchObject({ type: 'joined' });
      await pa.next('peer-joined');

      // A call between a tab on each node.
      const ringing = await tx.request({ type: 'call-invite', to: y.id, media: 'audio' });
      await ty.next('call-incoming');
      await ty.request({ type: 'call-accept', callId: ringing.callId });
      await tx.next('call-state', (m) => m.state === 'active');

      b.proc.kill('SIGKILL');
      const killedAt = Date.now();
      const within = LEASE_TTL_MS * 4;
      const left = await pa.next('peer-left', () => true, within);
      expect(left).toMatchObject({ peerId: joinedB.self, reason: 'timeout' });
      expect(await tx.next('presence', (m) => m.userId === y.id, within)).toMatchObject({
        presence: 'offline',
      });
      expect(await tx.next('call-state', (m) => m.state === 'ended', within)).toMatchObject({
        reason: 'failed',
      });
      console.log(
        `kill -9: node-b released after ${Date.now() - killedAt} ms (lease ${LEASE_TTL_MS} ms)`,
      );
      expect(await a.shared.rooms.members(room)).toHaveLength(1);
    } finally {
      b.proc.kill('SIGKILL');
      if (b.proc.exitCode === null && b.proc.signalCode === null) {
        await once(b.proc, 'exit');
      }
    }
  });

  it('kill -9 of a node: its meet people leave the queue and their matches, its board posts go', async () => {
    const b = await spawnNode({
      REDIS_URL: REDIS_TEST_URL,
      PARLEY_REDIS_PREFIX: prefix,
      DATABASE_URL: db.url,
      PARLEY_NODE_ID: 'node-b2',
      PARLEY_LEASE_TTL_MS: String(LEASE_TTL_MS),
    });
    try {
      const nodeB = remote(b.url);
      // A meet match across the nodes, and a board post on the node that dies.
      const onA = await open(a);
      const onB = await open(nodeB);
      await onA.request({ type: 'meet-start', name: 'Ann', interests: ['kill-test'] });
      await onB.request({ type: 'meet-start', name: 'Bob', interests: ['kill-test'] });
      const m = await onA.next('meet-state', (x) => x.state === 'matched');
      const watcher = await open(a);
      await watcher.request({ type: 'board-watch' });
      const poster = await open(nodeB);
      const posted = await poster.request({
        type: 'board-post',
        name: 'Pat',
        topic: 'going down',
        media: 'audio',
      });
      await watcher.next('board-added');

      b.proc.kill('SIGKILL');
      const within = LEASE_TTL_MS * 4;
      expect(
        await onA.next('meet-state', (x) => x.reason === 'disconnected', within),
      ).toMatchObject({ state: 'waiting' });
      expect(
        await watcher.next(
          'board-removed',
          (x) => x.postId === (posted.post as { id: string }).id,
          within,
        ),
      ).toMatchObject({ reason: 'left' });
      // Only Ann is left in the queue.
      expect(await a.shared.meet.waitingCount()).toBe(1);
      expect((m.match as { peer: { name: string } }).peer.name).toBe('Bob');
    } finally {
      b.proc.kill('SIGKILL');
      if (b.proc.exitCode === null && b.proc.signalCode === null) {
        await once(b.proc, 'exit');
      }
    }
  });

  it('a direct call goes on when a tab moves to another node (drain), and ends if it never comes back', async () => {
    const c = await startServer(
      { dataDir: 'unused', databaseUrl: db.url, redisUrl: REDIS_TEST_URL, redisPrefix: prefix },
      { nodeId: 'node-d', leaseTtlMs: LEASE_TTL_MS, callDropGraceMs: 60_000 },
    );
    const x = await signUp(a, 'mover');
    const y = await signUp(a, 'stayer');
    const z = await signUp(a, 'gone');
    await befriend(a, x, y);
    await befriend(a, z, y);
    const onC = await Tab.open(c, x.cookie);
    const zOnC = await Tab.open(c, z.cookie);
    const ty = await open(a, y.cookie);
    const ringing = await onC.request({ type: 'call-invite', to: y.id, media: 'audio' });
    await ty.next('call-incoming');
    await ty.request({ type: 'call-accept', callId: ringing.callId });
    await onC.next('call-state', (m) => m.state === 'active');

    const drained = c.drain(5000);
    await onC.next('server-draining');
    await zOnC.next('server-draining');
    // x's tab moves as the SDK does: close with 4005, then a new session elsewhere.
    onC.ws.close(4005, 'moving');
    const onA = await open(a, x.cookie);
    const back = await onA.request({ type: 'call-rejoin', callId: ringing.callId });
    expect(back).toMatchObject({ type: 'call-state', state: 'active', role: 'caller' });
    ty.send({
      type: 'call-signal',
      callId: ringing.callId,
      candidate: { candidate: 'after-move' },
    });
    expect((await onA.next('call-signal')).candidate).toMatchObject({ candidate: 'after-move' });
    // z's tab was not in a call: it just leaves.
    zOnC.ws.close(4005, 'moving');
    await drained;
    expect(ty.all('call-state').filter((m) => m.state === 'ended')).toHaveLength(0);

    // A tab that moves and never rejoins: its call ends as failed once its node is gone.
    const c2 = await startServer(
      { dataDir: 'unused', databaseUrl: db.url, redisUrl: REDIS_TEST_URL, redisPrefix: prefix },
      // It leaves its moving tabs this long to rejoin; whoever reaps it ends the call then.
      { nodeId: 'node-e', leaseTtlMs: LEASE_TTL_MS, callDropGraceMs: 1500 },
    );
    const zOnC2 = await Tab.open(c2, z.cookie);
    await onA.request({ type: 'call-end', callId: ringing.callId });
    const second = await zOnC2.request({ type: 'call-invite', to: y.id, media: 'audio' });
    await ty.next('call-incoming', (m) => m.callId === second.callId);
    await ty.request({ type: 'call-accept', callId: second.callId });
    const drained2 = c2.drain(5000);
    await zOnC2.next('server-draining');
    zOnC2.ws.close(4005, 'moving');
    await drained2;
    expect(
      await ty.next(
        'call-state',
        (m) => m.callId === second.callId && m.state === 'ended',
        LEASE_TTL_MS * 4,
      ),
    ).toMatchObject({ reason: 'failed' });
  });
});
