/**
 * For tests: meshes for a few participants in one process on @roamhq/wrtc, their
 * signals relayed as the server would (with `from` stamped), asynchronously. Only the
 * seam is used, except `pcs`, which lets a test check what the mesh did underneath.
 */
import wrtc from '@roamhq/wrtc';
import type { ClientMessage, ServerMessage } from '@parley/protocol';
import type { UplinkBudgetOptions } from '../src/bandwidth/uplink-plan.js';
import { createMeshTopology, type LocalTracks, type MediaTopology } from '../src/topology/index.js';

export interface TestMember {
  id: string;
  mesh: MediaTopology;
  /** Every RTCPeerConnection this member's mesh made, in order. */
  pcs: RTCPeerConnection[];
  /** Offers this member sent (a renegotiation shows up here). */
  offers: number;
}

export interface NetworkOptions {
  tracks?: (id: string) => LocalTracks;
  uplinkBudget?: Partial<UplinkBudgetOptions> | false;
  /**
   * Take over RTCRtpSender.setParameters (wrtc refuses it): called with what the mesh
   * asks of a sender's encoder instead.
   */
  onSetParameters?: (id: string, params: RTCRtpSendParameters) => void;
}

/** Forward everything to `target`, itself as `this` (native methods insist), but `override`. */
function wrap<T extends object>(target: T, override: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(target, {
    get: (t, key) => {
      if (key in override) {
        return override[key as keyof T];
      }
      const value = Reflect.get(t, key, t) as unknown;
      return typeof value === 'function' ? value.bind(t) : value;
    },
    set: (t, key, value) => Reflect.set(t, key, value, t),
  });
}

export function meshNetwork(ids: string[], options: NetworkOptions = {}) {
  const members = new Map<string, TestMember>();
  const deliver = (from: string, m: ClientMessage): void => {
    if (m.type !== 'signal') {
      return;
    }
    const sender = members.get(from);
    if (sender && m.description?.type === 'offer') {
      sender.offers++;
    }
    const { to, ...body } = m;
    setTimeout(() => members.get(to)?.mesh.handleMessage({ ...body, from } as ServerMessage), 0);
  };
  for (const id of ids) {
    const pcs: RTCPeerConnection[] = [];
    const onSet = options.onSetParameters;
    class Tracked extends wrtc.RTCPeerConnection {
      constructor(config?: RTCConfiguration) {
        super(config);
        pcs.push(this as unknown as RTCPeerConnection);
      }
      override getTransceivers(): RTCRtpTransceiver[] {
        const all = super.getTransceivers() as unknown as RTCRtpTransceiver[];
        if (!onSet) {
          return all;
        }
        const setParameters = async (p: RTCRtpSendParameters) => onSet(id, p);
        return all.map((t) => wrap(t, { sender: wrap(t.sender, { setParameters }) }));
      }
    }
    const mesh = createMeshTopology({
      selfId: id,
      rtcConfig: { iceServers: [] },
      send: (m) => deliver(id, m),
      tracks: options.tracks?.(id) ?? { audio: null, video: null },
      stream: null,
      uplinkBudget: options.uplinkBudget ?? false,
      RTCPeerConnection: Tracked as unknown as typeof RTCPeerConnection,
    });
    members.set(id, { id, mesh, pcs, offers: 0 });
  }
  const member = (id: string): TestMember => {
    const m = members.get(id);
    if (!m) {
      throw new Error(`no member ${id}`);
    }
    return m;
  };
  return {
    member,
    /** Everyone meets everyone; later ids are the newcomers, as in a room. */
    connectAll(): void {
      for (const [i, a] of ids.entries()) {
        for (const b of ids.slice(i + 1)) {
          member(a).mesh.addParticipant(b, 'joined');
          member(b).mesh.addParticipant(a, 'present');
        }
      }
    },
    close(): void {
      for (const m of members.values()) {
        m.mesh.close();
      }
    },
  };
}

/** A wrtc video track fed with grey frames until `stop()`, so RTP really flows. */
export function frameFedVideoTrack(): { track: MediaStreamTrack; stop: () => void } {
  const source = new wrtc.nonstandard.RTCVideoSource();
  const width = 160;
  const height = 120;
  const data = new Uint8Array(width * height * 1.5).fill(128);
  const timer = setInterval(() => source.onFrame({ width, height, data }), 50);
  const track = source.createTrack() as unknown as MediaStreamTrack;
  return {
    track,
    stop: () => {
      clearInterval(timer);
      track.stop();
    },
  };
}
