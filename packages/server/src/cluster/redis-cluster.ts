import type { Redis } from 'ioredis';
import { defaultNodeId, type Cluster } from './cluster.js';
import { RedisBus } from './redis-bus.js';
import {
  closeRedis,
  consoleLog,
  defineScript,
  errorText,
  openRedis,
  redactUrl,
  whenReady,
  type ClusterLog,
} from './redis-connection.js';

export interface RedisClusterOptions {
  /** redis://[user:password@]host:port/db */
  url: string;
  /** Prefix of every key and channel, so several clusters can share one Redis (`parley:`). */
  prefix?: string | undefined;
  nodeId?: string;
  /** A node whose lease was not renewed for this long is dead. */
  leaseTtlMs: number;
  log?: ClusterLog;
  /** Bus transit times from other nodes, in ms (metrics). */
  onBusLatency?: (ms: number) => void;
  /** How long `start` waits for Redis before it fails (default 5 s). */
  connectTimeoutMs?: number;
}

/** SET the lease (NX when ARGV[4] is '1', to refuse a node id that is alive) and join `nodes`. */
const register = defineScript(`
if ARGV[4] == '1' then
  if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
redis.call('SADD', KEYS[2], ARGV[3])
return 1`);

/** Extend the lease only while it exists: 0 means it ran out or Redis lost it. */
const renew = defineScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'XX', 'PX', ARGV[2]) then return 1 end
return 0`);

/**
 * One survivor claims a dead node: still registered (not released yet by another), lease
 * gone, and nobody else reaping it.
 */
const claim = defineScript(`
if redis.call('SISMEMBER', KEYS[3], ARGV[3]) == 0 then return 0 end
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0`);

/** After the handlers: forget the node (unless it came back meanwhile) and the claim. */
const finish = defineScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SREM', KEYS[3], ARGV[2]) end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1`);

/** A restore whose handlers fail while Redis is up is tried this often, then given up. */
const RESTORE_ATTEMPTS = 3;

/**
 * The cluster over one Redis: the bus, a command connection the directories share
 * (`redis`, with `prefix`), and this node's lease.
 *
 * Keys: `lease:<node>` (JSON `{startedAt}`, PX two thirds of leaseTtlMs, renewed every quarter),
 * `nodes` (set of registered node ids), `reap:<node>` (the survivor releasing a dead node).
 *
 * Redis keeps nothing on disk, so a restart loses every key. This node notices because its
 * own lease is gone (checked on each reconnection, and by each renewal): it writes the lease
 * again first (so nobody reaps it meanwhile), then runs the `onRestore` handlers, and only
 * then reports `ready`. A node that stalled past its lease and was reaped recovers the
 * same way, after the reaper finished.
 */
export class RedisCluster implements Cluster {
  readonly nodeId: string;
  readonly prefix: string;
  readonly bus: RedisBus;
  /** The command connection; directories share it. Commands fail fast while Redis is away. */
  readonly redis: Redis;
  private readonly url: string;
  private readonly leaseTtlMs: number;
  /**
   * How long the lease key lives: two thirds of the TTL, renewed every quarter (one
   * renewal may be missed), while survivors look every sixth (with jitter). So a dead
   * node is released within about 0.9 of --lease-ttl-ms, the time the option promises.
   */
  private readonly leaseKeyMs: number;
  private readonly reapTtlMs: number;
  private readonly connectTimeoutMs: number;
  private readonly log: ClusterLog;
  private readonly leaseValue: string;
  private readonly deadHandlers: ((nodeId: string) => Promise<void>)[] = [];
  private readonly restoreHandlers: (() => Promise<void>)[] = [];
  private started = false;
  private closed = false;
  /** `stopRenewingForTest` was called: this node plays dead. */
  private frozen = false;
  /** The lease was confirmed on the current connection and no restore is due. */
  private leaseOk = false;
  private needsRestore = false;
  private recovering = false;
  private restoreFailures = 0;
  /** Bumped whenever a renewal finds the lease gone, to tell a restore that it raced one. */
  private losses = 0;
  /** Bumped on each (re)connection, to tell a failure of Redis from a failing handler. */
  private connectionEpoch = 0;
  private renewTimer: NodeJS.Timeout | undefined;
  private reapTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  /** Use `RedisCluster.start`. */
  private constructor(options: RedisClusterOptions) {
    this.nodeId = options.nodeId ?? defaultNodeId();
    this.prefix = options.prefix ?? 'parley:';
    this.url = options.url;
    this.leaseTtlMs = options.leaseTtlMs;
    this.leaseKeyMs = Math.round((options.leaseTtlMs * 2) / 3);
    // Long enough for the handlers; if the reaper dies, another survivor takes over after it.
    this.reapTtlMs = Math.max(4 * options.leaseTtlMs, 30_000);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.log = options.log ?? consoleLog;
    this.leaseValue = JSON.stringify({ startedAt: Date.now() });
    this.bus = new RedisBus(this.nodeId, options.url, this.prefix, {
      log: this.log,
      onLatency: options.onBusLatency,
    });
    this.redis = openRedis(options.url, { name: this.nodeId, log: this.log });
    this.redis.on('close', () => {
      this.leaseOk = false;
    });
    this.redis.on('ready', () => {
      this.connectionEpoch++;
      if (this.started && !this.closed && !this.frozen) {
        void this.checkLease();
      }
    });
  }

