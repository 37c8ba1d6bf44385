import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { Gateway } from './signaling/gateway.js';
import { InMemoryRoomRegistry, type RoomRegistry } from './rooms/room-registry.js';
import { registerRoomHandlers, seatOf } from './rooms/room-handlers.js';
import { IceRefresher } from './ice/ice-refresher.js';
import { ConfiguredIceServers, type IceServerProvider } from './ice/ice-servers.js';
import { defaultWebDir, registerWebApp } from './http/web-app.js';
import { lazySchemaCompilers } from './http/lazy-compilers.js';
import { KyselyChatStore, openStore, type Store } from './store/index.js';
import {
  ChatService,
  parseRoomRetention,
  registerChatHandlers,
  type ChatSettings,
} from './chat/index.js';
import { registerDirectFeatures } from './accounts/direct-features.js';
import { defaultNodeId } from './cluster/cluster.js';
import { Metrics } from './ops/metrics.js';
import { Readiness, databaseCheck, type ReadinessCheck } from './ops/readiness.js';
import { registerHealthRoutes } from './ops/health-routes.js';
import { meterChatWrites } from './ops/chat-write-meter.js';
import { waitForDrain } from './ops/drain.js';

export interface ParleyServer {
  readonly app: FastifyInstance;
  readonly gateway: Gateway;
  readonly rooms: RoomRegistry;
  readonly config: Config;
  /** The database (SQLite in dataDir, or PostgreSQL with databaseUrl). */
  readonly store: Store;
  /** http(s)://host:port the server listens on (after `listen`). */
  readonly url: string;
  /** ws(s)://host:port/ws */
  readonly wsUrl: string;
  /** This node's id, in logs (`node`) and metrics (`parley_node_info`). */
  readonly nodeId: string;
  readonly metrics: Metrics;
  listen(): Promise<void>;
  /** Add a check that `/readyz` runs (e.g. Redis); false, a throw or a 2 s hang fails it. */
  addReadinessCheck(name: string, check: ReadinessCheck): void;
  /**
   * Idempotent drain (SIGTERM): `/readyz` fails, new sockets are refused, every client is
   * told to move (`server-draining`); once all have gone, or after `timeoutMs` (default
   * --drain-timeout-ms), the server closes.
   */
  drain(timeoutMs?: number): Promise<void>;
  /** Idempotent graceful shutdown: sockets, rooms, then HTTP. */
  close(): Promise<void>;
}

export interface ServerDeps {
  rooms?: RoomRegistry;
  ice?: IceServerProvider;
  /** An open store to use instead of opening the configured one (the caller closes it). */
  store?: Store;
  /** This node's id (the cluster's); default --node-id, else the host name and a random suffix. */
  nodeId?: string;
  /** Export process metrics (CPU, memory, GC) on /metrics too; the CLI turns this on. */
  processMetrics?: boolean;
}

