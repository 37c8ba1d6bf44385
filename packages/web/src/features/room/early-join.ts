import { Room, type SignalingClient } from '@parley/client';
import { peekEarlyMedia, UNCLAIMED_MS } from '../../app/early-start';
import { parseRoute } from '../../app/router';
import { ROOM_ID_PATTERN } from '../landing/room-id';
import { parseDirectJoin } from './direct-link';
import { createSignaling } from './signaling';
import { keepHostKeys, loadHostKey } from './host-key';

/**
 * A direct-join link joins the room while React renders its first pages.
 *
 * index.html already asked for the camera and opened the socket; without this, the
 * hello and join round trips would wait for two renders (the "starting" page, then
 * the call view) and only then begin. Here they begin as soon as the bundle has run
 * and the devices answered, and the call view adopts the room when it mounts
 * (useRoomSession). If the devices fail, nothing starts early and the app's usual
 * path (with its explanations) takes over.
 */
export interface EarlyJoin {
  roomId: string;
  name: string;
  signaling: SignalingClient;
  room: Room;
  /** What the room was joined with, so the call view knows what is already sent. */
  tracks: { audio: MediaStreamTrack | null; video: MediaStreamTrack | null };
  media: { audio: boolean; video: boolean };
  /** The join itself: rejects as Room.join does (room full, server unreachable). */
  joined: Promise<void>;
}

let early: EarlyJoin | null = null;
/** Set once the app has looked for an early join: one that starts later is not wanted. */
let claimed = false;

export function startEarlyJoin(): void {
  const route = parseRoute(location.pathname, location.search);
  if (route.page !== 'room' || !ROOM_ID_PATTERN.test(route.roomId)) {
    return;
  }
  const direct = parseDirectJoin(route.params);
  const stream = direct && peekEarlyMedia({ audio: direct.audio, video: direct.video });
  if (!direct || !stream) {
    return;
  }
  stream.then(
    (s) => {
      if (claimed) {
        return;
      }
      const tracks = { audio: s.getAudioTracks()[0] ?? null, video: s.getVideoTracks()[0] ?? null };
      const media = { audio: tracks.audio !== null, video: tracks.video !== null };
      const signaling = createSignaling();
      const room = new Room(signaling);
      keepHostKeys(room, route.roomId);
      const hostKey = loadHostKey(route.roomId);
      const joined = room.join(route.roomId, {
        name: direct.name,
        tracks,
        stream: s,
        media,
        ...(hostKey ? { hostKey } : {}),
      });
      // Whoever adopts it handles the outcome; until then a refusal is not "unhandled".
      joined.catch(() => undefined);
      early = { roomId: route.roomId, name: direct.name, signaling, room, tracks, media, joined };
      setTimeout(() => {
        if (early?.room === room) {
          early = null;
          room.close();
          signaling.close();
        }
      }, UNCLAIMED_MS);
    },
    () => undefined,
  );
}

/** The early join for this room and name, if one started; only once. */
export function takeEarlyJoin(roomId: string, name: string): EarlyJoin | null {
  claimed = true;
  const taken = early;
  early = null;
  if (taken && (taken.roomId !== roomId || taken.name !== name)) {
    taken.room.close();
    taken.signaling.close();
    return null;
  }
  return taken;
}