  /**
   * Connect, take the lease and start renewing it and reaping dead nodes. Rejects, with the
   * connections closed, when Redis cannot be reached (after `connectTimeoutMs`) or another
   * live node holds this node id.
   */
  static async start(options: RedisClusterOptions): Promise<RedisCluster> {
    const cluster = new RedisCluster(options);
    await cluster.begin();
    return cluster;
  }

  /** The same as `start`. */
  static connect(options: RedisClusterOptions): Promise<RedisCluster> {
    return RedisCluster.start(options);
  }

  /** False until started, while Redis is away, and while this node's state is restored. */
  get ready(): boolean {
    return (
      this.started &&
      !this.closed &&
      !this.frozen &&
      this.leaseOk &&
      this.redis.status === 'ready' &&
      this.bus.connected
    );
  }

  private async begin(): Promise<void> {
    try {
      await Promise.all([
        whenReady(this.redis, this.connectTimeoutMs),
        this.bus.whenConnected(this.connectTimeoutMs),
      ]);
    } catch (err) {
      await this.shutDown();
      throw new Error(`cannot reach Redis at ${redactUrl(this.url)}: ${errorText(err)}`, {
        cause: err,
      });
    }
    let taken: unknown;
    try {
      taken = await register(
        this.redis,
        [this.key('lease', this.nodeId), this.key('nodes')],
        [this.leaseValue, this.leaseKeyMs, this.nodeId, '1'],
      );
    } catch (err) {
      await this.shutDown();
      throw new Error(`cannot register with Redis at ${redactUrl(this.url)}: ${errorText(err)}`, {
        cause: err,
      });
    }
    if (taken !== 1) {
      await this.shutDown();
      throw new Error(
        `node id ${this.nodeId} is in use: another node holds its lease in Redis at ${redactUrl(this.url)}`,
      );
    }
    this.started = true;
    this.leaseOk = true;
    this.renewTimer = setInterval(() => void this.renewLease(), this.leaseTtlMs / 4);
    this.renewTimer.unref();
    this.scheduleReap();
  }

  onNodeDead(handler: (nodeId: string) => Promise<void>): void {
    this.deadHandlers.push(handler);
  }

  onRestore(handler: () => Promise<void>): void {
    this.restoreHandlers.push(handler);
  }

  /**
   * Tests only: behave like a killed process (stop renewing and reaping, keep the lease to
   * run out), while the connections stay open for `close`.
   */
  stopRenewingForTest(): void {
    this.frozen = true;
    this.stopTimers();
  }

  /**
   * Release the lease, leave `nodes` and close the connections; safe to call again. What the
   * node held in the directories is the features' to release before.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.stopTimers();
      // A node playing dead (tests) leaves its lease to run out, like a killed process.
      if (this.started && !this.frozen && this.redis.status === 'ready') {
        try {
          await this.redis
            .multi()
            .del(this.key('lease', this.nodeId))
            .srem(this.key('nodes'), this.nodeId)
            .exec();
        } catch (err) {
          // The lease runs out by itself; the survivors then release this node's state.
          this.log.warn(`could not release the lease of ${this.nodeId}: ${errorText(err)}`);
        }
      }
      await this.shutDown();
    })();
    return this.closing;
  }

  private stopTimers(): void {
    clearInterval(this.renewTimer);
    clearTimeout(this.reapTimer);
    this.renewTimer = undefined;
    this.reapTimer = undefined;
  }

  private key(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  private async shutDown(): Promise<void> {
    await Promise.all([this.bus.close(), closeRedis(this.redis)]);
  }

  /** After a reconnection: is this node's lease still there (did Redis keep its data)? */
  private async checkLease(): Promise<void> {
    if (this.recovering) {
      // The running restore notices the new connection (see `restoreOnce`).
      return;
    }
    if (this.needsRestore) {
      return this.recover();
    }
    try {
      const exists = await this.redis.exists(this.key('lease', this.nodeId));
      if (exists === 1) {
        this.leaseOk = true;
        return;
      }
    } catch {
      // The connection went away again; the next `ready` checks again.
      return;
    }
    this.log.warn(`Redis lost this node's lease (${this.nodeId}): writing its state again`);
    return this.recover();
  }

