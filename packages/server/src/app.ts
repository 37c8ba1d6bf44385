import { readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { BOARD_TOPIC_MAX } from '@parley/protocol';
import type { Config } from './config.js';
import { Gateway } from './signaling/gateway.js';
import { privateRoomPolicy, registerRoomHandlers, seatOf } from './rooms/index.js';
import { MeetStore, registerMeet, type MeetFeature } from './meet/index.js';
import { registerBoard, type BoardFeature } from './board/index.js';
import { IceRefresher } from './ice/ice-refresher.js';
import { ConfiguredIceServers, type IceServerProvider } from './ice/ice-servers.js';
import { defaultWebDir, readIndexHtml, registerWebApp } from './http/web-app.js';
import { clientAddressResolver } from './http/client-address.js';
import { hostAllower } from './http/allowed-hosts.js';
import {
  contentSecurityPolicy,
  inlineScriptHashes,
  registerSecurityHeaders,
} from './http/security-headers.js';
import { lazySchemaCompilers } from './http/lazy-compilers.js';
import { openStore, type Store } from './store/index.js';
import { Delivery } from './cluster/delivery.js';
import { openClusterState, type ClusterState } from './cluster/cluster-setup.js';
import { defaultNodeId, type NodeScoped } from './cluster/cluster.js';
import { Metrics } from './ops/metrics.js';
import { Readiness, databaseCheck, type ReadinessCheck } from './ops/readiness.js';
import { registerHealthRoutes } from './ops/health-routes.js';
import { meterChatWrites } from './ops/chat-write-meter.js';
import { waitForDrain } from './ops/drain.js';
import { KyselyChatStore, registerChat } from './chat/index.js';
import { MESH_FALLBACK_MAX, registerMediaHandlers, SfuService } from './media/index.js';
import { wireSignedInFeatures, type SignedInFeatures } from './signed-in-features.js';

export interface ParleyServer {
  readonly app: FastifyInstance;
  readonly gateway: Gateway;
  readonly config: Config;
  /** This node's cluster membership and its shared directories. */
  readonly shared: ClusterState;
  /** The database (SQLite in dataDir, or PostgreSQL with databaseUrl). */
  readonly store: Store;
  readonly direct: SignedInFeatures;
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
  ice?: IceServerProvider;
  /** An open store to use instead of opening the configured one (the caller closes it). */
  store?: Store;
  /** This node's id (the cluster's); default --node-id, else the host name and a random suffix. */
  nodeId?: string;
  /** Export process metrics (CPU, memory, GC) on /metrics too; the CLI turns this on. */
  processMetrics?: boolean;
  /** How long a room's videoroom outlives its switch back to a mesh (tests; default 15 s). */
  sfuRetireAfterMs?: number;
}

/**
 * Build (but do not start) a Parley server from a configuration. This is the one
 * composition root: it opens the store and the cluster state (in-process, or shared
 * through Redis), and wires every feature to them.
 */
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
    // A client must send its headers and its whole request within --http-timeout-ms:
    // a body trickled a byte at a time would otherwise hold a connection for good. Node
    // checks every connectionsCheckingInterval, so that is a fraction of the timeout.
    serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
      const timeouts = {
        requestTimeout: config.httpTimeoutMs,
        headersTimeout: config.httpTimeoutMs,
        connectionsCheckingInterval: Math.min(30_000, Math.max(100, config.httpTimeoutMs / 4)),
      };
      return https
        ? createHttpsServer({ ...https, ...timeouts }, handler)
        : createHttpServer(timeouts, handler);
    },
  }) as unknown as FastifyInstance;

  // Before the store opens: a failure here has nothing to close.
  const allowHost = hostAllower(config.allowedHosts);
  const clientAddress = clientAddressResolver(config.trustedProxies);
  const webDir = config.webDir === 'none' ? null : resolve(config.webDir ?? defaultWebDir());
  const indexHtml = webDir ? await readIndexHtml(webDir) : null;
  registerSecurityHeaders(app, {
    csp: contentSecurityPolicy(indexHtml ? inlineScriptHashes(indexHtml) : []),
  });
  app.addHook('onRequest', (request, reply, done) => {
    if (allowHost(request.headers.host)) {
      done();
      return;
    }
    void reply.code(403).send({
      error: 'forbidden_host',
      message: `this server does not answer to "${request.headers.host ?? ''}" (see --allowed-hosts)`,
    });
  });
  if (webDir && indexHtml !== null) {
    // @fastify/static needs an absolute root; --web-dir may be relative to the cwd.
    await registerWebApp(app, webDir, indexHtml);
  } else if (webDir) {
    app.log.warn(
      `no web app at ${webDir}: run "npm run build" (serving the API and signaling only)`,
    );
  }

  // Everything opened from here on is closed again, in reverse order, by `undo`.
  const undo: (() => Promise<void> | void)[] = [];
  const unwind = async (): Promise<void> => {
    for (const step of undo.splice(0).reverse()) {
      await step();
    }
  };
  try {
    const store =
      deps.store ??
      (await openStore({ dataDir: config.dataDir ?? './data', databaseUrl: config.databaseUrl }));
    if (!deps.store) {
      undo.push(() => store.close());
    }
    const metrics = new Metrics({ nodeId, processMetrics: deps.processMetrics ?? false });
    undo.push(() => metrics.close());
    const shared = await openClusterState(config, nodeId, app.log, (ms) => metrics.busLatency(ms));
    undo.push(() => shared.cluster.close());
    const delivery = new Delivery(shared.cluster);
    await delivery.start();
    undo.push(() => delivery.close());
    // What each feature holds in the shared state for this node: released by whichever
    // node outlives it, written back after Redis lost it, and released by this node
    // itself when it shuts down (after its sockets closed, before the cluster goes).
    const scoped: NodeScoped[] = [];
    shared.cluster.onNodeDead(async (nodeId) => {
      for (const f of scoped) {
        await f.releaseNode(nodeId);
      }
    });
    shared.cluster.onRestore(async () => {
      for (const f of scoped) {
        await f.restore();
      }
    });
    undo.push(async () => {
      for (const f of scoped) {
        await f.releaseNode(shared.cluster.nodeId).catch((err: unknown) => {
          app.log.error({ err }, "could not release this node's share of the cluster state");
        });
      }
    });
    // Janus: one connection and session per node, only with --sfu-url. It closes after
    // the sockets, whose rooms give their videorooms back.
    const sfu = config.sfuUrl
      ? new SfuService({
          url: config.sfuUrl,
          ...(config.sfuApiSecret === undefined ? {} : { apiSecret: config.sfuApiSecret }),
          ...(config.sfuAdminKey === undefined ? {} : { adminKey: config.sfuAdminKey }),
          stringIds: config.sfuStringIds,
          maxPublishers: config.maxRoomSize,
          keyframeIntervalS: config.sfuKeyframeInterval,
          directory: shared.sfuRooms,
          log: app.log,
        })
      : null;
    if (sfu) {
      undo.push(() => sfu.close());
    }
    // HTTP stops once the sockets are closed, before the shared state and the database.
    undo.push(() => app.close());
    const gateway = new Gateway(config, app.log, metrics);
    undo.push(() => gateway.close());
    gateway.addHooks({
      sessionStarting: (s) => delivery.add(s),
      sessionEnded: (s) => delivery.remove(s),
    });

    const ice = deps.ice ?? new ConfiguredIceServers(config);
    const iceRefresher = new IceRefresher(gateway, ice, (s) => seatOf(s) !== undefined);
    undo.push(() => iceRefresher.close());
    const chat = registerChat(
      gateway,
      (session) => {
        const seat = seatOf(session);
        return seat && { room: seat.roomId, peerId: seat.peerId, name: seat.member.name };
      },
      delivery,
      shared.sequencer,
      meterChatWrites(new KyselyChatStore(store.db), () => metrics.chatWrite()),
      config,
      app.log,
    );
    undo.push(() => chat.close());
    const media = registerMediaHandlers(gateway, delivery, {
      sfu,
      directory: shared.sfuRooms,
      meshMax: config.meshMax,
      ...(deps.sfuRetireAfterMs === undefined ? {} : { retireAfterMs: deps.sfuRetireAfterMs }),
      roomSize: async (roomId) => (await shared.rooms.members(roomId)).length,
      meshFallbackMax: Math.min(MESH_FALLBACK_MAX, config.maxRoomSize),
      log: app.log,
    });
    undo.push(() => media.close());
    sfu?.start();
    // Meet and the board each refuse while the other holds the person: they ask each other.
    const meet: MeetFeature = registerMeet(
      gateway,
      shared.meet,
      shared.grants,
      delivery,
      new MeetStore(store.db),
      {
        enabled: config.meetEnabled,
        anyoneAfterMs: config.meetAnyoneAfterMs,
        skipMs: config.meetSkipMs,
        nextIntervalMs: config.meetNextIntervalMs,
        joinTimeoutMs: config.meetJoinTimeoutMs,
        pairIntervalMs: config.meetPairIntervalMs,
        queuePushMs: config.meetQueuePushMs,
        scanLimit: config.meetScanLimit,
        grantTtlMs: config.pairRoomGrantTtlMs,
        // `board` is wired just below; neither asks before the server takes messages.
        hasOpenPosts: (id) => board.hasOpenPosts(id),
        log: app.log,
      },
    );
    undo.push(() => meet.close());
    const board: BoardFeature = registerBoard(gateway, shared.board, shared.grants, delivery, {
      enabled: config.boardEnabled,
      postTtlMs: config.boardPostTtlMs,
      maxPostsPerPerson: config.boardMaxPostsPerPerson,
      maxPosts: config.boardMaxPosts,
      maxTopicLength: Math.min(config.boardMaxTopicLength, BOARD_TOPIC_MAX),
      grantTtlMs: config.pairRoomGrantTtlMs,
      inMeet: (id) => meet.isInMeet(id),
      log: app.log,
    });
    undo.push(() => board.close());
    const rooms = registerRoomHandlers(
      gateway,
      shared.cluster.nodeId,
      shared.rooms,
      delivery,
      ice,
      {
        maxRoomSize: config.maxRoomSize,
        iceTransportPolicy: config.iceTransportPolicy,
        uplinkBudgetKbps: config.uplinkBudgetKbps,
        data: { maxBytes: config.roomDataMaxBytes, bytesPerSecond: config.roomDataRate },
        onIceGrant: (s, grant) => iceRefresher.track(s, grant),
        afterJoin: (session, roomId) => {
          chat.afterJoin(session, roomId);
          meet.afterJoin(session, roomId);
        },
        access: privateRoomPolicy(shared.grants),
        hosts: {
          controls: shared.roomControls,
          bus: shared.cluster.bus,
          lobbyMax: config.lobbyMax,
          passwordAttempts: shared.limiter(
            'room-password',
            config.roomPasswordAttempts,
            config.roomPasswordWindowMs,
          ),
        },
        media,
        log: app.log,
      },
    );
    const direct = await wireSignedInFeatures(app, gateway, config, {
      ice,
      db: store.db,
      shared,
      delivery,
      log: app.log,
      onCallEnded: (reason) => metrics.callEnded(reason),
    });
    undo.push(() => direct.close());
    scoped.push(rooms, direct.presence, direct.calls, meet, board);

    app.server.on('upgrade', (req, socket, head) => {
      const path = (req.url ?? '').split('?')[0];
      if (path === '/ws' && !allowHost(req.headers.host)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      } else if (path === '/ws') {
        // The session cookie (if any) signs the socket in; without one it is a guest.
        direct.sockets.authenticateUpgrade(req).then(
          (init) => gateway.handleUpgrade(req, socket, head, init, clientAddress(req)),
          () => socket.destroy(),
        );
      } else {
        socket.destroy();
      }
    });

    // Per node, so that a sum over the nodes is the cluster's figure.
    metrics.setCollector('connections', () => gateway.connectionCount);
    metrics.setCollector('sessions', () => gateway.sessionCount);
    metrics.setCollector('rooms', () => delivery.localRoomCount);
    metrics.setCollector('seats', () => {
      let seats = 0;
      for (const session of gateway.allSessions()) {
        seats += seatOf(session) ? 1 : 0;
      }
      return seats;
    });
    const readiness = new Readiness();
    readiness.add('database', databaseCheck(store.db));
    readiness.add('cluster', () => shared.cluster.ready);
    readiness.add('draining', () => !gateway.isDraining);
    if (sfu) {
      // Not a failing check: mesh rooms work while Janus is down (docs/SFU.md).
      readiness.addDegrading('sfu', () => sfu.available);
      metrics.setCollector('sfu_up', () => (sfu.available ? 1 : 0));
    }
    registerHealthRoutes(app, {
      alive: () => ({ node: nodeId, sessions: gateway.sessionCount }),
      readiness,
      metrics,
    });

    let url = '';
    let closing: Promise<void> | null = null;
    let draining: Promise<void> | null = null;
    const server: ParleyServer = {
      app,
      gateway,
      config,
      shared,
      store,
      direct,
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
          // Calls end (both sides hear it) and history is written before the sockets go;
          // then HTTP, this node's share of the cluster state, the cluster and the
          // database, in reverse order of opening.
          await unwind();
        })();
        return closing;
      },
    };
    return server;
  } catch (err) {
    await unwind();
    throw err;
  }
}
