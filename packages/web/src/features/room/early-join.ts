import { Room, type Participant, type SignalingClient } from '@parley/client';
import { peekEarlyMedia, takeEarlyMedia, UNCLAIMED_MS } from '../../app/early-start';
import { parseRoute } from '../../app/router';
import { ROOM_ID_PATTERN } from '../landing/room-id';
import { parseDirectJoin } from './direct-link';
import { NEAR_SERVER_MS, SETTLE_LIMIT_MS } from './early-join-limits';
import { createSignaling } from './signaling';
import { tracksOf, type GrantedMedia, type LocalKind } from '../media/granted-media';
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
  /** The devices' answer the join was made with (what it sent and announced: joinedWith). */
  stream: MediaStream;
  want: GrantedMedia['want'];
  /** The join itself: rejects as Room.join does (room full, server unreachable). */
  joined: Promise<void>;
}

let early: EarlyJoin | null = null;
let settle: () => void = () => undefined;
/** See earlyJoinSettled(). */
const settled = new Promise<void>((resolve) => {
  settle = resolve;
});

/** Set once the app has looked for an early join: one that starts later is not wanted. */
let claimed = false;

export function startEarlyJoin(): void {
  const route = parseRoute(location.pathname, location.search);
  if (route.page !== 'room' || !ROOM_ID_PATTERN.test(route.roomId)) {
    settle();
    return;
  }
  const direct = parseDirectJoin(route.params);
  const want = direct && { audio: direct.audio, video: direct.video };
  const stream = want && peekEarlyMedia(want);
  if (!direct || !want || !stream) {
    settle();
    return;
  }
  if (!nearServer()) {
    settle();
  }
  setTimeout(settle, SETTLE_LIMIT_MS);
  stream.then((s) => {
    if (claimed) {
      settle();
      return;
    }
    const { tracks, media } = joinedWith(s);
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
    joined.then(() => settleWhenAnswered(room), settle);
    // Held in the lobby, nobody answers until the host lets us in: show the lobby now.
    room.once('lobby-waiting', settle);
    early = {
      roomId: route.roomId,
      name: direct.name,
      signaling,
      room,
      stream: s,
      want,
      joined,
    };
    setTimeout(() => {
      if (early?.room === room) {
        early = null;
        room.close();
        signaling.close();
      }
    }, UNCLAIMED_MS);
  }, settle);
}

/** What a join with this devices' answer sends, and the media it announces with them. */
export function joinedWith(stream: MediaStream): {
  tracks: Record<LocalKind, MediaStreamTrack | null>;
  media: Record<LocalKind, boolean>;
} {
  const tracks = tracksOf(stream);
  return { tracks, media: { audio: tracks.audio !== null, video: tracks.video !== null } };
}

/**
 * Resolves when the app can render without holding back a direct link's join: at once
 * for any other page, else when the early join has heard back from everyone already in
 * the room (a track or a connection from each), waits in a lobby, has failed, or
 * SETTLE_LIMIT_MS passed; at once too when the server is far (NEAR_SERVER_MS).
 *
 * Why wait: the newcomer's offers and the answers to them are handled on the page's
 * main thread, and the app's first evaluation and render hold it for 200–300 ms on a
 * slow machine; answers that arrived during it waited (docs/BENCHMARKS.md). Once the
 * answers are applied, ICE, DTLS and decoding run off the main thread, so the render
 * then overlaps them instead of delaying them.
 */
export function earlyJoinSettled(): Promise<void> {
  return settled;
}

/** Whether this page came from a near server (NEAR_SERVER_MS); unknown counts as far. */
function nearServer(): boolean {
  const nav = performance.getEntriesByType('navigation')[0] as
    PerformanceNavigationTiming | undefined;
  return (
    nav !== undefined &&
    nav.responseStart > 0 &&
    nav.responseStart - nav.requestStart < NEAR_SERVER_MS
  );
}

/** settle() once every participant present at the join has a track or a settled path. */
function settleWhenAnswered(room: Room): void {
  const waiting = new Set(room.participants.filter((p) => !heardFrom(p)).map((p) => p.id));
  const done = (id: string) => {
    waiting.delete(id);
    if (waiting.size === 0) {
      settle();
    }
  };
  const offs = [
    room.on('track-added', (p) => done(p.id)),
    room.on('participant-left', (p) => done(p.id)),
    room.on('connection-state', (p) => {
      if (heardFrom(p)) {
        done(p.id);
      }
    }),
    room.on('state', (state) => {
      if (state !== 'joined') {
        waiting.clear();
        done('');
      }
    }),
  ];
  // Settled this way, by the lobby or by the limit: the room goes on without these.
  void settled.then(() => offs.forEach((off) => off()));
  if (waiting.size === 0) {
    done('');
  }
}

/** The answer to our offer is in: a track arrived or the path settled either way. */
function heardFrom(p: Participant): boolean {
  return (
    Object.keys(p.tracks).length > 0 || p.connection === 'connected' || p.connection === 'closed'
  );
}

/**
 * The devices an early join for this room and name was made with, taken from the early
 * start (whoever takes them stops them): the page can open on the call view holding
 * them, with no "starting" page while it asks for devices it already has. Null when no
 * such join started.
 */
export function takeEarlyJoinMedia(roomId: string, name: string): GrantedMedia | null {
  if (!early || early.roomId !== roomId || early.name !== name) {
    return null;
  }
  // The early start's copy of the same answer is not released for being unclaimed.
  void takeEarlyMedia(early.want);
  return { stream: early.stream, want: early.want };
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
