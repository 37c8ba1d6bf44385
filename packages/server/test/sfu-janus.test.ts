/**
 * The Janus client and the videoroom wrapper against a real Janus, started with the
 * configuration `parley janus-config` generates (test/support/janus.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  JanusClient,
  SfuError,
  VideoRoomAdmin,
  VideoRoomPublisher,
  VideoRoomSubscriber,
  type JanusClientOptions,
  type JanusClientState,
  type JanusSession,
} from '../src/sfu/index.js';
import {
  janusProblem,
  mediaKinds,
  publisherPeer,
  startParleyJanus,
  subscriberPeer,
  until,
  type NodePeer,
  type TestJanus,
} from './support/janus.js';

/** Janus's session watchdog looks every 2 s; 3 s makes the keepalive test quick. */
const SESSION_TIMEOUT_S = 3;

function expectSfuError(err: unknown, code: string): void {
  expect(err).toBeInstanceOf(SfuError);
  expect((err as SfuError).code, (err as Error).message).toBe(code);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe.skipIf(janusProblem !== null)('Janus with the generated configuration', () => {
  let janus: TestJanus;
  const clients: JanusClient[] = [];
  const peers: NodePeer[] = [];

  function client(options: Partial<JanusClientOptions> = {}): JanusClient {
    const c = new JanusClient({
      url: janus.url,
      apiSecret: janus.apiSecret,
      keepaliveMs: 1000,
      requestTimeoutMs: 5000,
      ...options,
    });
    clients.push(c);
    return c;
  }

  async function session(): Promise<JanusSession> {
    const c = client();
    await c.connect();
    return c.createSession();
  }

  beforeAll(async () => {
    janus = await startParleyJanus({ sessionTimeout: SESSION_TIMEOUT_S });
  });
  afterEach(async () => {
    peers.splice(0).forEach((p) => p.close());
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await janus?.process.dispose();
  });

  it('loads: only the WebSocket transport and the videoroom plugin, behind an API secret', async () => {
    const c = client();
    await c.connect();
    expect(c.state).toBe('open');
    const info = await c.info();
    expect(info['server-name']).toBe('parley-janus');
    expect(info.api_secret).toBe(true);
    expect(info['session-timeout']).toBe(SESSION_TIMEOUT_S);
    expect(Object.keys(info.plugins)).toEqual(['janus.plugin.videoroom']);
    expect(Object.keys(info.transports)).toEqual(['janus.transport.websockets']);
    const log = janus.process.log();
    expect(log).toContain('JANUS VideoRoom plugin initialized!');
    expect(log).not.toMatch(/\[ERR\]/);
  });

  it('refuses requests without the API secret, or with a wrong one', async () => {
    for (const apiSecret of [undefined, 'wrong']) {
      const c = client({ apiSecret });
      await c.connect();
      // `info` is the one request Janus answers without the secret.
      await c.info();
      const err = await rejection(c.createSession());
      expectSfuError(err, 'sfu_unauthorized');
      expect((err as SfuError).janusCode).toBe(403);
    }
    const s = await session();
    expect(s.id).toBeGreaterThan(0);
    await s.keepalive();
  });

  it('lets only holders of the admin key create rooms, and never lists them', async () => {
    const s = await session();
    const room = `room-${Date.now()}`;
    // Janus says 429 "Missing mandatory element (admin_key)" without a key, 433 for a
    // wrong one: both are sfu_unauthorized to us.
    for (const [adminKey, janusCode] of [
      [undefined, 429],
      ['wrong', 433],
    ] as const) {
      const intruder = await VideoRoomAdmin.attach(s, { adminKey });
      const err = await rejection(intruder.createRoom({ room, secret: 's', publishers: 4 }));
      expectSfuError(err, 'sfu_unauthorized');
      expect((err as SfuError).janusCode).toBe(janusCode);
      await intruder.close();
    }
    const admin = await VideoRoomAdmin.attach(s, { adminKey: janus.adminKey });
    expect(await admin.createRoom({ room, secret: 'room-secret', publishers: 4 })).toBe(room);
    // Private: a plain `list` shows nothing, not even to us without the admin key.
    const { data } = await admin.handle.message<{ list: unknown[] }>({ request: 'list' });
    expect(data.list).toEqual([]);
    await admin.destroyRoom(room, 'room-secret');
  });

  it('creates and destroys rooms, with our error codes for Janus refusals', async () => {
    const s = await session();
    const admin = await VideoRoomAdmin.attach(s, { adminKey: janus.adminKey });
    const room = `room-${Date.now()}`;
    const options = { room, secret: 'room-secret', pin: '1234', publishers: 8, bitrate: 300_000 };
    expect(await admin.exists(room)).toBe(false);
    await admin.createRoom(options);
    expect(await admin.exists(room)).toBe(true);
    expect(await admin.listParticipants(room)).toEqual([]);
    expectSfuError(await rejection(admin.createRoom(options)), 'sfu_room_exists');
    expectSfuError(await rejection(admin.destroyRoom(room, 'wrong')), 'sfu_unauthorized');
    await admin.destroyRoom(room, 'room-secret');
    expect(await admin.exists(room)).toBe(false);
    const err = await rejection(admin.destroyRoom(room, 'room-secret'));
    expectSfuError(err, 'sfu_no_such_room');
    expect((err as SfuError).janusCode).toBe(426);
    expectSfuError(await rejection(admin.listParticipants('nowhere')), 'sfu_no_such_room');
  });

  it('publishes a real offer, and a subscriber gets an offer for that feed', async () => {
    const s = await session();
    const admin = await VideoRoomAdmin.attach(s, { adminKey: janus.adminKey });
    const room = `room-${Date.now()}`;
    await admin.createRoom({ room, secret: 'room-secret', pin: '1234', publishers: 8 });

    const alice = await publisherPeer();
    peers.push(alice);
    const publisher = await VideoRoomPublisher.attach(s);
    let up = false;
    publisher.handle.on('webrtcup', () => (up = true));
    // Trickle: the offer goes first, the candidates after it (as a browser sends them).
    const joined = await publisher.joinAndConfigure({
      room,
      id: 'alice',
      display: 'Alice',
      pin: '1234',
      offer: alice.offer,
    });
    expect(joined.id).toBe('alice');
    expect(joined.publishers).toEqual([]);
    expect(joined.answer.type).toBe('answer');
    expect(mediaKinds(joined.answer.sdp)).toEqual(['audio', 'video']);
    expect(joined.answer.sdp).toMatch(/a=rtpmap:\d+ VP8\/90000/);
    expect(joined.answer.sdp).toMatch(/a=rtpmap:\d+ opus\/48000/);
    expect(await admin.listParticipants(room)).toEqual([
      expect.objectContaining({ id: 'alice', display: 'Alice' }),
    ]);

    await alice.pc.setRemoteDescription(joined.answer);
    await until(() => alice.candidates.at(-1) === null, 5000, 'local candidates');
    await publisher.trickle(alice.candidates.filter((c) => c !== null));
    await publisher.trickle(null);
    await until(() => up, 10_000, 'webrtcup of the publisher');
    expect(await admin.listParticipants(room)).toEqual([
      expect.objectContaining({ id: 'alice', publisher: true }),
    ]);

    // Someone else may not take Alice's id, nor join without the PIN. (A handle whose
    // join failed is spent: Janus set up ICE for its offer before the plugin refused.)
    for (const [attempt, code] of [
      [{ id: 'alice', pin: '1234' }, 'sfu_id_exists'],
      [{ id: 'eve' }, 'sfu_unauthorized'],
      [{ id: 'eve', pin: '0000' }, 'sfu_unauthorized'],
    ] as const) {
      const intruder = await VideoRoomPublisher.attach(s);
      const other = await publisherPeer();
      peers.push(other);
      expectSfuError(
        await rejection(intruder.joinAndConfigure({ room, ...attempt, offer: other.offer })),
        code,
      );
      await intruder.close();
    }

    const subscriber = await VideoRoomSubscriber.attach(s);
    const subscribed = await subscriber.subscribe({
      room,
      pin: '1234',
      streams: [{ feed: 'alice' }],
    });
    expect(subscribed.offer.type).toBe('offer');
    expect(mediaKinds(subscribed.offer.sdp)).toEqual(['audio', 'video']);
    expect(subscribed.streams.map((st) => [st.type, st.feedId, st.feedDisplay])).toEqual([
      ['audio', 'alice', 'Alice'],
      ['video', 'alice', 'Alice'],
    ]);
    const bob = await subscriberPeer(subscribed.offer);
    peers.push(bob);
    let subscriberUp = false;
    subscriber.handle.on('webrtcup', () => (subscriberUp = true));
    await subscriber.start(bob.answer);
    await until(() => bob.candidates.at(-1) === null, 5000, 'subscriber candidates');
    await subscriber.trickle(bob.candidates.filter((c) => c !== null));
    await until(() => subscriberUp, 10_000, 'webrtcup of the subscriber');

    // Simulcast layer choice per stream is accepted (this publisher does not simulcast).
    const videoMid = subscribed.streams.find((st) => st.type === 'video')?.mid as string;
    await subscriber.configure({ streams: [{ mid: videoMid, substream: 0, temporal: 0 }] });
    // Pausing one stream needs no new offer.
    expect(await subscriber.configure({ streams: [{ mid: videoMid, send: false }] })).toBe(
      undefined,
    );
    expectSfuError(
      await rejection(subscriber.update({ subscribe: [{ feed: 'nobody' }] })),
      'sfu_no_such_feed',
    );

    // Alice leaves: the subscriber hears of it from Janus (autoupdate, a new offer).
    const updated = new Promise<unknown[]>((resolve) =>
      subscriber.once('updated', (...args) => resolve(args)),
    );
    await publisher.unpublish();
    const [streams] = await updated;
    expect(streams).toEqual(expect.any(Array));
    await publisher.leave();
    expect(await admin.listParticipants(room)).toEqual([]);
    await admin.destroyRoom(room, 'room-secret');
  });

  it("keeps a session alive past Janus's session timeout, which ends a silent one", async () => {
    const kept = await session();
    const silent = await (async () => {
      const c = client({ keepaliveMs: 60_000 });
      await c.connect();
      return c.createSession();
    })();
    let silentEnd: string | null = null;
    silent.on('closed', (reason) => (silentEnd = reason));
    await until(
      () => silentEnd !== null,
      (SESSION_TIMEOUT_S + 4) * 1000,
      'the silent session to time out',
    );
    expect(silentEnd).toBe('timeout');
    expect(kept.endReason).toBe(null);
    await kept.keepalive();
    const admin = await VideoRoomAdmin.attach(kept, { adminKey: janus.adminKey });
    expect(await admin.exists('nowhere')).toBe(false);
    expectSfuError(await rejection(silent.keepalive()), 'sfu_closed');
  }, 20_000);
});

describe.skipIf(janusProblem !== null)('Janus going away', () => {
  let janus: TestJanus;
  const clients: JanusClient[] = [];

  beforeAll(async () => {
    janus = await startParleyJanus();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await janus?.process.dispose();
  });

  it('reports sfu_unavailable when Janus is killed, and reconnects when it is back', async () => {
    const states: Array<[JanusClientState, string | undefined]> = [];
    const c = new JanusClient({
      url: janus.url,
      apiSecret: janus.apiSecret,
      keepaliveMs: 1000,
      reconnect: { nextDelayMs: () => 100 },
    });
    clients.push(c);
    c.on('state', (state, error) => states.push([state, error?.code]));
    await c.connect();
    const s = await c.createSession();
    const admin = await VideoRoomAdmin.attach(s, { adminKey: janus.adminKey });
    let sessionEnd: string | null = null;
    let handleEnd: string | null = null;
    s.on('closed', (reason) => (sessionEnd = reason));
    admin.handle.on('detached', (reason) => (handleEnd = reason));

    await janus.process.kill();
    await until(() => c.state === 'reconnecting', 5000, 'the client to notice');
    expect(states).toContainEqual(['reconnecting', 'sfu_unavailable']);
    expect(sessionEnd).toBe('disconnected');
    expect(handleEnd).toBe('disconnected');
    expectSfuError(await rejection(c.createSession()), 'sfu_unavailable');
    expectSfuError(await rejection(admin.exists('x')), 'sfu_closed');

    await janus.process.start();
    await until(() => c.state === 'open', 10_000, 'the client to reconnect');
    const again = await c.createSession();
    const admin2 = await VideoRoomAdmin.attach(again, { adminKey: janus.adminKey });
    expect(await admin2.exists('x')).toBe(false);

    await c.close();
    expect(c.state).toBe('closed');
    await c.close();
    expectSfuError(await rejection(c.connect()), 'sfu_closed');
  });
});

describe.skipIf(janusProblem !== null)('Janus with numeric ids', () => {
  let janus: TestJanus;
  let client: JanusClient;

  beforeAll(async () => {
    janus = await startParleyJanus({ stringIds: false });
    client = new JanusClient({ url: janus.url, apiSecret: janus.apiSecret });
  });
  afterAll(async () => {
    await client?.close();
    await janus?.process.dispose();
  });

  it('creates rooms and joins publishers by number', async () => {
    await client.connect();
    const s = await client.createSession();
    const admin = await VideoRoomAdmin.attach(s, { adminKey: janus.adminKey });
    expect(await admin.createRoom({ room: 4242, secret: 'room-secret', publishers: 2 })).toBe(4242);
    const peer = await publisherPeer();
    try {
      const publisher = await VideoRoomPublisher.attach(s);
      const joined = await publisher.joinAndConfigure({ room: 4242, id: 7, offer: peer.offer });
      expect(joined.id).toBe(7);
      expect(joined.privateId).toEqual(expect.any(Number));
      expect(await admin.listParticipants(4242)).toEqual([expect.objectContaining({ id: 7 })]);
      expectSfuError(await rejection(admin.exists('4242')), 'sfu_bad_request');
    } finally {
      peer.close();
    }
    await admin.destroyRoom(4242, 'room-secret');
  });
});

describe('Janus client with no Janus to reach', () => {
  it('fails to connect with sfu_unavailable, and gives up when its policy says so', async () => {
    const c = new JanusClient({ url: 'ws://127.0.0.1:9', reconnect: null });
    const err = await rejection(c.connect());
    expectSfuError(err, 'sfu_unavailable');
    expect((err as Error).message).toMatch(/cannot reach Janus at ws:\/\/127\.0\.0\.1:9/);
    expect(c.state).toBe('closed');
    await c.close();
  });

  it('keeps trying in the background, fails requests at once, and stops on close()', async () => {
    let attempts = 0;
    const c = new JanusClient({
      url: 'ws://127.0.0.1:9',
      reconnect: {
        nextDelayMs: () => {
          attempts++;
          return 20;
        },
      },
    });
    expectSfuError(await rejection(c.connect()), 'sfu_unavailable');
    expect(c.state).toBe('reconnecting');
    await until(() => attempts >= 3, 5000, 'more attempts');
    expectSfuError(await rejection(c.createSession()), 'sfu_unavailable');
    await Promise.all([c.close(), c.close()]);
    expect(c.state).toBe('closed');
    const after = attempts;
    await new Promise((r) => setTimeout(r, 100));
    expect(attempts).toBe(after);
    expectSfuError(await rejection(c.info()), 'sfu_closed');
  });
});
