import WebSocket from 'ws';
import { PROTOCOL_VERSION, type ServerMessage, type ServerMessageMap } from '@parley/protocol';

/**
 * A bare protocol client for integration tests: a real `ws` socket that records every
 * frame, so a test can assert both what arrived and what did not. Unlike `TestClient`
 * in ../helpers.ts, `hello` can carry a resume token and `next()` also finds messages
 * that arrived already: a resume delivers its buffer right behind `welcome`, before a
 * test could register a waiter.
 */
export class RawClient {
  readonly received: ServerMessage[] = [];
  private waiters: Array<() => void> = [];
  closeCode: number | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.received.push(JSON.parse(String(data)) as ServerMessage);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) {
      w();
    }
  }

  static async connect(url: string, resume?: string): Promise<RawClient> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const client = new RawClient(ws);
    client.send({ type: 'hello', v: PROTOCOL_VERSION, ...(resume ? { resume } : {}) });
    await client.next('welcome');
    return client;
  }

  send(message: object): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Messages of one type received so far. */
  all<T extends ServerMessage['type']>(type: T): ServerMessageMap[T][] {
    return this.received.filter((m) => m.type === type) as ServerMessageMap[T][];
  }

  /** The first message of `type` (matching `where`) not yet consumed by `next`. */
  async next<T extends ServerMessage['type']>(
    type: T,
    where: (m: ServerMessageMap[T]) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<ServerMessageMap[T]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.all(type).find((m) => !consumed.has(m) && where(m));
      if (found) {
        consumed.add(found);
        return found;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `no "${type}" within ${timeoutMs} ms; got ${this.received.map((m) => m.type).join(',')}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async join(room: string, name: string): Promise<ServerMessageMap['joined']> {
    this.send({ type: 'join', room, name, media: { audio: true, video: true } });
    return this.next('joined');
  }

  /** Drop the TCP connection without a close frame, as a network failure would. */
  kill(): void {
    this.ws.terminate();
  }

  close(): void {
    this.ws.close(1000);
  }
}

const consumed = new WeakSet<object>();

/** Wait for the server to have processed everything sent so far (a round trip). */
export function tick(ms = 100): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
