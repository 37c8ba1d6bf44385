import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SignalingClient, type WebSocketLike } from './signaling-client.js';

/** A socket the test drives: it records what the client does with it. */
class FakeSocket implements WebSocketLike {
  readyState = 0;
  sent: string[] = [];
  closedWith: number | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(data);
  }
  close(code?: number): void {
    this.closedWith = code ?? 1000;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: object): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  welcome(resumed = false): void {
    this.receive({
      type: 'welcome',
      v: 1,
      sessionId: 's',
      resumeToken: 't',
      resumeGraceMs: 1000,
      resumed,
      limits: { maxMessageBytes: 65536, maxRoomSize: 6 },
      heartbeatMs: 10_000,
    });
  }
}

let sockets: FakeSocket[] = [];
beforeEach(() => {
  vi.useFakeTimers();
  sockets = [];
});
afterEach(() => {
  vi.useRealTimers();
});

function client(url: string | string[]): SignalingClient {
  return new SignalingClient({
    url,
    // A minute of backoff: whatever happens sooner did not wait for it.
    reconnect: { nextDelayMs: () => 60_000 },
    silenceMs: false,
    createSocket: (u) => {
      const s = new FakeSocket(u);
      sockets.push(s);
      return s;
    },
  });
}

async function connected(c: SignalingClient): Promise<FakeSocket> {
  const done = c.connect();
  const s = sockets.at(-1) as FakeSocket;
  s.open();
  s.welcome();
  await done;
  return s;
}

