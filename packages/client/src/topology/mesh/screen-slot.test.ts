import wrtc from '@roamhq/wrtc';
import { afterEach, describe, expect, it } from 'vitest';
import { PeerLink, isPolite, type MediaKind } from './peer-link.js';
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

/** What one side saw arrive and end, by kind, in order. */
function record(link: PeerLink) {
  const events: string[] = [];
  const tracks = new Map<MediaKind, MediaStreamTrack>();
  link.on('track', (track, kind) => {
    tracks.set(kind, track);
    events.push(`+${kind}`);
  });
  link.on('track-ended', (kind) => {
    tracks.delete(kind);
    events.push(`-${kind}`);
  });
  return { events, tracks };
}

/** Ana (the newcomer, offering) and Ben, back to back; Ana may share from the start. */
function pair(anaScreen: MediaStreamTrack | null = null) {
  const ends: { ana?: PeerLink; ben?: PeerLink } = {};
  const errors: Error[] = [];
  const make = (self: 'ana' | 'ben', screen: MediaStreamTrack | null) => {
    const other = self === 'ana' ? 'ben' : 'ana';
    const link = new PeerLink({
      remoteId: other,
      polite: isPolite(self, other),
      initiator: self === 'ana',
      rtcConfig: { iceServers: [] },
      sendSignal: (payload) => void ends[other]?.handleSignal(payload),
      tracks: { audio: null, video: videoTrack(), screen },
      RTCPeerConnection: PC,
    });
    link.on('error', (e) => errors.push(e));
    links.push(link);
    return link;
  };
  // Ben exists before Ana's first offer reaches him.
  const ben = (ends.ben = make('ben', null));
  const benSaw = record(ben);
  const ana = (ends.ana = make('ana', anaScreen));
  const anaSaw = record(ana);
  return { ana, ben, anaSaw, benSaw, errors };
}

describe('screen share on a PeerLink', () => {
  it('arrives as a screen beside the camera, ends for the far side, and can come back', async () => {
    const { ana, ben, benSaw, errors } = pair();
    await until(() => ben.connectionState === 'connected' && benSaw.tracks.has('video'));
    const camera = benSaw.tracks.get('video');

    await ana.setTrack('screen', videoTrack());
    await until(() => benSaw.tracks.has('screen'));
    // The camera is still the camera: the screen did not take its place.
    expect(benSaw.tracks.get('video')).toBe(camera);
    expect(benSaw.tracks.get('screen')).not.toBe(camera);

    await ana.setTrack('screen', null);
    await until(() => !benSaw.tracks.has('screen'));

    await ana.setTrack('screen', videoTrack());
    await until(() => benSaw.tracks.has('screen'));
    // (No audio track is sent; wrtc may still announce the audio m-line's receiver.)
    expect(benSaw.events.filter((e) => !e.endsWith('audio'))).toEqual([
      '+video',
      '+screen',
      '-screen',
      '+screen',
    ]);
    // One screen m-line, reused: sharing again adds no transceiver.
    expect(ana.pc.getTransceivers().filter((t) => t.receiver.track.kind === 'video')).toHaveLength(
      2,
    );
    expect(errors).toEqual([]);
  });

  it('works from the answering side, and both can share at once', async () => {
    const { ana, ben, anaSaw, benSaw, errors } = pair();
    await until(() => ana.connectionState === 'connected' && anaSaw.tracks.has('video'));
    await ben.setTrack('screen', videoTrack());
    await until(() => anaSaw.tracks.has('screen'));
    await ana.setTrack('screen', videoTrack());
    await until(() => benSaw.tracks.has('screen'));
    expect(anaSaw.tracks.has('screen')).toBe(true);
    await ben.setTrack('screen', null);
    await until(() => !anaSaw.tracks.has('screen'));
    expect(benSaw.tracks.has('screen')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('sends the screen’s sound beside the microphone, as `screen-audio`, and ends it', async () => {
    const { ana, ben, benSaw, errors } = pair();
    await until(() => ben.connectionState === 'connected' && benSaw.tracks.has('video'));
    const mic = benSaw.tracks.get('audio');
    const tab = new wrtc.nonstandard.RTCAudioSource().createTrack() as unknown as MediaStreamTrack;

    await ana.setTrack('screen', videoTrack());
    await ana.setTrack('screen-audio', tab);
    await until(() => benSaw.tracks.has('screen') && benSaw.tracks.has('screen-audio'));
    // The microphone's track stays the microphone's: the tab's sound has its own.
    expect(benSaw.tracks.get('audio')).toBe(mic);
    expect(benSaw.tracks.get('screen-audio')?.kind).toBe('audio');
    expect(benSaw.tracks.get('screen-audio')).not.toBe(mic);
    expect(ana.sender('screen-audio')?.track).toBe(tab);

    await ana.setTrack('screen-audio', null);
    await ana.setTrack('screen', null);
    await until(() => !benSaw.tracks.has('screen-audio') && !benSaw.tracks.has('screen'));
    expect(benSaw.tracks.get('audio')).toBe(mic);
    expect(errors).toEqual([]);
    tab.stop();
  });

  it('reaches someone who connects while the share is on', async () => {
    const { ana, benSaw, errors } = pair(videoTrack());
    await until(() => benSaw.tracks.has('screen') && benSaw.tracks.has('video'));
    expect(ana.sender('screen')).toBeDefined();
    expect(errors).toEqual([]);
  });
});
