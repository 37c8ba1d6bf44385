/**
 * Rooms through the SFU: a real Parley server with --sfu-url and a real Janus (the
 * configuration `parley janus-config` generates), and Node peers (@roamhq/wrtc) that
 * speak the sfu-* messages over a raw socket, the way the SDK does.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import wrtc from '@roamhq/wrtc';
import type { ServerMessage, SfuStream } from '@parley/protocol';
import type { ParleyServer } from '../src/app.js';
import { JanusClient, VideoRoomAdmin } from '../src/sfu/index.js';
import { startServer, TestClient } from './helpers.js';
import { janusProblem, startParleyJanus, until, type TestJanus } from './support/janus.js';

/** A participant: the raw socket, a publishing and a receiving connection with Janus. */
interface SfuPeer {
  client: TestClient;
  self: string;
  publisher: RTCPeerConnection;
  subscriber: RTCPeerConnection | null;
  streams: SfuStream[];
  tracks: number;
  closed: boolean;
  /** Offers wait for this before they are answered (a browser slow to answer). */
  gate: Promise<void>;
  close(): void;
}

function frameFed(): { audio: MediaStreamTrack; video: MediaStreamTrack; stop: () => void } {
  const source = new wrtc.nonstandard.RTCVideoSource();
  const data = new Uint8Array(160 * 120 * 1.5).fill(128);
  const timer = setInterval(() => source.onFrame({ width: 160, height: 120, data }), 50);
  const audio = new wrtc.nonstandard.RTCAudioSource().createTrack() as unknown as MediaStreamTrack;
  const video = source.createTrack() as unknown as MediaStreamTrack;
  return {
    audio,
    video,
    stop: () => {
      clearInterval(timer);
      audio.stop();
      video.stop();
    },
  };
}

function newPc(client: TestClient, target: 'publisher' | 'subscriber'): RTCPeerConnection {
  const pc = new wrtc.RTCPeerConnection() as unknown as RTCPeerConnection;
  pc.onicecandidate = (e) =>
    client.send({
      type: 'sfu-trickle',
      target,
      candidate: e.candidate
        ? {
            candidate: e.candidate.candidate,
            sdpMid: e.candidate.sdpMid,
            sdpMLineIndex: e.candidate.sdpMLineIndex,
          }
        : null,
    });
  return pc;
}

/** Answers every sfu-offer in turn, as the SDK's SFU topology does. */
function follow(peer: SfuPeer): void {
  let chain = Promise.resolve();
  peer.client.ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as ServerMessage;
    if (m.type !== 'sfu-offer') {
      return;
    }
    chain = chain.then(async () => {
      await peer.gate;
      if (peer.closed) {
        return;
      }
      if (!peer.subscriber) {
        peer.subscriber = newPc(peer.client, 'subscriber');
        peer.subscriber.ontrack = () => peer.tracks++;
      }
      const pc = peer.subscriber;
      let answer: RTCSessionDescriptionInit;
      try {
        await pc.setRemoteDescription(m.jsep);
        answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
      } catch (err) {
        // An offer that lands while the test closes this peer is no failure.
        if (peer.closed || pc.signalingState === 'closed') {
          return;
        }
        throw err;
      }
      peer.streams = m.streams;
      const rid = `sub-${Math.random()}`;
      const done = peer.client.next('sfu-subscribed', (r) => r.rid === rid, 10_000);
      peer.client.send({
        type: 'sfu-subscriber-answer',
        jsep: { type: 'answer', sdp: answer.sdp },
        rid,
      });
      // A peer closed meanwhile (its test is over) gets no reply: that is no failure.
      await done.catch((err: unknown) => {
        if (!peer.closed) {
          throw err;
        }
      });
    });
  });
}

