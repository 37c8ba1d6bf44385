import type { ConnectionState, Participant, RoomState } from '@parley/client';
import type { LocalMediaSnapshot } from '../media/local-media';
import { t } from '../../i18n/i18n';

/** How the media path to a participant is doing, in the words a tile shows. */
export type TileConnection = 'connecting' | 'connected' | 'reconnecting' | 'failed';

/** Everything a tile needs to draw one person. */
export interface TileModel {
  id: string;
  /** A person's camera (or initials), or a shared screen ("Ana's screen"). */
  kind: 'camera' | 'screen';
  name: string;
  isSelf: boolean;
  video: MediaStreamTrack | null;
  audioOn: boolean;
  /** Their video shows (camera on, track here, path up). */
  videoOn: boolean;
  /**
   * Their camera is on and its track is here, but the path is not up yet: the tile shows
   * the initials over a <video> that is already attached, so that the first frame is
   * drawn the moment it arrives rather than after a <video> is made for it.
   */
  videoWaiting: boolean;
  connection: TileConnection;
  /** Their voice is coming through right now (drives the highlight). */
  speaking: boolean;
  /** Their video is paused because nobody sees the tile (off screen, page hidden). */
  videoPaused: boolean;
  /** The one tile highlighted as the active speaker (active-speaker.ts). */
  activeSpeaker: boolean;
  /** Their hand is raised (room-wide state, seen by everyone). */
  hand: boolean;
  /** They are recording the call. */
  recording: boolean;
}

/** The SDK's connection state in a tile's words: a path closed for good has failed. */
export function connectionToTile(state: ConnectionState): TileConnection {
  return state === 'closed' ? 'failed' : state;
}

function roomStateToTile(state: RoomState): TileConnection {
  switch (state) {
    case 'joined':
      return 'connected';
    case 'reconnecting':
      return 'reconnecting';
    case 'left':
      return 'failed';
    default:
      return 'connecting';
  }
}

export function selfTile(
  name: string,
  media: LocalMediaSnapshot,
  state: RoomState,
  speaking = false,
  flags: { hand?: boolean; recording?: boolean } = {},
): TileModel {
  return {
    id: 'self',
    kind: 'camera',
    name,
    isSelf: true,
    video: media.video.track,
    audioOn: media.audio.track !== null && media.audio.on,
    videoOn: media.video.track !== null,
    videoWaiting: false,
    connection: roomStateToTile(state),
    speaking,
    videoPaused: false,
    activeSpeaker: false,
    hand: flags.hand === true,
    recording: flags.recording === true,
  };
}

/**
 * Whether frames can be flowing: until the media path is up there are none, and initials
 * look better than black. After a break the SDK repairs the path ("reconnecting"): the
 * last frames stay up meanwhile.
 */
function pathUp(connection: TileConnection): boolean {
  return connection === 'connected' || connection === 'reconnecting';
}

export function remoteTile(p: Participant, speaking = false, videoPaused = false): TileModel {
  const connection = connectionToTile(p.connection);
  const camera = p.media.video && p.tracks.video !== undefined;
  const up = pathUp(connection);
  return {
    id: p.id,
    kind: 'camera',
    name: p.name,
    isSelf: false,
    video: p.tracks.video ?? null,
    audioOn: p.media.audio,
    videoOn: camera && up,
    videoWaiting: camera && !up,
    connection,
    speaking,
    videoPaused,
    activeSpeaker: false,
    hand: p.media.hand === true,
    recording: p.media.recording === true,
  };
}

/** The id of someone's screen tile: beside their camera tile, never confused with it. */
export function screenTileId(ownerId: string): string {
  return `${ownerId}:screen`;
}

/** A shared screen as a tile of its own; `owner` is their camera tile. */
export function screenTile(owner: TileModel, track: MediaStreamTrack): TileModel {
  const shown = owner.isSelf || pathUp(owner.connection);
  return {
    ...owner,
    id: screenTileId(owner.id),
    kind: 'screen',
    name: owner.isSelf ? t('tile.yourScreen') : t('tile.screenOf', { name: owner.name }),
    video: track,
    videoOn: shown,
    videoWaiting: !shown,
    speaking: false,
    // The hand, the recording badge and the speaker outline belong to the person's tile.
    activeSpeaker: false,
    hand: false,
    recording: false,
    videoPaused: false,
  };
}

/** Up to two initials for the camera-off avatar ("Ada Lovelace" → "AL"). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return (
    letters
      .map((w) => Array.from(w as string)[0] ?? '')
      .join('')
      .toUpperCase() || '?'
  );
}

/** A stable, calm colour per person, so avatars are told apart at a glance. */
export function avatarHue(id: string): number {
  let h = 0;
  for (const c of id) {
    h = (h * 31 + (c.codePointAt(0) ?? 0)) % 360;
  }
  return h;
}
