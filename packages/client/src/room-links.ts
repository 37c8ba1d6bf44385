import type { ServerMessageMap } from '@parley/protocol';
import type { Participant, RoomEvents } from './room.js';
import type { MediaTopology } from './topology/index.js';

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
 * What the topology reports, turned into participant state and room events: tracks,
 * connection state, data. Events for someone no longer in `people` are dropped, and a
 * data stream they opened is closed. Returns the function that stops forwarding (before
 * a topology that is being replaced closes, so its closing reports are not the room's).
 */
export function forwardTopologyEvents(
  topology: MediaTopology,
  people: ReadonlyMap<string, Participant>,
  emit: Emit,
): () => void {
  const off = [
    topology.on('track-added', (id, track, kind) => {
      const p = people.get(id);
      if (p) {
        p.tracks[kind] = track;
        emit('track-added', p, track, kind);
      }
    }),
    topology.on('track-removed', (id, kind) => {
      const p = people.get(id);
      if (p?.tracks[kind]) {
        delete p.tracks[kind];
        emit('track-removed', p, kind);
      }
    }),
    topology.on('connection-state', (id, state) => {
      const p = people.get(id);
      if (p && p.connection !== state) {
        p.connection = state;
        emit('connection-state', p, state);
      }
    }),
    forwardDataEvents(topology, people, emit),
    topology.on('error', (_id, err) => emit('error', err)),
  ];
  return () => off.splice(0).forEach((f) => f());
}

/**
 * Only the data a topology reports (`data-open`, `data`, `data-stream`), for one being
 * brought up beside the room's: in a switch to the SFU, the others may already send
 * through the server while ours still carries media the old way.
 */
export function forwardDataEvents(
  topology: MediaTopology,
  people: ReadonlyMap<string, Participant>,
  emit: Emit,
): () => void {
  const off = [
    topology.on('data-open', (id) => {
      const p = people.get(id);
      if (p) {
        emit('data-open', p);
      }
    }),
    topology.on('data', (id, data) => {
      const p = people.get(id);
      if (p) {
        emit('data', p, data);
      }
    }),
    topology.on('data-stream', (id, stream) => {
      const p = people.get(id);
      if (p) {
        emit('data-stream', p, stream);
      } else {
        stream.close();
      }
    }),
  ];
  return () => off.splice(0).forEach((f) => f());
}
