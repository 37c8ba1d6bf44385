import wrtc from '@roamhq/wrtc';
import WebSocket from 'ws';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SESSION_COOKIE, type PublicUser } from '@parley/protocol';
import type { ParleyServer } from '../../server/src/app.js';
import { startServer } from '../../server/test/helpers.js';
import { CallClient } from '../src/calls/call-client.js';
import type { DirectCall } from '../src/calls/direct-call.js';
import { AccountsApi } from '../src/contacts/contacts-api.js';
import { DmConversation } from '../src/contacts/dm-conversation.js';
import { SignalingClient, type WebSocketLike } from '../src/signaling-client.js';
import { until } from './until.js';

// DirectCall builds MediaStreams; in Node they come from wrtc.
(globalThis as { MediaStream?: unknown }).MediaStream ??= wrtc.MediaStream;

let server: ParleyServer;
const cleanup: (() => void)[] = [];
beforeEach(async () => {
  server = await startServer({ scryptCost: 10 });
});
afterEach(async () => {
  cleanup.splice(0).forEach((fn) => fn());
  await server.close();
});

/** getUserMedia for Node: synthetic tracks from wrtc's sources. */
function fakeMedia(c: { audio: boolean; video: boolean }): Promise<MediaStream> {
  const tracks: MediaStreamTrack[] = [];
  if (c.audio) {
    tracks.push(new wrtc.nonstandard.RTCAudioSource().createTrack() as unknown as MediaStreamTrack);
  }
  if (c.video) {
    tracks.push(new wrtc.nonstandard.RTCVideoSource().createTrack() as unknown as MediaStreamTrack);
  }
  return Promise.resolve(new wrtc.MediaStream(tracks) as unknown as MediaStream);
}

interface Person {
  user: PublicUser;
  api: AccountsApi;
  signaling: SignalingClient;
  calls: CallClient;
}

