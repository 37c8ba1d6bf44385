import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BusMessage } from '../src/cluster/bus.js';
import { RedisBus } from '../src/cluster/redis-bus.js';
import { RedisCluster, type RedisClusterOptions } from '../src/cluster/redis-cluster.js';
import type { ClusterLog } from '../src/cluster/redis-connection.js';
import {
  dropPrefix,
  plainClient,
  REDIS_TEST_URL,
  redisProblem,
  uniquePrefix,
} from './redis-env.js';

/** Keeps the test output clean; what the cluster says is asserted where it matters. */
const quiet: ClusterLog = { info: () => {}, warn: () => {}, error: () => {} };

const event = (name: string): BusMessage => ({ kind: 'event', name, data: { n: name } });

/** Generous: these wait for Redis round trips and lease expiry, never for a fixed time. */
const WAIT = { timeout: 10_000, interval: 20 };

describe.skipIf(redisProblem !== null)('Redis bus', () => {
  let prefix = '';
  const open: RedisBus[] = [];
  const bus = (nodeId: string, onLatency?: (ms: number) => void): RedisBus => {
    const b = new RedisBus(nodeId, REDIS_TEST_URL, prefix, { log: quiet, onLatency });
    open.push(b);
    return b;
  };

  beforeEach(() => {
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close()));
    await dropPrefix(REDIS_TEST_URL, prefix);
  });

  it('delivers to the other node once, and to the publisher’s own handler once, in place', async () => {
    const latencies: number[] = [];
    const a = bus('node-a');
    const b = bus('node-b', (ms) => latencies.push(ms));
    const gotA: BusMessage[] = [];
    const gotB: BusMessage[] = [];
    await a.subscribe('room:r', (m) => gotA.push(m));
    await b.subscribe('room:r', (m) => gotB.push(m));

    a.publish('room:r', event('one'));
    expect(gotA).toEqual([event('one')]);
    await vi.waitFor(() => expect(gotB).toEqual([event('one')]), WAIT);
    expect(latencies).toHaveLength(1);
    expect(latencies[0]).toBeGreaterThanOrEqual(0);

    // B's answer comes after A's own echo on A's subscription: once A has it, the echo
    // was seen (and ignored).
    b.publish('room:r', event('two'));
    await vi.waitFor(() => expect(gotA).toEqual([event('one'), event('two')]), WAIT);
    expect(gotB).toEqual([event('one'), event('two')]);
  });

  it('a subscription is active once subscribe resolves', async () => {
    const a = bus('node-a');
    const b = bus('node-b');
    await a.subscribe('warm-up', () => {});
    for (let i = 0; i < 5; i++) {
      const got: BusMessage[] = [];
      await b.subscribe(`user:${i}`, (m) => got.push(m));
      a.publish(`user:${i}`, event(`hello ${i}`));
      await vi.waitFor(() => expect(got).toEqual([event(`hello ${i}`)]), WAIT);
    }
  });

  it('several handlers share a topic; the topic goes with the last', async () => {
    const a = bus('node-a');
    const b = bus('node-b');
    const first: BusMessage[] = [];
    const second: BusMessage[] = [];
    const marks: BusMessage[] = [];
    const h1 = (m: BusMessage) => first.push(m);
    const h2 = (m: BusMessage) => second.push(m);
    await Promise.all([b.subscribe('t', h1), b.subscribe('t', h2)]);
    await b.subscribe('mark', (m) => marks.push(m));

    a.publish('t', event('both'));
    await vi.waitFor(() => expect(second).toEqual([event('both')]), WAIT);
    expect(first).toEqual([event('both')]);

    b.unsubscribe('t', h1);
    a.publish('t', event('only second'));
    await vi.waitFor(() => expect(second).toHaveLength(2), WAIT);
    expect(first).toHaveLength(1);

    b.unsubscribe('t', h2);
    a.publish('t', event('nobody'));
    // Same publisher, same subscriber connection: the mark arrives after "nobody" would have.
    a.publish('mark', event('mark'));
    await vi.waitFor(() => expect(marks).toEqual([event('mark')]), WAIT);
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(2);
  });

  it('publishing never throws, even on a closed bus', async () => {
    const a = bus('node-a');
    const got: BusMessage[] = [];
    await a.subscribe('t', (m) => got.push(m));
    await a.close();
    expect(() => a.publish('t', event('late'))).not.toThrow();
  });
});

