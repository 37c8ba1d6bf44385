import wrtc from '@roamhq/wrtc';
import { afterEach, describe, expect, it } from 'vitest';
import { PeerLink, isPolite, type SignalPayload } from './peer-link.js';
import { until } from '../../../test/until.js';

const PC = wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection;
const links: PeerLink[] = [];
afterEach(() => {
  for (const l of links.splice(0)) {
    l.close();
  }
});

function videoTrack(): MediaStreamTrack {
  const source = new wrtc.nonstandard.RTCVideoSource();
  return source.createTrack() as unknown as MediaStreamTrack;
}

/** Two links wired back to back; `deliver` decides when each side's signals arrive. */
function pair(options: {
  aInitiator: boolean;
  bInitiator: boolean;
  route?: (from: 'a' | 'b', payload: SignalPayload, forward: () => void) => void;
}) {
  const errors: Error[] = [];
  const ends: { a?: PeerLink; b?: PeerLink } = {};
  const route = options.route ?? ((_f, _p, forward) => forward());
  const make = (self: 'a' | 'b', initiator: boolean) =>
    new PeerLink({
      remoteId: self === 'a' ? 'peer-b' : 'peer-a',
      polite: isPolite(self === 'a' ? 'peer-a' : 'peer-b', self === 'a' ? 'peer-b' : 'peer-a'),
      initiator,
      rtcConfig: { iceServers: [] },
      sendSignal: (payload) =>
        route(self, payload, () => void ends[self === 'a' ? 'b' : 'a']?.handleSignal(payload)),
      tracks: { audio: null, video: videoTrack() },
      RTCPeerConnection: PC,
    });
  const a = (ends.a = make('a', options.aInitiator));
  const b = (ends.b = make('b', options.bInitiator));
  for (const l of [a, b]) {
    l.on('error', (e) => errors.push(e));
    links.push(l);
  }
  return { a, b, errors };
}

async function exchangeData(a: PeerLink, b: PeerLink): Promise<void> {
  const got: string[] = [];
  a.on('channel-message', (d) => got.push(`a<-${String(d)}`));
  b.on('channel-message', (d) => got.push(`b<-${String(d)}`));
  await until(() => a.dataChannel !== null && b.dataChannel !== null);
  a.sendData('hello b');
  b.sendData('hello a');
  await until(() => got.length === 2);
  expect(got.sort()).toEqual(['a<-hello a', 'b<-hello b']);
}

describe('PeerLink', () => {
  it('decides politeness the same way on both sides', () => {
    expect(isPolite('a', 'b')).toBe(true);
    expect(isPolite('b', 'a')).toBe(false);
  });

  it('connects in one offer/answer when only the newcomer initiates', async () => {
    const offers: string[] = [];
    const { a, b, errors } = pair({
      aInitiator: true,
      bInitiator: false,
      route: (from, p, forward) => {
        if (p.description?.type === 'offer') {
          offers.push(from);
        }
        forward();
      },
    });
    const tracks: string[] = [];
    a.on('track', (_t, kind) => tracks.push(`a:${kind}`));
    b.on('track', (_t, kind) => tracks.push(`b:${kind}`));
    await until(() => a.connectionState === 'connected' && b.connectionState === 'connected');
    await exchangeData(a, b);
    expect(offers).toEqual(['a']);
    // Both sides receive the other's video on the shared transceivers.
    expect(tracks).toEqual(expect.arrayContaining(['a:video', 'b:video']));
    expect(errors).toEqual([]);
  });

  it('survives glare: both sides offer at the same moment', async () => {
    // Hold every signal, then release both queues at once so the offers cross.
    const held: Array<() => void> = [];
    const offered = new Set<string>();
    let holding = true;
    const { a, b, errors } = pair({
      aInitiator: true,
      bInitiator: true,
      route: (from, p, forward) => {
        if (p.description?.type === 'offer') {
          offered.add(from);
        }
        return holding ? held.push(forward) : forward();
      },
    });
    await until(() => offered.size === 2);
    holding = false;
    for (const f of held.splice(0)) {
      f();
    }
    await until(() => a.connectionState === 'connected' && b.connectionState === 'connected');
    await exchangeData(a, b);
    expect(a.pc.signalingState).toBe('stable');
    expect(b.pc.signalingState).toBe('stable');
    expect(errors).toEqual([]);
  });

  it('queues candidates that arrive before the description', async () => {
    // Deliver a's candidates first and its offer last.
    let offer: (() => void) | null = null;
    let candidatesBeforeOffer = 0;
    const { a, b, errors } = pair({
      aInitiator: true,
      bInitiator: false,
      route: (from, p, forward) => {
        if (from === 'a' && p.description?.type === 'offer' && offer === null) {
          offer = forward;
          setTimeout(() => offer?.(), 500);
          return;
        }
        if (from === 'a' && p.candidate && b.pc.remoteDescription === null) {
          candidatesBeforeOffer++;
        }
        forward();
      },
    });
    await until(() => a.connectionState === 'connected' && b.connectionState === 'connected');
    expect(candidatesBeforeOffer).toBeGreaterThan(0);
    await exchangeData(a, b);
    expect(errors).toEqual([]);
  });

  it('renegotiates when the other side restarts ICE, and close() is idempotent', async () => {
    const { a, b, errors } = pair({ aInitiator: true, bInitiator: false });
    await until(() => a.connectionState === 'connected' && b.connectionState === 'connected');
    const before = a.pc.localDescription?.sdp.match(/a=ice-ufrag:(\S+)/)?.[1];
    b.restartIce();
    await until(() => {
      const now = a.pc.remoteDescription?.sdp.match(/a=ice-ufrag:(\S+)/)?.[1];
      return (
        a.pc.signalingState === 'stable' &&
        b.pc.signalingState === 'stable' &&
        now !== undefined &&
        a.pc.localDescription?.sdp.match(/a=ice-ufrag:(\S+)/)?.[1] !== before
      );
    });
    await exchangeData(a, b);
    a.close();
    a.close();
    expect(a.pc.signalingState).toBe('closed');
    expect(errors).toEqual([]);
  });
});