async function publish(
  client: TestClient,
  self: string,
  gate: Promise<void> = Promise.resolve(),
): Promise<SfuPeer> {
  const media = frameFed();
  const publisher = newPc(client, 'publisher');
  publisher.addTransceiver(media.audio, { direction: 'sendonly' });
  publisher.addTransceiver(media.video, { direction: 'sendonly' });
  const peer: SfuPeer = {
    client,
    self,
    publisher,
    subscriber: null,
    streams: [],
    tracks: 0,
    closed: false,
    gate,
    close() {
      peer.closed = true;
      media.stop();
      publisher.close();
      peer.subscriber?.close();
      client.close();
    },
  };
  follow(peer);
  const offer = await publisher.createOffer();
  await publisher.setLocalDescription(offer);
  const answered = client.next('sfu-answer', (m) => m.rid === 'pub', 10_000);
  client.send({ type: 'sfu-publish', jsep: { type: 'offer', sdp: offer.sdp }, rid: 'pub' });
  await publisher.setRemoteDescription((await answered).jsep);
  return peer;
}

async function packetsReceived(pc: RTCPeerConnection, kind: string): Promise<number> {
  let total = 0;
  (await pc.getStats()).forEach((s: { type: string; kind?: string; packetsReceived?: number }) => {
    if (s.type === 'inbound-rtp' && s.kind === kind) {
      total += s.packetsReceived ?? 0;
    }
  });
  return total;
}

async function errorFor(client: TestClient, message: object & { rid: string }) {
  const error = client.next('error', (m) => m.rid === message.rid, 10_000);
  client.send(message);
  return error;
}

/** Packets received so far on the m-line carrying `peerId`'s video. */
async function videoPacketsFrom(peer: SfuPeer, peerId: string): Promise<number> {
  const pc = peer.subscriber;
  const mid = peer.streams.find((s) => s.peerId === peerId && s.kind === 'video')?.mid;
  const track = pc?.getTransceivers().find((t) => t.mid === mid)?.receiver.track.id;
  let total = 0;
  (await pc?.getStats())?.forEach(
    (s: { type: string; mid?: string; trackIdentifier?: string; packetsReceived?: number }) => {
      if (s.type === 'inbound-rtp' && (s.mid === mid || s.trackIdentifier === track)) {
        total += s.packetsReceived ?? 0;
      }
    },
  );
  return total;
}

/** Resolves once `peerId`'s video to `peer` keeps rising (true) or stays put (false) for 1.5 s. */
async function videoFlowing(peer: SfuPeer, peerId: string, flowing: boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const before = await videoPacketsFrom(peer, peerId);
    await new Promise((r) => setTimeout(r, 1_500));
    const after = await videoPacketsFrom(peer, peerId);
    if (flowing ? after > before : after === before && before > 0) {
      return;
    }
  }
  throw new Error(`${peerId}'s video to ${peer.self} did not ${flowing ? 'flow' : 'stop'}`);
}

const iceUfrag = (sdp: string | undefined): string | undefined =>
  /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];

/** How long a videoroom outlives its room's switch back to a mesh, here. */
const RETIRE_MS = 1_500;

async function videoroomOf(server: ParleyServer, room: string): Promise<string> {
  const record = await server.shared.sfuRooms.videoroom(room, {
    janusRoom: 'unused',
    secret: '',
    pin: '',
  });
  return record.janusRoom;
}

/** A fed video track of its own (a shared screen, 320×180). */
function screenFed(): { track: MediaStreamTrack; stop: () => void } {
  const source = new wrtc.nonstandard.RTCVideoSource();
  const data = new Uint8Array(320 * 180 * 1.5).fill(200);
  const timer = setInterval(() => source.onFrame({ width: 320, height: 180, data }), 100);
  const track = source.createTrack() as unknown as MediaStreamTrack;
  return {
    track,
    stop: () => {
      clearInterval(timer);
      track.stop();
    },
  };
}

/** Offer the publisher connection again (a screen added or stopped): `sfu-publish`. */
async function republish(peer: SfuPeer, rid: string): Promise<void> {
  const offer = await peer.publisher.createOffer();
  await peer.publisher.setLocalDescription(offer);
  const answered = peer.client.next('sfu-answer', (m) => m.rid === rid, 10_000);
  peer.client.send({ type: 'sfu-publish', jsep: { type: 'offer', sdp: offer.sdp }, rid });
  await peer.publisher.setRemoteDescription((await answered).jsep);
}

