import WebSocket from 'ws';
import type { ServerMessage } from '@parley/protocol';
import { createServer, type ParleyServer } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';

/** A real server on a free port with test-friendly defaults. */
export async function startServer(overrides: Partial<Config> = {}): Promise<ParleyServer> {
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
