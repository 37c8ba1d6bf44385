import { startTransition, useEffect, useReducer, useRef, useState } from 'react';
import {
  ParleyError,
  Room,
  type Participant,
  type RoomState,
  type SignalingClient,
} from '@parley/client';
import type { LocalMedia, LocalMediaSnapshot } from '../media/local-media';
import { joinedWith, takeEarlyJoin } from './early-join';
import { createSignaling } from './signaling';
import { keepHostKeys, loadHostKey } from './host-key';

/** What we announce to the room: a muted mic counts as off, a stopped camera as off. */
export function announcedMedia(s: LocalMediaSnapshot): { audio: boolean; video: boolean } {
  return { audio: s.audio.track !== null && s.audio.on, video: s.video.track !== null };
}

export interface RoomSession {
  room: Room | null;
  state: RoomState;
  /** Remote participants, in the order they appeared. */
  participants: Participant[];
  /** The room's lobby holds us until the host lets us in. */
  waiting: boolean;
  /** Who asked us to mute (their name), until the notice is dismissed. */
  /** Who asked us to mute ('' for a host without a name), or null. */
  muteRequest: string | null;
  dismissMuteRequest: () => void;
}

/**
 * Join `roomId` for as long as the component is mounted, keeping what we send in step
 * with `media`. Anything that ends the call without the user asking (room full, server
 * unreachable, connection lost for good) goes to `onFatal`. With `shared`, the room runs
 * on a signaling client the page owns (meet and the board: their private rooms are
 * granted to that session), which is left open when the room closes.
 */
export function useRoomSession(
  roomId: string,
  name: string,
  media: LocalMedia,
  onFatal: (error: Error) => void,
  shared?: SignalingClient,
  password?: string,
): RoomSession {
  const [room, setRoom] = useState<Room | null>(null);
  const [waiting, setWaiting] = useState(false);
  const [muteRequest, setMuteRequest] = useState<string | null>(null);
  // Participants are live SDK objects; any room event re-renders and re-reads them.
  const [, bump] = useReducer((n: number) => n + 1, 0);
  const fatal = useRef(onFatal);
  fatal.current = onFatal;

  useEffect(() => {
    // Re-rendering the call view is a transition: React yields between components, so
    // the peer connections' own events (the next offer, answer or candidate) are not
    // held up behind a render while a call is being set up.
    const refresh = (): void => startTransition(bump);
    // A direct link may have joined already while the app rendered (early-join.ts).
    const early = shared ? undefined : takeEarlyJoin(roomId, name);
    const signaling = shared ?? early?.signaling ?? createSignaling();
    const closeSignaling = (): void => {
      if (!shared) {
        signaling.close();
      }
    };
    const current = early?.room ?? new Room(signaling);
    setRoom(current);
    let disposed = false;
    let lastError: Error | null = null;

    const offs = [
      current.on('state', (state) => {
        refresh();
        if (state === 'joined') {
          setWaiting(false);
        }
        if (state === 'left' && !disposed) {
          fatal.current(
            lastError ?? new ParleyError('connection_closed', 'the connection to the server ended'),
          );
        }
      }),
      current.on('participant-joined', refresh),
      current.on('participant-left', refresh),
      current.on('track-added', refresh),
      current.on('track-removed', refresh),
      current.on('media-state', refresh),
      current.on('connection-state', refresh),
      current.on('mode-changed', (change) => {
        refresh();
        // For operators and the browser tests: how long the switch took, and the gap.
        console.info(`parley: mode-changed ${JSON.stringify(change)}`);
      }),
      current.on('lobby-waiting', () => setWaiting(true)),
      // Asked to mute: the mic goes off at once and we say who asked; unmuting is ours.
      current.on('mute-requested', (by) => {
        void media.setAudio(false);
        // '' when the host has no name to show: the page then says "the host".
        setMuteRequest(by?.name ?? '');
      }),
      current.hosting.on('host-changed', refresh),
      current.hosting.on('access', refresh),
      current.hosting.on('lobby', refresh),
      keepHostKeys(current, roomId),
      current.on('error', (err) => {
        // Most errors concern one peer and the call goes on; the state handler above
        // reports the ones that end it, with this as the reason.
        lastError = err;
        console.warn('parley:', err);
      }),
    ];

    // An early join may already wait in the lobby.
    setWaiting(current.waitingInLobby);

    // Send whatever the devices give us now, and follow every later change.
    const start = media.getSnapshot();
    const earlyMedia = early && joinedWith(early.stream);
    const sent = earlyMedia
      ? { ...earlyMedia.tracks }
      : { audio: start.audio.track, video: start.video.track };
    let announced = earlyMedia ? earlyMedia.media : announcedMedia(start);
    const follow = (): void => {
      const s = media.getSnapshot();
      for (const kind of ['audio', 'video'] as const) {
        if (s[kind].track !== sent[kind]) {
          sent[kind] = s[kind].track;
          current.setTrack(kind, s[kind].track).catch((err: unknown) => {
            console.warn(`parley: could not switch the ${kind} track`, err);
          });
        }
      }
      const next = announcedMedia(s);
      if (next.audio !== announced.audio || next.video !== announced.video) {
        announced = next;
        current.setMediaState(next);
      }
    };
    offs.push(media.subscribe(follow));

    const hostKey = loadHostKey(roomId);
    const joining =
      early?.joined ??
      current.join(roomId, {
        name,
        tracks: { audio: start.audio.track, video: start.video.track },
        stream: start.stream,
        media: announced,
        ...(password === undefined ? {} : { password }),
        ...(hostKey ? { hostKey } : {}),
      });
    if (early) {
      // Catch up with anything that changed since the early join, and show its state.
      follow();
      refresh();
    }
    joining.catch((err: unknown) => {
      if (!disposed) {
        fatal.current(err as Error);
      }
    });

    // Tell the others right away when the tab closes, rather than after a heartbeat timeout.
    const onPageHide = (): void => {
      disposed = true;
      current.close();
      closeSignaling();
    };
    window.addEventListener('pagehide', onPageHide);
    // Restored from the back/forward cache after pagehide closed the call: start fresh.
    const onPageShow = (ev: PageTransitionEvent): void => {
      if (ev.persisted) {
        location.reload();
      }
    };
    window.addEventListener('pageshow', onPageShow);

    return () => {
      disposed = true;
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('pageshow', onPageShow);
      for (const off of offs) {
        off();
      }
      current.close();
      closeSignaling();
    };
  }, [roomId, name, media, shared, password]);

  return {
    room,
    state: room?.state ?? 'idle',
    participants: room?.participants ?? [],
    waiting,
    muteRequest,
    dismissMuteRequest: () => setMuteRequest(null),
  };
}
