import type { ServerMessageMap } from '@parley/protocol';
import { nextLinkState } from './topology/mesh/ice-restart.js';
import type { Participant, RoomEvents } from './room.js';
import type { TopologyListener } from './topology/media-topology.js';

/** The app's own RTCConfiguration, with what the server requires for this room on top. */
export function roomRtcConfig(
  base: RTCConfiguration | undefined,
  joined: ServerMessageMap['joined'],
): RTCConfiguration {
  return {
    ...base,
    // The server may require relay-only media (--ice-transport-policy relay).
    ...(joined.iceTransportPolicy === 'relay' ? { iceTransportPolicy: 'relay' as const } : {}),
    iceServers: joined.iceServers as RTCIceServer[],
  };
}

type Emit = <K extends keyof RoomEvents>(event: K, ...args: RoomEvents[K]) => void;

/**
 * What the media links report, turned into participant state and room events: tracks,
 * connection and link state (with ICE restarts shown as "reconnecting"), data.
 * Events for someone no longer in `people` are dropped.
 */
export function participantEvents(
  people: ReadonlyMap<string, Participant>,
  emit: Emit,
  onLinkConnected: () => void,
): TopologyListener {
  return {
    onTrack: (id, track, kind) => {
      const p = people.get(id);
      if (p) {
        p.tracks[kind] = track;
        emit('track', p, track, kind);
      }
    },
    onConnectionState: (id, state) => {
      const p = people.get(id);
      if (p && p.connection !== state) {
        p.connection = state;
        emit('connection-state', p, state);
        const link = nextLinkState(p.link, state);
        if (link !== p.link) {
          p.link = link;
          emit('link-state', p, link);
        }
        if (state === 'connected') {
          onLinkConnected();
        }
      }
    },
    onData: (id, data) => {
      const p = people.get(id);
      if (p) {
        emit('data', p, data);
      }
    },
    onChannelOpen: (id) => {
      const p = people.get(id);
      if (p) {
        emit('channel-open', p);
      }
    },
    onError: (_id, err) => emit('error', err),
  };
}