/** Build (but do not start) a Parley server from a configuration. */
export async function createServer(config: Config, deps: ServerDeps = {}): Promise<ParleyServer> {
  const https =
    config.cert && config.key
      ? { cert: readFileSync(config.cert), key: readFileSync(config.key) }
      : null;
  const nodeId = deps.nodeId ?? config.nodeId ?? defaultNodeId();
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : // Every line names its node, so logs of several nodes can be read together.
          {
            level: config.logLevel,
            base: { pid: process.pid, hostname: hostname(), node: nodeId },
          },
    schemaController: { compilersFactory: lazySchemaCompilers },
    // Behind a reverse proxy, request.ip and request.protocol (per-address sign-in
    // limits, the Secure cookie) come from X-Forwarded-* sent by these proxies only.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    ...(https ? { https } : {}),
  }) as unknown as FastifyInstance;

  // Checked before anything is opened, so a bad option leaks nothing.
  const chatSettings = chatSettingsFrom(config);

  // Before the store opens: a failure here has nothing to close.
  if (config.webDir !== 'none') {
    // @fastify/static needs an absolute root; --web-dir may be relative to the cwd.
    const dir = resolve(config.webDir ?? defaultWebDir());
    const served = await registerWebApp(app, dir);
    if (!served) {
      app.log.warn(
        `no web app at ${dir}: run "npm run build" (serving the API and signaling only)`,
      );
    }
  }

  const store =
    deps.store ??
    (await openStore({ dataDir: config.dataDir ?? './data', databaseUrl: config.databaseUrl }));
  const metrics = new Metrics({ nodeId, processMetrics: deps.processMetrics ?? false });
  const gateway = new Gateway(config, app.log, metrics);
  const rooms = deps.rooms ?? new InMemoryRoomRegistry(config);
  const ice = deps.ice ?? new ConfiguredIceServers(config);
  const iceRefresher = new IceRefresher(gateway, ice, (s) => seatOf(s) !== undefined);
  const chatService = new ChatService(
    meterChatWrites(new KyselyChatStore(store.db), () => metrics.chatWrite()),
    chatSettings,
  );
  const chat = registerChatHandlers(gateway, rooms, chatService);
  const sweepChat = (): void =>
    void chatService.sweep().catch((err: unknown) => app.log.error({ err }, 'chat sweep failed'));
  sweepChat();
  const chatSweep = setInterval(sweepChat, 3_600_000);
  chatSweep.unref();
  registerRoomHandlers(gateway, rooms, ice, {
    maxRoomSize: config.maxRoomSize,
    iceTransportPolicy: config.iceTransportPolicy,
    uplinkBudgetKbps: config.uplinkBudgetKbps,
    onIceGrant: (s, grant) => iceRefresher.track(s, grant),
    afterJoin: (session, roomId) =>
      void chat.afterJoin(session, roomId).catch((err: unknown) => {
        app.log.error({ err, roomId, session: session.id }, 'chat history push failed');
      }),
  });
  // The last start-up step that can fail once the store is open: undo what is running.
  const direct = await registerDirectFeatures(app, gateway, config, ice, store.db, (reason) =>
    metrics.callEnded(reason),
  ).catch(async (err: unknown) => {
    clearInterval(chatSweep);
    gateway.close();
    iceRefresher.close();
    metrics.close();
    if (!deps.store) {
      await store.close();
    }
    throw err;
  });

  app.server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/ws') {
      // The session cookie (if any) signs the socket in; without one it is a guest.
      direct.authenticateUpgrade(req).then(
        (init) => gateway.handleUpgrade(req, socket, head, init),
        () => socket.destroy(),
      );
    } else {
      socket.destroy();
    }
  });

  metrics.setCollector('connections', () => gateway.connectionCount);
  metrics.setCollector('sessions', () => gateway.sessionCount);
  metrics.setCollector('rooms', () => rooms.roomCount);
  metrics.setCollector('seats', () => {
    let seats = 0;
    for (const session of gateway.allSessions()) {
      seats += seatOf(session) ? 1 : 0;
    }
    return seats;
  });
  const readiness = new Readiness();
  readiness.add('database', databaseCheck(store.db));
  readiness.add('draining', () => !gateway.isDraining);
  registerHealthRoutes(app, {
    alive: () => ({ node: nodeId, sessions: gateway.sessionCount, rooms: rooms.roomCount }),
    readiness,
    metrics,
  });

  let url = '';
  let closing: Promise<void> | null = null;
  let draining: Promise<void> | null = null;
  const server: ParleyServer = {
    app,
    gateway,
    rooms,
    config,
    store,
    get url() {
      return url;
    },
    get wsUrl() {
      return url.replace(/^http/, 'ws') + '/ws';
    },
    nodeId,
    metrics,
    addReadinessCheck: (name, check) => readiness.add(name, check),
    async listen() {
      await app.listen({ port: config.port, host: config.host });
      const addr = app.server.address() as AddressInfo;
      const host =
        !config.host || config.host === '0.0.0.0' || config.host === '::'
          ? 'localhost'
          : config.host;
      url = `${https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
    },
    drain(timeoutMs = config.drainTimeoutMs) {
      draining ??= (async () => {
        const everyoneLeft = await waitForDrain(gateway.drain(), timeoutMs);
        app.log.info({ everyoneLeft }, 'drained: closing');
        await server.close();
      })();
      return draining;
    },
    close() {
      closing ??= (async () => {
        clearInterval(chatSweep);
        await direct.close();
        gateway.close();
        iceRefresher.close();
        metrics.close();
        await app.close();
        if (!deps.store) {
          await store.close();
        }
      })();
      return closing;
    },
  };
  return server;
}

function chatSettingsFrom(config: Config): ChatSettings {
  return {
    maxLength: config.chatMaxLength,
    historySize: config.chatHistorySize,
    ratePerSecond: config.chatRateLimit,
    fileMaxBytes: config.fileMaxBytes,
    retention: {
      maxAgeMs: config.chatRetentionDays * 86_400_000,
      maxMessages: config.chatRetentionMessages,
    },
    roomRetention: parseRoomRetention(config.chatRetentionRooms),
  };
}
