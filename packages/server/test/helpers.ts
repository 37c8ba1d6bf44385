import WebSocket from 'ws';
import type { ServerMessage } from '@parley/protocol';
import { createServer, type ParleyServer, type ServerDeps } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';

/** How many server nodes a test starts (several need redisUrl and databaseUrl). */
export interface NodeCount {
  nodes?: number;
}

/**
 * A real server on a free port with test-friendly defaults. With `nodes: 2` (and Redis
 * and PostgreSQL in the overrides), two nodes of one cluster that a suite uses as one
 * server: see `nodeGroup`.
 */
export async function startServer(
  overrides: Partial<Config> & NodeCount = {},
  deps: ServerDeps = {},
): Promise<ParleyServer> {
  const { nodes = 1, ...config } = overrides;
  if (nodes > 1) {
    const started = await Promise.all(
      Array.from({ length: nodes }, (_, i) =>
        startOne(
          {
            ...config,
            nodeId: `${config.nodeId ?? 'node'}-${String.fromCharCode(97 + i)}`,
          },
          deps,
        ),
      ),
    );
    return nodeGroup(started);
  }
  return startOne(config, deps);
}

/**
 * Several nodes seen as one server: every WebSocket URL read from it is the next
 * node's in turn, so the clients of a test alternate between nodes and every message
 * between two of them crosses the bus; HTTP and the directories are the first node's
 * (they are shared anyway). `nodes` gives the nodes themselves.
 */
export function nodeGroup(nodes: ParleyServer[]): ParleyServer & { nodes: ParleyServer[] } {
  const first = nodes[0] as ParleyServer;
  let next = 0;
  const group = Object.create(first) as ParleyServer & { nodes: ParleyServer[] };
  Object.defineProperties(group, {
    nodes: { value: nodes },
    wsUrl: {
      get: () => (nodes[next++ % nodes.length] as ParleyServer).wsUrl,
    },
    close: {
      value: async () => {
        await Promise.all(nodes.map((n) => n.close()));
      },
    },
  });
  return group;
}

async function startOne(overrides: Partial<Config>, deps: ServerDeps): Promise<ParleyServer> {
  const server = await createServer(
    loadConfig(
      [],
      {},
      {
        port: 0,
        host: '127.0.0.1',
        webDir: 'none',
        dataDir: ':memory:',
        logLevel: 'silent',
        ...overrides,
      },
    ),
    deps,
  );
  await server.listen();
  return server;
}

/**
 * A raw protocol client over a real `ws` socket: sends frames and waits for typed
 * messages, keeping everything it received so tests can assert on absence too.
 */
export class TestClient {
  readonly ws: WebSocket;
  readonly received: ServerMessage[] = [];
  private waiters: Array<{
    pred: (m: ServerMessage) => boolean;
    resolve: (m: ServerMessage) => void;
  }> = [];
  closed: Promise<{ code: number; reason: string }>;

  private constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as ServerMessage;
      this.received.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (w.pred(m)) {
          w.resolve(m);
          return false;
        }
        return true;
      });
    });
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  static async connect(server: ParleyServer, hello = true): Promise<TestClient> {
    const c = new TestClient(server.wsUrl);
    await new Promise<void>((resolve, reject) => {
      c.ws.once('open', () => resolve());
      c.ws.once('error', reject);
    });
    if (hello) {
      c.send({ type: 'hello', v: 1 });
      await c.next('welcome');
    }
    return c;
  }

  send(message: object): void {
    this.ws.send(JSON.stringify(message));
  }

  sendRaw(frame: string | Buffer): void {
    this.ws.send(frame);
  }

  /** The next message of `type` to arrive from now on (register before triggering it). */
  next<T extends ServerMessage['type']>(
    type: T,
    pred: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${type}`)), timeoutMs);
      this.waiters.push({
        pred: (m) => m.type === type && pred(m as Extract<ServerMessage, { type: T }>),
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<ServerMessage, { type: T }>);
        },
      });
    });
  }

  async join(room: string, name = 'Tester'): Promise<Extract<ServerMessage, { type: 'joined' }>> {
    const joined = this.next('joined');
    this.send({ type: 'join', room, name, media: { audio: true, video: true } });
    return joined;
  }

  /** Resolves after a round trip, so anything the server sent before it has arrived. */
  async settle(): Promise<void> {
    const rid = `settle-${Math.random()}`;
    const done = this.next('error', (m) => m.rid === rid);
    // A hello on a greeted connection is answered with already_greeted: a cheap echo.
    this.send({ type: 'hello', v: 1, rid });
    await done;
  }

  count(type: ServerMessage['type']): number {
    return this.received.filter((m) => m.type === type).length;
  }

  close(): void {
    this.ws.close(1000);
  }
}