/** Packets received so far on the m-line carrying `peerId`'s stream of `kind`. */
async function packetsOn(peer: SfuPeer, peerId: string, kind: SfuStream['kind']): Promise<number> {
  const mid = peer.streams.find((s) => s.peerId === peerId && s.kind === kind)?.mid;
  let total = 0;
  (await peer.subscriber?.getStats())?.forEach(
    (s: { type: string; mid?: string; packetsReceived?: number }) => {
      if (mid !== undefined && s.type === 'inbound-rtp' && s.mid === mid) {
        total += s.packetsReceived ?? 0;
      }
    },
  );
  return total;
}

/** The kinds of `peerId`'s streams in `peer`'s latest subscriber offer, sorted. */
const kindsFrom = (peer: SfuPeer, peerId: string): string =>
  peer.streams
    .filter((s) => s.peerId === peerId)
    .map((s) => s.kind)
    .sort()
    .join(',');

describe.skipIf(janusProblem !== null)('rooms through the SFU (real Janus)', () => {
  let janus: TestJanus;
  let server: ParleyServer;
  let admin: { janus: JanusClient; room: VideoRoomAdmin };
  const peers: SfuPeer[] = [];
  const clients: TestClient[] = [];

  async function connect(): Promise<TestClient> {
    const c = await TestClient.connect(server);
    clients.push(c);
    return c;
  }

  /** Three people join `room` one after another: the third takes it through Janus. */
  async function threeThroughJanus(room: string, names: [string, string, string]) {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    const ja = await a.join(room, names[0]);
    const jb = await b.join(room, names[1]);
    const jc = await c.join(room, names[2]);
    expect(jc.mode).toBe('sfu');
    return { a, b, c, ja, jb, jc };
  }

  /** The three publish at once; their connections close after the test. */
  async function publishThree(
    three: Awaited<ReturnType<typeof threeThroughJanus>>,
  ): Promise<[SfuPeer, SfuPeer, SfuPeer]> {
    const { a, b, c, ja, jb, jc } = three;
    const published = await Promise.all([
      publish(a, ja.self),
      publish(b, jb.self),
      publish(c, jc.self),
    ]);
    peers.push(...published);
    return published;
  }

  beforeAll(async () => {
    janus = await startParleyJanus();
    server = await startServer(
      {
        ...janus.sfuOptions,
        meshMax: 2,
        maxRoomSize: 8,
      },
      { sfuRetireAfterMs: RETIRE_MS },
    );
    const client = new JanusClient({ url: janus.url, apiSecret: janus.apiSecret });
    await client.connect();
    const room = await VideoRoomAdmin.attach(await client.createSession(), {
      adminKey: janus.adminKey,
    });
    admin = { janus: client, room };
  });
  afterEach(() => {
    peers.splice(0).forEach((p) => p.close());
    clients.splice(0).forEach((c) => c.close());
  });
  afterAll(async () => {
    await server?.close();
    await admin?.janus.close();
    await janus?.process.dispose();
  });

  it('is ready with Janus connected (/readyz; Janus down only degrades it)', async () => {
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
  });

  it('moves a room past --mesh-max to the SFU; three publish and receive one another', async () => {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    const ja = await a.join('big', 'Ana');
    const jb = await b.join('big', 'Ben');
    expect([ja.mode, jb.mode]).toEqual(['mesh', 'mesh']);
    // Before the switch, SFU messages are refused: the room is a mesh.
    const early = await errorFor(a, {
      type: 'sfu-publish',
      jsep: { type: 'offer', sdp: 'v=0' },
      rid: 'early',
    });
    expect(early.code).toBe('not_sfu');

    const switched = [a.next('room-mode'), b.next('room-mode')];
    const jc = await c.join('big', 'Cleo');
    expect(jc.mode).toBe('sfu');
    for (const m of await Promise.all(switched)) {
      expect(m.mode).toBe('sfu');
    }
    const ids = [ja.self, jb.self, jc.self];
    peers.push(
      ...(await Promise.all([publish(a, ja.self), publish(b, jb.self), publish(c, jc.self)])),
    );

    for (const peer of peers) {
      const others = ids.filter((id) => id !== peer.self).sort();
      await until(
        () =>
          JSON.stringify([...new Set(peer.streams.map((s) => s.peerId))].sort()) ===
          JSON.stringify(others),
        15_000,
        `${peer.self}'s subscriber offer naming ${others.join(', ')}`,
      );
      expect(peer.streams.map((s) => s.kind).sort()).toEqual(['audio', 'audio', 'video', 'video']);
      expect(peer.streams.some((s) => s.peerId === peer.self)).toBe(false);
    }
    for (const peer of peers) {
      const pc = peer.subscriber as RTCPeerConnection;
      let video = 0;
      const deadline = Date.now() + 20_000;
      while (video === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        video = await packetsReceived(pc, 'video');
      }
      expect(video, `video RTP through Janus to ${peer.self}`).toBeGreaterThan(0);
      expect(peer.tracks).toBeGreaterThanOrEqual(4);
    }

    // A simulcast layer choice for someone whose video we receive is taken …
    const layer = { type: 'sfu-layer', peerId: jb.self, substream: 0 } as const;
    a.send(layer);
    await a.settle();
    expect(a.received.filter((m) => m.type === 'error' && m.of === 'sfu-layer')).toEqual([]);

    // … one naming a peer of another room is refused, and nothing changes in Janus.
    const other = await connect();
    const jo = await other.join('elsewhere', 'Olga');
    expect(jo.mode).toBe('mesh');
    const forged = await errorFor(a, { ...layer, peerId: jo.self, rid: 'forged' });
    expect(forged.code).toBe('unknown_peer');
    const record = await server.shared.sfuRooms.videoroom('big', {
      janusRoom: 'unused',
      secret: '',
      pin: '',
    });
    const inJanus = await admin.room.listParticipants(record.janusRoom);
    expect(inJanus.map((p) => String(p.id)).sort()).toEqual([...ids].sort());

    // A session in a mesh room cannot publish to the SFU; one in no room cannot either.
    const offer = { type: 'offer', sdp: (peers[0] as SfuPeer).publisher.localDescription?.sdp };
    expect((await errorFor(other, { type: 'sfu-publish', jsep: offer, rid: 'o1' })).code).toBe(
      'not_sfu',
    );
    const stranger = await connect();
    for (const message of [
      { type: 'sfu-publish', jsep: offer, rid: 's1' },
      { type: 'sfu-layer', peerId: jb.self, substream: 1, rid: 's2' },
      { type: 'sfu-trickle', target: 'publisher', candidate: null, rid: 's3' },
      { type: 'sfu-subscriber-answer', jsep: { type: 'answer', sdp: 'v=0' }, rid: 's4' },
    ]) {
      expect((await errorFor(stranger, message)).code).toBe('not_joined');
    }
    // No room id rides along: the schema is strict.
    expect(
      (await errorFor(other, { type: 'sfu-publish', jsep: offer, room: 'big', rid: 'o2' })).code,
    ).toBe('bad_message');
    expect(await server.shared.sfuRooms.mode('elsewhere')).toBe('mesh');
    expect(
      (await admin.room.listParticipants(record.janusRoom)).map((p) => String(p.id)).sort(),
    ).toEqual([...ids].sort());

    // Everyone leaves: the videoroom is destroyed.
    for (const peer of peers.splice(0)) {
      peer.close();
    }
    const gone = async (): Promise<boolean> => !(await admin.room.exists(record.janusRoom));
    const deadline = Date.now() + 10_000;
    while (!(await gone()) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await gone()).toBe(true);
    expect(await server.shared.sfuRooms.mode('big')).toBe('mesh');
  });

  it('goes back to a mesh at two (hysteresis), retires the videoroom, and through Janus again at three', async () => {
    const [a, b, c] = [await connect(), await connect(), await connect()];
    const ja = await a.join('shrink', 'Ana');
    const jb = await b.join('shrink', 'Ben');
    const toSfu = [a.next('room-mode'), b.next('room-mode')];
    const jc = await c.join('shrink', 'Cleo');
    expect(jc.mode).toBe('sfu');
    await Promise.all(toSfu);
    const [pa, pb, pc] = await Promise.all([
      publish(a, ja.self),
      publish(b, jb.self),
      publish(c, jc.self),
    ]);
    peers.push(pa, pb, pc);
    await until(() => pa.streams.length === 4, 15_000, "Ana's offer with Ben and Cleo");
    const first = await videoroomOf(server, 'shrink');
    expect(await admin.room.exists(first)).toBe(true);

    // Cleo leaves: two are left, the room is a mesh again and the two are told so.
    const toMesh = [a.next('room-mode'), b.next('room-mode')];
    pc.close();
    for (const m of await Promise.all(toMesh)) {
      expect(m.mode).toBe('mesh');
    }
    expect(await server.shared.sfuRooms.mode('shrink')).toBe('mesh');
    // Their SFU connections drain (make before break): still usable for a while …
    a.send({ type: 'sfu-trickle', target: 'publisher', candidate: null, rid: 'drain' });
    await a.settle();
    expect(a.received.filter((m) => m.type === 'error' && m.rid === 'drain')).toEqual([]);
    // … but nobody publishes anew in a mesh room.
    const offer = { type: 'offer', sdp: pa.publisher.localDescription?.sdp };
    expect((await errorFor(b, { type: 'sfu-publish', jsep: offer, rid: 'late' })).code).toBe(
      'not_sfu',
    );
    // Then the videoroom is destroyed, and Janus drops their handles with it.
    const deadline = Date.now() + RETIRE_MS + 10_000;
    while ((await admin.room.exists(first)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await admin.room.exists(first)).toBe(false);
    // A joiner in between finds a mesh; hysteresis: three is through Janus again, in a new videoroom.
    pa.close();
    pb.close();
    peers.splice(0);
    const [a2, b2, c2] = [await connect(), await connect(), await connect()];
    const ka = await a2.join('shrink2', 'Ana');
    const kb = await b2.join('shrink2', 'Ben');
    const kc = await c2.join('shrink2', 'Cleo');
    expect([ka.mode, kb.mode, kc.mode]).toEqual(['mesh', 'mesh', 'sfu']);
    c2.close();
    await until(
      () => a2.received.some((m) => m.type === 'room-mode' && m.mode === 'mesh'),
      5_000,
      'mesh again',
    );
    const toSfuAgain = a2.next('room-mode');
    const kd = await (await connect()).join('shrink2', 'Dan');
    expect(kd.mode).toBe('sfu');
    expect((await toSfuAgain).mode).toBe('sfu');
    const renewed = await Promise.all([publish(a2, ka.self), publish(b2, kb.self)]);
    peers.push(...renewed);
    await until(
      () => (renewed[0] as SfuPeer).streams.some((s) => s.peerId === kb.self),
      15_000,
      "Ana receiving Ben in the room's second videoroom",
    );
  });

  it('follows a screen share: a second video m-line reaches the others as `screen`, and goes when it stops', async () => {
    const three = await threeThroughJanus('share', ['Ada', 'Ben', 'Cleo']);
    const { a, b, c, ja, jc } = three;
    const [pa, pb, pc] = await publishThree(three);
    for (const p of [pb, pc]) {
      await until(() => kindsFrom(p, ja.self) === 'audio,video', 15_000, `${p.self} has Ada`);
    }
    const offersBefore = b.received.filter((m) => m.type === 'sfu-offer').length;

    // Ada shares: a third m-line on her publisher connection, offered again.
    const screen = screenFed();
    const transceiver = pa.publisher.addTransceiver(screen.track, { direction: 'sendonly' });
    try {
      await republish(pa, 'share-on');
      for (const p of [pb, pc]) {
        await until(
          () => kindsFrom(p, ja.self) === 'audio,screen,video',
          15_000,
          `${p.self}'s offer with Ada's screen`,
        );
      }
      // The others' offers grew by one m-line: Ada's camera was not subscribed twice.
      expect(pb.streams).toHaveLength(5);
      expect(b.received.filter((m) => m.type === 'sfu-offer').length).toBeGreaterThan(offersBefore);
      for (const p of [pb, pc]) {
        await until(async () => (await packetsOn(p, ja.self, 'screen')) > 0, 20_000, 'screen RTP');
      }
      await videoFlowing(pb, ja.self, true);
      // Cleo's own streams stay as they were.
      expect(kindsFrom(pb, jc.self)).toBe('audio,video');

      // Ada stops: the m-line goes inactive, and the screen leaves the others' offers.
      transceiver.direction = 'inactive';
      await republish(pa, 'share-off');
      for (const p of [pb, pc]) {
        await until(
          () => kindsFrom(p, ja.self) === 'audio,video',
          15_000,
          `${p.self}'s offer without Ada's screen`,
        );
      }
      await videoFlowing(pc, ja.self, true);

      // And shares again on the same m-line: back for both.
      transceiver.direction = 'sendonly';
      await republish(pa, 'share-again');
      for (const p of [pb, pc]) {
        await until(
          () => kindsFrom(p, ja.self) === 'audio,screen,video',
          15_000,
          `${p.self}'s offer with Ada's screen again`,
        );
      }
      const before = await packetsOn(pc, ja.self, 'screen');
      await until(
        async () => (await packetsOn(pc, ja.self, 'screen')) > before,
        20_000,
        'screen RTP again',
      );

      // The tab's sound: a later audio m-line, `screen-audio` to the others.
      const tab =
        new wrtc.nonstandard.RTCAudioSource().createTrack() as unknown as MediaStreamTrack;
      pa.publisher.addTransceiver(tab, { direction: 'sendonly' });
      await republish(pa, 'sound-on');
      for (const p of [pb, pc]) {
        await until(
          () => kindsFrom(p, ja.self) === 'audio,screen,screen-audio,video',
          15_000,
          `${p.self}'s offer with the sound of Ada's screen`,
        );
      }
      tab.stop();
      // (This raw peer trickles before its first publish, unlike the SDK: those are refused.)
      for (const client of [a, b, c]) {
        expect(client.received.filter((m) => m.type === 'error' && m.of !== 'sfu-trickle')).toEqual(
          [],
        );
      }
    } finally {
      screen.stop();
    }
  });

  it('subscribes a feed once when its update waits behind an offer not yet answered', async () => {
    const { a, b, c, ja, jb, jc } = await threeThroughJanus('slow', ['Ada', 'Ben', 'Cleo']);
    // Ada's browser is slow: Janus's offers to her stay unanswered for now.
    let answerNow = (): void => undefined;
    const held = new Promise<void>((resolve) => (answerNow = resolve));
    const pa = await publish(a, ja.self, held);
    const pb = await publish(b, jb.self);
    peers.push(pa, pb);
    await until(() => a.received.some((m) => m.type === 'sfu-offer'), 15_000, "Ada's first offer");
    // Cleo publishes: Ada's subscription update for her waits behind that offer (Janus
    // replies "updating", with no streams yet) …
    const pc = await publish(c, jc.self);
    peers.push(pc);
    await until(() => kindsFrom(pb, jc.self) === 'audio,video', 15_000, 'Ben has Cleo');
    // … and meanwhile Ben renegotiates (a screen share): the room lists his feed again.
    const screen = screenFed();
    try {
      pb.publisher.addTransceiver(screen.track, { direction: 'sendonly' });
      await republish(pb, 'share');
      await until(() => kindsFrom(pc, jb.self) === 'audio,screen,video', 15_000, "Ben's screen");
      answerNow();
      await until(
        () => kindsFrom(pa, jc.self) !== '' && kindsFrom(pa, jb.self) === 'audio,screen,video',
        20_000,
        'Ada receives Ben and Cleo',
      );
      // Any further offer has come and been answered by now.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(kindsFrom(pa, jc.self)).toBe('audio,video');
      expect(kindsFrom(pa, jb.self)).toBe('audio,screen,video');
      await videoFlowing(pa, jc.self, true);
    } finally {
      screen.stop();
    }
  });

  it('pauses and resumes one video on a receiving connection, and restarts its ICE (sfu-pause, sfu-restart)', async () => {
    const three = await threeThroughJanus('pause', ['Ana', 'Ben', 'Cleo']);
    const { a, ja, jb, jc } = three;
    const [pa, pb, pc] = await publishThree(three);
    await until(() => pa.streams.length === 4, 15_000, "Ana's offer with Ben and Cleo");
    await videoFlowing(pa, jb.self, true);

    // Ana's tile of Ben goes off screen: Ben's video stops reaching her, Cleo's does not.
    a.send({ type: 'sfu-pause', peerId: jb.self, paused: true });
    await videoFlowing(pa, jb.self, false);
    await videoFlowing(pa, jc.self, true);
    // Ben still reaches Cleo: the pause was Ana's alone.
    await videoFlowing(pc, jb.self, true);
    a.send({ type: 'sfu-pause', peerId: jb.self, paused: false });
    await videoFlowing(pa, jb.self, true);
    expect(a.received.filter((m) => m.type === 'error' && m.of === 'sfu-pause')).toEqual([]);

    // Only someone whose video we receive, in our own room; the schema is strict.
    const other = await connect();
    const jo = await other.join('pause-elsewhere', 'Olga');
    const pause = { type: 'sfu-pause', peerId: jo.self, paused: true } as const;
    expect((await errorFor(a, { ...pause, rid: 'p1' })).code).toBe('unknown_peer');
    expect((await errorFor(a, { ...pause, peerId: ja.self, rid: 'p2' })).code).toBe('unknown_peer');
    expect((await errorFor(a, { ...pause, peerId: jb.self, room: 'x', rid: 'p3' })).code).toBe(
      'bad_message',
    );
    expect((await errorFor(a, { ...pause, peerId: jb.self, paused: 'yes', rid: 'p4' })).code).toBe(
      'bad_message',
    );
    expect((await errorFor(other, { ...pause, peerId: ja.self, rid: 'p5' })).code).toBe('not_sfu');
    expect((await errorFor(other, { type: 'sfu-restart', rid: 'r1' })).code).toBe('not_sfu');
    const stranger = await connect();
    expect((await errorFor(stranger, { ...pause, rid: 'p6' })).code).toBe('not_joined');
    expect((await errorFor(stranger, { type: 'sfu-restart', rid: 'r2' })).code).toBe('not_joined');
    expect((await errorFor(a, { type: 'sfu-restart', target: 'x', rid: 'r3' })).code).toBe(
      'bad_message',
    );
    await videoFlowing(pb, jc.self, true);

    // Ana's receiving connection restarts ICE: Janus's new offer (new credentials) comes as
    // sfu-offer, her answer goes back, and video flows on the new path.
    const sub = pa.subscriber as RTCPeerConnection;
    const before = iceUfrag(sub.currentLocalDescription?.sdp);
    const remoteBefore = iceUfrag(sub.currentRemoteDescription?.sdp);
    const offered = a.next('sfu-offer', () => true, 10_000);
    a.send({ type: 'sfu-restart', rid: 'restart' });
    const offer = await offered;
    // Janus takes the answer to it (follow() sends it, as the SDK does).
    await a.next('sfu-subscribed', () => true, 10_000);
    expect(iceUfrag(offer.jsep.sdp)).not.toBe(remoteBefore);
    expect(offer.streams).toEqual(pa.streams);
    await until(
      () => iceUfrag(sub.currentLocalDescription?.sdp) !== before,
      10_000,
      'a new answer with new credentials',
    );
    await videoFlowing(pa, jb.self, true);
    await videoFlowing(pa, jc.self, true);
    expect(sub.connectionState).toBe('connected');
    expect(a.received.filter((m) => m.type === 'error' && m.rid === 'restart')).toEqual([]);
  });
});
