import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { PROTOCOL_VERSION, type ServerMessage, type ServerMessageMap } from '@parley/protocol';
import {
  ConfigError,
  createServer,
  KyselyChatStore,
  loadConfig,
  openStore,
  type Config,
  type ParleyServer,
} from '../src/index.js';
import { ChatService } from '../src/chat/index.js';
import { LocalSequencer } from '../src/cluster/sequencer.js';
import { describeDeployments, type DeploymentContext } from './store-backends.js';
import { startServer } from './helpers.js';

/** A raw protocol client: what a browser tab does, minus the SDK. */
class WireClient {
  readonly received: ServerMessage[] = [];
  private waiters: Array<{
    test: (m: ServerMessage) => boolean;
    resolve: (m: ServerMessage) => void;
  }> = [];
  private rid = 0;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as ServerMessage;
      this.received.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (w.test(m)) {
          w.resolve(m);
          return false;
        }
        return true;
      });
    });
  }

  static async connect(url: string): Promise<WireClient> {
    const ws = new WebSocket(url);
    const client = new WireClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    client.send({ type: 'hello', v: PROTOCOL_VERSION });
    await client.next('welcome');
    return client;
  }

  send(message: object): void {
    this.ws.send(JSON.stringify(message));
  }

  /** The next (or an already received, unclaimed-by-index) message of a type matching `test`. */
  next<T extends keyof ServerMessageMap>(
    type: T,
    test: (m: ServerMessageMap[T]) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<ServerMessageMap[T]> {
    const match = (m: ServerMessage): boolean => m.type === type && test(m as ServerMessageMap[T]);
    const already = this.received.find(match);
    if (already) {
      return Promise.resolve(already as ServerMessageMap[T]);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${type}`)), timeoutMs);
      this.waiters.push({
        test: match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as ServerMessageMap[T]);
        },
      });
    });
  }

  /** Send with a fresh rid and wait for the reply (or error) carrying it. */
  async request<T extends keyof ServerMessageMap>(
    message: object,
    type: T,
  ): Promise<ServerMessageMap[T] | ServerMessageMap['error']> {
    const rid = `q${++this.rid}`;
    const reply = new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${rid}`)), 5000);
      this.waiters.push({
        test: (m) => 'rid' in m && m.rid === rid,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
    this.send({ ...message, rid });
    const m = await reply;
    if (m.type !== type && m.type !== 'error') {
      throw new Error(`expected ${type}, got ${m.type}`);
    }
    return m as ServerMessageMap[T] | ServerMessageMap['error'];
  }

  async join(
    room: string,
    name: string,
  ): Promise<{ self: string; history: ServerMessageMap['chat-history'] }> {
    const history = this.next(
      'chat-history',
      (m) => m.direction === 'latest' && m.rid === undefined,
    );
    const joined = await this.request(
      { type: 'join', room, name, media: { audio: false, video: false } },
      'joined',
    );
    if (joined.type !== 'joined') {
      throw new Error(`join failed: ${joined.message}`);
    }
    return { self: joined.self, history: await history };
  }

  chats(): ServerMessageMap['chat-message'][] {
    return this.received.filter(
      (m): m is ServerMessageMap['chat-message'] => m.type === 'chat-message',
    );
  }

  close(): void {
    this.ws.close(1000);
  }
}

const servers: ParleyServer[] = [];
const clients: WireClient[] = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(
  backend: DeploymentContext,
  over: Partial<Config> = {},
): Promise<ParleyServer> {
  const server = await startServer({ ...backend.options(), ...over });
  servers.push(server);
  return server;
}

async function connect(server: ParleyServer): Promise<WireClient> {
  const c = await WireClient.connect(server.wsUrl);
  clients.push(c);
  return c;
}

let roomCounter = 0;
const freshRoom = (): string => `room${Date.now().toString(36)}${++roomCounter}`;
const send = (c: WireClient, clientId: string, text: string) =>
  c.request({ type: 'chat-send', clientId, text }, 'chat-message');