async function person(username: string): Promise<Person> {
  let cookie = '';
  // A fetch that keeps the session cookie, like a browser.
  const cookieFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, {
      ...init,
      headers: { ...(init?.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    const set = res.headers.get('set-cookie');
    const m = set ? new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(set) : null;
    if (m) {
      cookie = `${SESSION_COOKIE}=${m[1]}`;
    }
    return res;
  };
  const api = new AccountsApi(server.url, cookieFetch);
  const { user } = await api.register(username, 'correct horse battery');
  const signaling = new SignalingClient({
    url: `${server.wsUrl}?account=1`,
    createSocket: (url) => new WebSocket(url, { headers: { cookie } }) as unknown as WebSocketLike,
  });
  await signaling.connect();
  const calls = new CallClient(signaling, {
    getMedia: fakeMedia,
    RTCPeerConnection: wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection,
  });
  cleanup.push(() => {
    calls.current?.end();
    calls.close();
    signaling.close();
  });
  return { user, api, signaling, calls };
}

/** Ada video-calls Ben, he accepts; resolves once Ben receives her voice and camera. */
async function videoCall(ada: Person, ben: Person) {
  const ring = new Promise<string>((resolve) => ben.calls.on('incoming', (c) => resolve(c.id)));
  const outgoing = await ada.calls.call(ben.user, 'video');
  const incoming = await ben.calls.accept(await ring);
  for (const call of [outgoing, incoming]) {
    await until(() => call.connection === 'connected', 20_000);
  }
  await until(() => incoming.remoteStream.getTracks().length === 2);
  return { outgoing, incoming };
}

async function contacts(a: Person, b: Person): Promise<void> {
  await a.api.request(b.user.username);
  await b.api.accept(a.user.id);
}

it('two SDK instances call each other: ring, accept, media connects, mute is relayed, end tears down both', async () => {
  const ada = await person('ada');
  const ben = await person('ben');
  await contacts(ada, ben);

  const ring = new Promise<string>((resolve) => ben.calls.on('incoming', (c) => resolve(c.id)));
  const outgoing = await ada.calls.call(ben.user, 'video');
  expect(outgoing.state).toBe('ringing');
  const incoming = await ben.calls.accept(await ring);

  for (const call of [outgoing, incoming]) {
    await until(() => call.connection === 'connected', 20_000);
  }
  await until(() => incoming.remoteStream.getVideoTracks().length === 1);
  const muted = new Promise((resolve) =>
    incoming.on('remote-media', (m) => !m.audio && resolve(m)),
  );
  outgoing.setMuted(true);
  expect(await muted).toEqual({ audio: false, video: true });

  const ended = new Promise((resolve) =>
    incoming.on('state', (s, r) => s === 'ended' && resolve(r)),
  );
  const localTracks = [...outgoing.localMedia.getTracks(), ...incoming.localMedia.getTracks()];
  outgoing.end();
  expect(await ended).toBe('hangup');
  for (const call of [outgoing, incoming] as DirectCall[]) {
    expect(call.state).toBe('ended');
    expect(call.connection).toBe('closed');
  }
  expect(localTracks.every((t) => t.readyState === 'ended')).toBe(true);
});

it('a direct message written while the connection is down is delivered once it is back', async () => {
  const ada = await person('ada2');
  const ben = await person('ben2');
  await contacts(ada, ben);
  const toBen = new DmConversation(ada.signaling, ada.api, ada.user, ben.user);
  const fromAda = new DmConversation(ben.signaling, ben.api, ben.user, ada.user);
  cleanup.push(
    () => toBen.close(),
    () => fromAda.close(),
  );
  await Promise.all([toBen.load(), fromAda.load()]);

  ada.signaling.dropConnection();
  await until(() => ada.signaling.state === 'reconnecting');
  toBen.send('sent while offline');
  expect(toBen.entries.at(-1)).toMatchObject({ kind: 'outbox', status: 'pending' });
  await until(() => toBen.entries.at(-1)?.kind === 'stored', 15_000);
  await until(() => fromAda.entries.length === 1);
  expect(fromAda.entries.map((e) => (e.kind === 'stored' ? e.message.text : e.text))).toEqual([
    'sent while offline',
  ]);
});

it('replaceTrack swaps the microphone and camera of a call without a new offer, keeping mute', async () => {
  const ada = await person('ada');
  const ben = await person('ben');
  await contacts(ada, ben);
  // Every offer either side sends, counted at the sockets.
  let offers = 0;
  for (const p of [ada, ben]) {
    const send = p.signaling.send.bind(p.signaling);
    p.signaling.send = ((msg: { type: string; description?: { type?: string } }) => {
      if (msg.type === 'call-signal' && msg.description?.type === 'offer') {
        offers++;
      }
      return send(msg as never);
    }) as typeof p.signaling.send;
  }
  const { outgoing, incoming } = await videoCall(ada, ben);
  const offersBefore = offers;
  const received = incoming.remoteStream.getTracks();

  outgoing.setMuted(true);
  const [mic, cam] = (await fakeMedia({ audio: true, video: true })).getTracks() as [
    MediaStreamTrack,
    MediaStreamTrack,
  ];
  await outgoing.replaceTrack('audio', mic);
  await outgoing.replaceTrack('video', cam);
  expect(outgoing.localMedia.getAudioTracks()).toEqual([mic]);
  expect(outgoing.localMedia.getVideoTracks()).toEqual([cam]);
  // Still muted: the new microphone track is sent disabled.
  expect(mic.enabled).toBe(false);

  await new Promise((r) => setTimeout(r, 500));
  expect(offers).toBe(offersBefore);
  // Ben receives on the same tracks as before: nothing was renegotiated.
  expect(incoming.remoteStream.getTracks()).toEqual(received);
  expect(outgoing.connection).toBe('connected');
  mic.stop();
  cam.stop();
});

it('a shared screen goes with its sound: the far side gets both beside the voice, and loses both on stop', async () => {
  const ada = await person('ada');
  const ben = await person('ben');
  await contacts(ada, ben);
  const { outgoing, incoming } = await videoCall(ada, ben);
  const voice = incoming.remoteStream.getAudioTracks()[0];

  const [tab, screen] = (await fakeMedia({ audio: true, video: true })).getTracks() as [
    MediaStreamTrack,
    MediaStreamTrack,
  ];
  await outgoing.setScreen(screen, tab);
  await until(() => incoming.remoteScreen !== null && incoming.remoteScreenAudio !== null, 20_000);
  expect(incoming.remoteScreen?.getVideoTracks()).toHaveLength(1);
  expect(incoming.remoteScreenAudio?.kind).toBe('audio');
  expect(incoming.remoteScreenAudio).not.toBe(voice);
  // The screen's sound comes beside the voice, not in its place.
  expect(incoming.remoteStream.getAudioTracks()).toEqual([voice]);

  await outgoing.setScreen(null);
  await until(() => incoming.remoteScreen === null && incoming.remoteScreenAudio === null, 20_000);
  expect(incoming.remoteStream.getAudioTracks()).toEqual([voice]);
  expect([screen.readyState, tab.readyState]).toEqual(['ended', 'ended']);
});