describe('SignalingClient addresses', () => {
  it('on server-draining closes with 4005 and opens the next address without backoff', async () => {
    const c = client(['ws://a/ws', 'ws://b/ws']);
    const a = await connected(c);
    a.receive({ type: 'server-draining' });
    expect(a.closedWith).toBe(4005);
    expect(c.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(0);
    const b = sockets.at(-1) as FakeSocket;
    expect(b.url).toBe('ws://b/ws');
    b.open();
    expect(JSON.parse(b.sent[0] as string)).toMatchObject({ type: 'hello', resume: 't' });
    c.close();
  });

  it('with one address, reconnects to it; retryAfterMs spreads the reconnect', async () => {
    const c = client('ws://lb/ws');
    const first = await connected(c);
    first.receive({ type: 'server-draining', retryAfterMs: 1000 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(sockets).toHaveLength(2);
    expect(sockets[1]?.url).toBe('ws://lb/ws');
    c.close();
  });

  it('a lost socket retries its own node first (to resume), a failed attempt the next', async () => {
    const c = client(['ws://a/ws', 'ws://b/ws']);
    const a = await connected(c);
    a.onclose?.({ code: 1006, reason: '' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets[1]?.url).toBe('ws://a/ws');
    sockets[1]?.onclose?.({ code: 1006, reason: '' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets[2]?.url).toBe('ws://b/ws');
    c.close();
  });

  it('leaves a server that shuts down (4002) for the next address', async () => {
    const c = client(['ws://a/ws', 'ws://b/ws']);
    const a = await connected(c);
    a.onclose?.({ code: 4002, reason: 'server shutting down' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets[1]?.url).toBe('ws://b/ws');
    c.close();
  });
});

describe('SignalingClient while connecting', () => {
  const frames = (s: FakeSocket): Array<{ type: string; rid?: string; media?: unknown }> =>
    s.sent.map((f) => JSON.parse(f) as { type: string; rid?: string });

  it('writes what was sent before the socket opened right behind hello, once, in order', async () => {
    const c = client('ws://a/ws');
    const done = c.connect();
    const joined = c.request(
      { type: 'join', room: 'r', name: 'Ana', media: { audio: true, video: true } },
      'joined',
    );
    c.send({ type: 'media-state', media: { audio: false, video: true } });
    const s = sockets[0] as FakeSocket;
    expect(s.sent).toEqual([]);
    s.open();
    // Sent after hello but before welcome: goes out at once, behind the others.
    c.send({ type: 'media-state', media: { audio: true, video: true } });
    expect(frames(s).map((f) => f.type)).toEqual(['hello', 'join', 'media-state', 'media-state']);
    s.welcome();
    await done;
    const rid = frames(s)[1]?.rid;
    s.receive({
      type: 'joined',
      room: 'r',
      self: 'p1',
      peers: [],
      iceServers: [],
      maxPeers: 6,
      rid,
    });
    await expect(joined).resolves.toMatchObject({ type: 'joined', self: 'p1' });
    c.send({ type: 'media-state', media: { audio: false, video: false } });
    // Nothing written twice: the queue emptied when the server took the socket.
    expect(frames(s).map((f) => f.type)).toEqual([
      'hello',
      'join',
      'media-state',
      'media-state',
      'media-state',
    ]);
    c.close();
  });

  it('past outboxLimit, send throws outbox_full and a request rejects with it', async () => {
    const c = new SignalingClient({
      url: 'ws://a/ws',
      outboxLimit: 2,
      silenceMs: false,
      createSocket: (u) => {
        const s = new FakeSocket(u);
        sockets.push(s);
        return s;
      },
    });
    const done = c.connect();
    c.send({ type: 'ping' });
    c.send({ type: 'ping' });
    expect(() => c.send({ type: 'ping' })).toThrow(
      expect.objectContaining({ code: 'outbox_full' }),
    );
    await expect(c.request({ type: 'leave' }, 'left')).rejects.toMatchObject({
      code: 'outbox_full',
    });
    const s = sockets[0] as FakeSocket;
    s.open();
    expect(frames(s).map((f) => f.type)).toEqual(['hello', 'ping', 'ping']);
    s.welcome();
    await done;
    c.close();
  });

  it('a first connection that fails rejects the requests queued for it at once', async () => {
    const c = client('ws://a/ws');
    const done = c.connect();
    const joined = c.request(
      { type: 'join', room: 'r', name: 'Ana', media: { audio: true, video: true } },
      'joined',
    );
    sockets[0]?.onclose?.({ code: 1006, reason: '' });
    await expect(done).rejects.toMatchObject({ code: 'connection_closed' });
    await expect(joined).rejects.toMatchObject({ code: 'connection_closed' });
    expect(c.state).toBe('idle');
  });

  it('a hello that came too late opens a fresh socket, a few times, then gives up', async () => {
    // A starved tab sent its hello after the server's deadline: the server is there, so
    // try again rather than show "unreachable"; but not forever.
    const c = client('ws://a/ws');
    const done = c.connect();
    for (let attempt = 0; attempt < 3; attempt++) {
      const s = sockets.at(-1) as FakeSocket;
      s.open();
      s.onclose?.({ code: 1008, reason: 'hello_timeout' });
    }
    expect(sockets).toHaveLength(4);
    const last = sockets[3] as FakeSocket;
    last.open();
    expect(frames(last).map((f) => f.type)).toEqual(['hello']);
    last.onclose?.({ code: 1008, reason: 'hello_timeout' });
    await expect(done).rejects.toMatchObject({ code: 'connection_closed' });
    expect(sockets).toHaveLength(4);

    const again = client('ws://a/ws');
    const ok = again.connect();
    (sockets.at(-1) as FakeSocket).onclose?.({ code: 1008, reason: 'hello_timeout' });
    const fresh = sockets.at(-1) as FakeSocket;
    fresh.open();
    fresh.welcome();
    await ok;
    expect(again.state).toBe('open');
    again.close();
  });

  it('a request queued while connecting counts its timeout from the open socket', async () => {
    const c = new SignalingClient({
      url: 'ws://a/ws',
      requestTimeoutMs: 1_000,
      silenceMs: false,
      createSocket: (u) => {
        const s = new FakeSocket(u);
        sockets.push(s);
        return s;
      },
    });
    const done = c.connect();
    let outcome = 'pending';
    const left = c.request({ type: 'leave' }, 'left').then(
      () => (outcome = 'answered'),
      (e: { code: string }) => (outcome = e.code),
    );
    // A slow socket: three times the request's budget before it opens.
    await vi.advanceTimersByTimeAsync(3_000);
    expect(outcome).toBe('pending');
    const s = sockets[0] as FakeSocket;
    s.open();
    s.welcome();
    await done;
    await vi.advanceTimersByTimeAsync(999);
    expect(outcome).toBe('pending');
    await vi.advanceTimersByTimeAsync(2);
    await left;
    expect(outcome).toBe('timeout');
    c.close();
  });

  it('carries the queue again on the socket that replaces an early one closed before welcome', async () => {
    const early = new FakeSocket('ws://a/ws');
    early.readyState = 1;
    const made: FakeSocket[] = [];
    const c = new SignalingClient({
      url: 'ws://a/ws',
      silenceMs: false,
      createSocket: (u) => {
        const s = made.length === 0 ? early : new FakeSocket(u);
        made.push(s);
        return s;
      },
    });
    const done = c.connect();
    c.send({ type: 'media-state', media: { audio: false, video: false } });
    expect(frames(early).map((f) => f.type)).toEqual(['hello', 'media-state']);
    // The server's hello deadline closed it: it never took the frames.
    early.onclose?.({ code: 1008, reason: 'hello_timeout' });
    const fresh = made[1] as FakeSocket;
    fresh.open();
    expect(frames(fresh).map((f) => f.type)).toEqual(['hello', 'media-state']);
    fresh.welcome();
    await done;
    c.close();
  });
});