describeDeployments('chat', (backend) => {
  it('delivers to everyone in the room in one order, stamped by the server', async () => {
    const server = await start(backend, { chatRateLimit: 1000 });
    const room = freshRoom();
    const [a, b, c] = await Promise.all([connect(server), connect(server), connect(server)]);
    const other = await connect(server);
    const ja = await a.join(room, 'Ada');
    const jb = await b.join(room, 'Bob');
    await c.join(room, 'Cy');
    await other.join(freshRoom(), 'Elsewhere');
    const sent = [];
    for (let i = 0; i < 10; i++) {
      sent.push(send(i % 2 ? a : b, `id${i}`, `  msg ${i}  `));
    }
    const replies = await Promise.all(sent);
    // Posts race from two nodes, so the last sent is not always the last stored: wait
    // for all ten, then check that everyone saw them in the one stored order.
    await vi.waitFor(() => expect(c.chats()).toHaveLength(10));
    const seen = (x: WireClient) => x.chats().map((m) => m.message.seq);
    // Everyone sees the same order; the senders' own copies included.
    const order = seen(c);
    expect(order).toHaveLength(10);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    await vi.waitFor(() => expect(a.chats()).toHaveLength(10));
    await vi.waitFor(() => expect(b.chats()).toHaveLength(10));
    expect(seen(a)).toEqual(order);
    expect(seen(b)).toEqual(order);
    const byClient = new Map(c.chats().map((m) => [m.message.clientId, m.message]));
    expect(byClient.get('id1')).toMatchObject({ from: ja.self, name: 'Ada', text: 'msg 1', room });
    expect(byClient.get('id0')).toMatchObject({ from: jb.self, name: 'Bob', text: 'msg 0' });
    for (const r of replies) {
      expect(r.type).toBe('chat-message');
    }
    // Nothing leaks to another room.
    expect(other.chats()).toHaveLength(0);
  });

  it('ignores what the client claims about sender, room or time', async () => {
    const server = await start(backend);
    const room = freshRoom();
    const [a, b] = await Promise.all([connect(server), connect(server)]);
    const ja = await a.join(room, 'Mallory');
    const jb = await b.join(room, 'Alice');
    const before = Date.now();
    const reply = await a.request(
      {
        type: 'chat-send',
        clientId: 'spoof',
        text: 'I am Alice',
        from: jb.self,
        name: 'Alice',
        room: 'another-room',
        ts: 1,
        seq: 1,
        id: 'forged',
      },
      'chat-message',
    );
    expect(reply.type).toBe('chat-message');
    const got = await b.next('chat-message', (m) => m.message.clientId === 'spoof');
    expect(got.message.from).toBe(ja.self);
    expect(got.message.name).toBe('Mallory');
    expect(got.message.room).toBe(room);
    expect(got.message.id).not.toBe('forged');
    expect(got.message.ts).toBeGreaterThanOrEqual(before);
    // Not in a room: refused.
    const outsider = await connect(server);
    const refused = await outsider.request(
      { type: 'chat-send', clientId: 'x', text: 'hi' },
      'chat-message',
    );
    expect(refused).toMatchObject({ type: 'error', code: 'not_joined' });
  });

  it('stores a resend once and answers it with the stored message', async () => {
    const server = await start(backend);
    const room = freshRoom();
    const [a, b] = await Promise.all([connect(server), connect(server)]);
    await a.join(room, 'Ada');
    await b.join(room, 'Bob');
    const first = await send(a, 'same-id', 'once');
    const again = await send(a, 'same-id', 'once');
    expect(again.type === 'chat-message' && again.message).toEqual(
      first.type === 'chat-message' && first.message,
    );
    // A fresh connection (new peer id after a lost session) resending it: still one message.
    const a2 = await connect(server);
    await a2.join(room, 'Ada');
    const third = await send(a2, 'same-id', 'once');
    expect(third.type === 'chat-message' && first.type === 'chat-message' && third.message.id).toBe(
      first.type === 'chat-message' && first.message.id,
    );
    await send(a, 'marker', 'after');
    await b.next('chat-message', (m) => m.message.clientId === 'marker');
    expect(b.chats().filter((m) => m.message.clientId === 'same-id')).toHaveLength(1);
    const page = await b.request({ type: 'chat-history' }, 'chat-history');
    expect(page.type === 'chat-history' && page.messages.map((m) => m.clientId)).toEqual([
      'same-id',
      'marker',
    ]);
  });

  it('refuses empty and too long messages with a stable code, and stores nothing', async () => {
    const server = await start(backend, { chatMaxLength: 4000 });
    const room = freshRoom();
    const a = await connect(server);
    await a.join(room, 'Ada');
    expect(await send(a, 'e1', '   \n\t ')).toMatchObject({ type: 'error', code: 'empty_message' });
    expect(await send(a, 'e2', 'x'.repeat(4001))).toMatchObject({
      type: 'error',
      code: 'message_too_long',
    });
    // 4000 after trimming is fine, and an emoji counts as one character.
    const ok = await send(a, 'e3', `  ${'x'.repeat(3999)}🎉  `);
    expect(ok.type).toBe('chat-message');
    expect(ok.type === 'chat-message' && ok.message.text.length).toBe(4001);
    // A frame that fails validation has no readable rid: the error names its type instead.
    a.send({ type: 'chat-send', clientId: 'bad id!', text: 'hi' });
    expect(await a.next('error', (m) => m.of === 'chat-send' && m.rid === undefined)).toMatchObject(
      {
        code: 'bad_message',
      },
    );
    const page = await a.request({ type: 'chat-history' }, 'chat-history');
    expect(page.type === 'chat-history' && page.messages.map((m) => m.clientId)).toEqual(['e3']);
  });

  it('limits one address over all its connections, and one room over everyone in it', async () => {
    // Issue #13: anonymous posts were limited per connection only, so opening more
    // sockets multiplied the rate at which one client could grow the database.
    const server = await start(backend, {
      chatRateLimit: 1000,
      chatRatePerAddress: 3,
      chatRatePerRoom: 1000,
    });
    const room = freshRoom();
    const sockets = await Promise.all([1, 2, 3, 4].map(() => connect(server)));
    for (const [i, c] of sockets.entries()) {
      await c.join(room, `Sock${i}`);
    }
    // The buckets are per node: with two nodes, each lets its own burst through.
    const nodes = backend.nodes;
    const replies = await Promise.all(
      Array.from({ length: 32 }, (_, i) => send(sockets[i % 4]!, `a${i}`, `flood ${i}`)),
    );
    const accepted = replies.filter((r) => r.type === 'chat-message').length;
    // A burst of twice the rate, plus what refills while the frames are handled.
    expect(accepted).toBeGreaterThanOrEqual(6);
    expect(accepted).toBeLessThanOrEqual(6 * nodes + 4);
    expect(replies.filter((r) => r.type === 'error' && r.code === 'rate_limited').length).toBe(
      32 - accepted,
    );

    const busy = await start(backend, {
      chatRateLimit: 1000,
      chatRatePerAddress: 1000,
      chatRatePerRoom: 2,
      // A second server in this test: node ids of its own (a node id is a lease).
      nodeId: 'busy',
    });
    const crowded = freshRoom();
    const people = await Promise.all([1, 2, 3].map(() => connect(busy)));
    for (const [i, c] of people.entries()) {
      await c.join(crowded, `P${i}`);
    }
    const quiet = await connect(busy);
    await quiet.join(freshRoom(), 'Elsewhere');
    const many = await Promise.all(
      Array.from({ length: 24 }, (_, i) => send(people[i % 3]!, `c${i}`, `busy ${i}`)),
    );
    expect(many.filter((r) => r.type === 'chat-message').length).toBeLessThanOrEqual(4 * nodes + 4);
    // Another room is not held back by this one.
    expect((await send(quiet, 'q', 'hello')).type).toBe('chat-message');
  });

  it('rate-limits each connection and stores only what it accepted', async () => {
    const server = await start(backend, { chatRateLimit: 2 });
    const room = freshRoom();
    const [a, b] = await Promise.all([connect(server), connect(server)]);
    await a.join(room, 'Spammer');
    await b.join(room, 'Calm');
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) => send(a, `r${i}`, `spam ${i}`)),
    );
    const accepted = replies.filter((r) => r.type === 'chat-message');
    const limited = replies.filter((r) => r.type === 'error' && r.code === 'rate_limited');
    expect(accepted.length).toBeGreaterThanOrEqual(4);
    expect(accepted.length).toBeLessThan(12);
    expect(accepted.length + limited.length).toBe(12);
    // Another connection is not affected.
    expect((await send(b, 'calm', 'hello')).type).toBe('chat-message');
    const page = await b.request({ type: 'chat-history', limit: 50 }, 'chat-history');
    expect(page.type === 'chat-history' && page.messages.length).toBe(accepted.length + 1);
  });

  it('pushes the latest page after joining and pages back and forth by cursor', async () => {
    const server = await start(backend, {
      chatRateLimit: 10_000,
      chatRatePerAddress: 10_000,
      chatRatePerRoom: 10_000,
    });
    const room = freshRoom();
    const a = await connect(server);
    const first = await a.join(room, 'Ada');
    expect(first.history.messages).toEqual([]);
    expect(first.history.limits).toEqual({
      maxLength: 4000,
      ratePerSecond: 10_000,
      fileMaxBytes: 100 * 1024 * 1024,
      // The defaults: a month, 5,000 messages (rooms are open to anyone with the link).
      retentionDays: 30,
      retentionMessages: 5000,
    });
    for (let i = 0; i < 120; i++) {
      await send(a, `p${i}`, `m${i}`);
    }
    const late = await connect(server);
    const { history } = await late.join(room, 'Late');
    expect(history.messages.map((m) => m.text)).toEqual(
      Array.from({ length: 50 }, (_, i) => `m${70 + i}`),
    );
    expect(history.hasMore).toBe(true);
    const older = await late.request(
      { type: 'chat-history', beforeSeq: history.messages[0]!.seq, limit: 60 },
      'chat-history',
    );
    if (older.type !== 'chat-history') {
      throw new Error(older.message);
    }
    expect(older.direction).toBe('before');
    expect(older.messages.map((m) => m.text)).toEqual(
      Array.from({ length: 60 }, (_, i) => `m${10 + i}`),
    );
    expect(older.hasMore).toBe(true);
    const caughtUp = await late.request(
      { type: 'chat-history', afterSeq: history.messages[44]!.seq },
      'chat-history',
    );
    expect(caughtUp.type === 'chat-history' && caughtUp.messages.map((m) => m.text)).toEqual([
      'm115',
      'm116',
      'm117',
      'm118',
      'm119',
    ]);
    late.send({ type: 'chat-history', limit: 500 });
    expect(await late.next('error', (m) => m.of === 'chat-history')).toMatchObject({
      code: 'bad_message',
    });
  });

  it('keeps history across a server restart and applies retention per room', async () => {
    const room = freshRoom();
    const s1 = await start(backend, { chatRetentionMessages: 3 });
    const a = await connect(s1);
    await a.join(room, 'Ada');
    for (let i = 0; i < 5; i++) {
      await send(a, `k${i}`, `kept? ${i}`);
    }
    a.close();
    await s1.close();
    const s2 = await start(backend);
    const b = await connect(s2);
    const { history } = await b.join(room, 'Bob');
    expect(history.messages.map((m) => m.text)).toEqual(['kept? 2', 'kept? 3', 'kept? 4']);
  });

  it('gives rooms listed in --chat-retention-rooms their own policy', async () => {
    const server = await start(backend, { chatRetentionRooms: ['tiny:0:2'] });
    const [a, b] = await Promise.all([connect(server), connect(server)]);
    await a.join('tiny', 'Ada');
    const other = freshRoom();
    await b.join(other, 'Bob');
    for (let i = 0; i < 4; i++) {
      await send(a, `t${i}`, `tiny ${i}`);
      await send(b, `o${i}`, `other ${i}`);
    }
    const tiny = await a.request({ type: 'chat-history' }, 'chat-history');
    expect(tiny.type === 'chat-history' && tiny.messages.map((m) => m.text)).toEqual([
      'tiny 2',
      'tiny 3',
    ]);
    const rest = await b.request({ type: 'chat-history' }, 'chat-history');
    expect(rest.type === 'chat-history' && rest.messages).toHaveLength(4);
  });

  it('sweeps expired messages of rooms nobody writes in any more', async () => {
    const store = await openStore(backend.options());
    try {
      let now = 1_000_000;
      const day = 86_400_000;
      const service = new ChatService(
        new KyselyChatStore(store.db),
        {
          maxLength: 100,
          historySize: 50,
          ratePerSecond: 5,
          ratePerAddress: 10,
          ratePerRoom: 20,
          fileMaxBytes: 1,
          retention: { maxAgeMs: 7 * day, maxMessages: 0 },
          roomRetention: new Map([['forever', { maxAgeMs: 0, maxMessages: 0 }]]),
        },
        new LocalSequencer(),
        () => now,
      );
      const room = freshRoom();
      await service.post({ room, peerId: 'p', name: 'Ada' }, 'old', 'old news');
      await service.post({ room: 'forever', peerId: 'p', name: 'Ada' }, 'kept', 'kept');
      now += 8 * day;
      await service.post({ room, peerId: 'p', name: 'Ada' }, 'new', 'fresh');
      await service.sweep();
      expect((await service.history(room, { limit: 10 })).messages.map((m) => m.text)).toEqual([
        'fresh',
      ]);
      expect((await service.history('forever', { limit: 10 })).messages).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('relays typing to the others in the room only', async () => {
    const server = await start(backend);
    const room = freshRoom();
    const [a, b] = await Promise.all([connect(server), connect(server)]);
    const ja = await a.join(room, 'Ada');
    await b.join(room, 'Bob');
    a.send({ type: 'chat-typing', typing: true });
    const t = await b.next('chat-typing');
    expect(t).toEqual({ type: 'chat-typing', from: ja.self, name: 'Ada', typing: true });
    expect(a.received.some((m) => m.type === 'chat-typing')).toBe(false);
    // Repeats within a second are not relayed; a change is, at once.
    for (let i = 0; i < 5; i++) {
      a.send({ type: 'chat-typing', typing: true });
    }
    a.send({ type: 'chat-typing', typing: false });
    await b.next('chat-typing', (m) => !m.typing);
    expect(b.received.filter((m) => m.type === 'chat-typing')).toHaveLength(2);
  });
});

describe('chat configuration', () => {
  it('refuses a malformed per-room retention before opening anything', async () => {
    await expect(
      createServer(
        loadConfig(
          [],
          {},
          { port: 0, webDir: 'none', dataDir: ':memory:', chatRetentionRooms: ['oops'] },
        ),
      ),
    ).rejects.toThrow(ConfigError);
  });
});

describe('chat without a database file', () => {
  it('runs on an in-memory SQLite with --data-dir :memory:', async () => {
    const server = await start({ dialect: 'sqlite', options: () => ({ dataDir: ':memory:' }) });
    expect(server.store.location).toBe(':memory:');
    const a = await connect(server);
    await a.join(freshRoom(), 'Ada');
    expect((await send(a, 'm', 'hi')).type).toBe('chat-message');
  });
});