describe.skipIf(redisProblem !== null)('Redis cluster', () => {
  let prefix = '';
  const open: RedisCluster[] = [];
  const cluster = async (options: Partial<RedisClusterOptions> = {}): Promise<RedisCluster> => {
    const c = await RedisCluster.start({
      url: REDIS_TEST_URL,
      prefix,
      leaseTtlMs: 1000,
      log: quiet,
      ...options,
    });
    open.push(c);
    return c;
  };
  const exists = async (key: string): Promise<boolean> => {
    const client = plainClient();
    try {
      await client.connect();
      return (await client.exists(key)) === 1;
    } finally {
      client.disconnect();
    }
  };
  const isMember = async (set: string, member: string): Promise<boolean> => {
    const client = plainClient();
    try {
      await client.connect();
      return (await client.sismember(set, member)) === 1;
    } finally {
      client.disconnect();
    }
  };

  beforeEach(() => {
    prefix = uniquePrefix();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    await dropPrefix(REDIS_TEST_URL, prefix);
  });

  it('holds a lease while running and releases it on close', async () => {
    const c = await cluster({ nodeId: 'node-x' });
    expect(c.ready).toBe(true);
    expect(await exists(`${prefix}lease:node-x`)).toBe(true);
    expect(await isMember(`${prefix}nodes`, 'node-x')).toBe(true);
    await c.close();
    await c.close();
    expect(c.ready).toBe(false);
    expect(await exists(`${prefix}lease:node-x`)).toBe(false);
    expect(await isMember(`${prefix}nodes`, 'node-x')).toBe(false);
  });

  it('refuses a node id that another live node holds', async () => {
    await cluster({ nodeId: 'twin' });
    await expect(cluster({ nodeId: 'twin' })).rejects.toThrow(/node id twin is in use/);
  });

  it('fails clearly when Redis cannot be reached', async () => {
    const port = await freePort();
    await expect(
      cluster({ url: `redis://:secret@127.0.0.1:${port}/0`, connectTimeoutMs: 1000 }),
    ).rejects.toThrow(
      new RegExp(`cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}/0: `),
    );
  });

  it('releases a dead node exactly once, on one survivor', async () => {
    const x = await cluster({ nodeId: 'node-x' });
    const z = await cluster({ nodeId: 'node-z' });
    const y = await cluster({ nodeId: 'node-y' });
    const released: string[] = [];
    for (const survivor of [x, z]) {
      survivor.onNodeDead(async (id) => {
        released.push(id);
      });
    }
    let failing = 0;
    x.onNodeDead(async () => {
      failing++;
      throw new Error('a broken handler does not stop the others');
    });
    y.stopRenewingForTest();
    await vi.waitFor(() => expect(released).toEqual(['node-y']), WAIT);
    await vi.waitFor(async () => {
      expect(await isMember(`${prefix}nodes`, 'node-y')).toBe(false);
      expect(await exists(`${prefix}reap:node-y`)).toBe(false);
    }, WAIT);
    expect(released).toEqual(['node-y']);
    expect(failing).toBeLessThanOrEqual(1);
    expect(x.ready && z.ready).toBe(true);
  });

  it('restores its state when Redis lost it', async () => {
    const c = await cluster({ nodeId: 'node-x' });
    let restores = 0;
    c.onRestore(async () => {
      restores++;
      await c.redis.set(`${prefix}restored-by:node-x`, '1');
    });
    await dropPrefix(REDIS_TEST_URL, prefix);
    await vi.waitFor(async () => {
      expect(restores).toBe(1);
      expect(c.ready).toBe(true);
      expect(await exists(`${prefix}lease:node-x`)).toBe(true);
      expect(await isMember(`${prefix}nodes`, 'node-x')).toBe(true);
      expect(await exists(`${prefix}restored-by:node-x`)).toBe(true);
    }, WAIT);
  });
});

const REDIS_SERVER = '/usr/bin/redis-server';

describe.skipIf(redisProblem !== null || !existsSync(REDIS_SERVER))(
  'Redis cluster across a Redis restart',
  () => {
    let server: ChildProcess | undefined;
    let dir = '';
    const open: RedisCluster[] = [];

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'parley-redis-'));
    });
    afterEach(async () => {
      await Promise.all(open.splice(0).map((c) => c.close()));
      server?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });

    async function startRedis(port: number): Promise<void> {
      server = spawn(
        REDIS_SERVER,
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        { cwd: dir, stdio: 'ignore' },
      );
      await vi.waitFor(async () => {
        const client = plainClient(`redis://127.0.0.1:${port}/0`);
        client.on('error', () => {});
        try {
          await client.connect();
          expect(await client.ping()).toBe('PONG');
        } finally {
          client.disconnect();
        }
      }, WAIT);
    }

    async function stopRedis(): Promise<void> {
      const proc = server;
      if (!proc || proc.exitCode !== null) {
        return;
      }
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      });
    }

    it('goes unready, restores, and carries messages again', async () => {
      const port = await freePort();
      const url = `redis://127.0.0.1:${port}/0`;
      await startRedis(port);
      const connect = async (nodeId: string) => {
        const c = await RedisCluster.start({
          url,
          prefix: 'p:',
          nodeId,
          leaseTtlMs: 1000,
          log: quiet,
        });
        open.push(c);
        return c;
      };
      const x = await connect('node-x');
      const y = await connect('node-y');
      const restored: string[] = [];
      const dead: string[] = [];
      for (const c of [x, y]) {
        c.onRestore(async () => {
          restored.push(c.nodeId);
        });
        c.onNodeDead(async (id) => {
          dead.push(id);
        });
      }
      const got: BusMessage[] = [];
      await x.bus.subscribe('room:r', (m) => got.push(m));

      await stopRedis();
      await vi.waitFor(() => expect(x.ready || y.ready).toBe(false), WAIT);
      await startRedis(port);
      await vi.waitFor(() => {
        expect(x.ready && y.ready).toBe(true);
        expect([...restored].sort()).toEqual(['node-x', 'node-y']);
      }, WAIT);
      expect(await x.redis.exists('p:lease:node-x')).toBe(1);
      expect(await x.redis.sismember('p:nodes', 'node-y')).toBe(1);

      // The bus resubscribed on its own: a message from the other node arrives again.
      let n = 0;
      await vi.waitFor(() => {
        y.bus.publish('room:r', event(`after ${++n}`));
        expect(got.length).toBeGreaterThan(0);
      }, WAIT);
      expect(dead).toEqual([]);
    });
  },
);

/** A TCP port nothing listens on (right now). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const address = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error('no port');
  }
  return address.port;
}