  private async renewLease(): Promise<void> {
    if (this.closed || this.frozen || this.redis.status !== 'ready') {
      return;
    }
    if (this.needsRestore && !this.recovering) {
      return this.recover();
    }
    // Also while restoring: a long restore must not let the lease run out.
    let renewed: unknown;
    try {
      renewed = await renew(
        this.redis,
        [this.key('lease', this.nodeId)],
        [this.leaseValue, this.leaseKeyMs],
      );
    } catch {
      // Redis is away or slow; the connection's log says so.
      return;
    }
    if (renewed === 1 || this.closed) {
      return;
    }
    this.losses++;
    if (!this.recovering) {
      this.log.warn(
        `the lease of ${this.nodeId} was gone (Redis lost its data, or this node stalled past ` +
          `${this.leaseTtlMs} ms): writing its state again`,
      );
      return this.recover();
    }
  }

  /**
   * Write the lease again, wait for any reaper of this node, run `onRestore`; one at a time.
   * A pass that does not complete leaves `needsRestore` set: the next renewal starts over.
   */
  private async recover(): Promise<void> {
    this.needsRestore = true;
    this.leaseOk = false;
    if (this.recovering) {
      return;
    }
    this.recovering = true;
    try {
      await this.restoreOnce();
    } finally {
      this.recovering = false;
    }
  }

  private async restoreOnce(): Promise<void> {
    const epoch = this.connectionEpoch;
    let losses: number;
    try {
      await register(
        this.redis,
        [this.key('lease', this.nodeId), this.key('nodes')],
        [this.leaseValue, this.leaseKeyMs, this.nodeId, '0'],
      );
      // Replies come in order: a renewal that saw the lease gone before this SET is counted.
      losses = this.losses;
      await this.waitForReaper();
    } catch {
      // Redis went away again (or is slow): the next `ready` or renewal tries again.
      return;
    }
    let failed = false;
    for (const handler of this.restoreHandlers) {
      try {
        await handler();
      } catch (err) {
        failed = true;
        this.log.error(`a restore handler failed: ${errorText(err)}`);
      }
    }
    if (
      this.closed ||
      epoch !== this.connectionEpoch ||
      losses !== this.losses ||
      this.redis.status !== 'ready'
    ) {
      // Redis dropped or lost the lease mid-way, and may have lost what was written: the
      // next renewal starts over.
      return;
    }
    if (failed) {
      if (++this.restoreFailures < RESTORE_ATTEMPTS) {
        // The next renewal tries again.
        return;
      }
      this.log.error(`restore failed ${RESTORE_ATTEMPTS} times; going on with what was written`);
    }
    this.restoreFailures = 0;
    this.needsRestore = false;
    this.leaseOk = true;
    this.log.info(`restored this node's state in Redis (${this.nodeId})`);
  }

  /** A survivor may be releasing this node's state (it looked dead): let it finish first. */
  private async waitForReaper(): Promise<void> {
    const deadline = Date.now() + this.reapTtlMs;
    while (!this.closed && Date.now() < deadline) {
      if ((await this.redis.exists(this.key('reap', this.nodeId))) === 0) {
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private scheduleReap(): void {
    if (this.closed) {
      return;
    }
    // Jitter keeps the nodes from all scanning at the same moment.
    const delay = (this.leaseTtlMs / 6) * (0.75 + Math.random() * 0.5);
    this.reapTimer = setTimeout(() => {
      this.reap()
        .catch((err: unknown) => {
          if (this.redis.status === 'ready') {
            this.log.warn(`reaping dead nodes failed: ${errorText(err)}`);
          }
        })
        .finally(() => {
          if (this.reapTimer !== undefined) {
            this.scheduleReap();
          }
        });
    }, delay);
    this.reapTimer.unref();
  }

  /** Release every registered node whose lease ran out, each on exactly one survivor. */
  private async reap(): Promise<void> {
    if (!this.ready) {
      return;
    }
    const nodes = await this.redis.smembers(this.key('nodes'));
    for (const node of nodes) {
      if (node === this.nodeId || this.closed) {
        continue;
      }
      const leaseKey = this.key('lease', node);
      const reapKey = this.key('reap', node);
      const won = await claim(
        this.redis,
        [leaseKey, reapKey, this.key('nodes')],
        [this.nodeId, this.reapTtlMs, node],
      );
      if (won !== 1) {
        continue;
      }
      this.log.warn(`node ${node} stopped renewing its lease: releasing its state`);
      for (const handler of this.deadHandlers) {
        try {
          await handler(node);
        } catch (err) {
          this.log.error(`a dead-node handler failed for ${node}: ${errorText(err)}`);
        }
      }
      await finish(this.redis, [leaseKey, reapKey, this.key('nodes')], [this.nodeId, node]);
    }
  }
}
