/**
 * What Parley reads and writes of Janus's videoroom plugin (janus-gateway
 * src/plugins/janus_videoroom.c, whose header comment documents every request), in our
 * own camelCase shapes; videoroom.ts converts from and to Janus's JSON.
 */
import type { SfuErrorCode } from './sfu-error.js';

export const VIDEOROOM_PLUGIN = 'janus.plugin.videoroom';

/**
 * Room and participant ids: numbers, or strings when the plugin runs with
 * `string_ids = true` (`--sfu-string-ids`, the default of `parley janus-config`).
 */
export type VideoRoomId = number | string;

/**
 * The videoroom's error codes (JANUS_VIDEOROOM_ERROR_* in janus_videoroom.c) to ours. A
 * missing admin key, room secret or PIN is a 429 "Missing mandatory element (pin)" in
 * Janus, and a wrong one a 433; both are `sfu_unauthorized` to us.
 */
export function videoroomErrorCode(code: number, reason = ''): SfuErrorCode {
  if (code === 429 && /\((admin_key|secret|pin)\)/.test(reason)) {
    return 'sfu_unauthorized';
  }
  switch (code) {
    case 426:
      return 'sfu_no_such_room';
    case 427:
      return 'sfu_room_exists';
    case 428:
      return 'sfu_no_such_feed';
    case 432:
      return 'sfu_publishers_full';
    case 433:
      return 'sfu_unauthorized';
    case 436:
      return 'sfu_id_exists';
    case 431: // invalid SDP type
    case 437: // invalid SDP
      return 'sfu_invalid_sdp';
    case 424: // join first
    case 425: // already joined
    case 434: // already published
    case 435: // not published
      return 'sfu_wrong_state';
    case 421: // no message
    case 422: // invalid JSON
    case 423: // invalid request
    case 429: // missing element
    case 430: // invalid element
      return 'sfu_bad_request';
    default:
      return 'sfu_error';
  }
}

export interface CreateRoomOptions {
  room: VideoRoomId;
  /** Needed to destroy the room, kick participants or edit it (the room `secret`). */
  secret: string;
  /** Needed to join the room as publisher or subscriber (the room `pin`). */
  pin?: string;
  /** For Janus's logs only: rooms are private, so no one lists them. */
  description?: string;
  /** How many may publish at once. */
  publishers: number;
  /** Allowed video codecs in order of preference, e.g. "vp8" or "vp8,h264". Janus: vp8. */
  videocodec?: string;
  /** Allowed audio codecs in order of preference. Janus: opus. */
  audiocodec?: string;
  /** Video bitrate cap of each publisher (REMB), bits per second; 0: none. */
  bitrate?: number;
  /** Whether `bitrate` also caps what publishers ask for themselves. */
  bitrateCap?: boolean;
  /** Ask publishers for a key frame every this many seconds; 0: never. */
  firFreq?: number;
  /** Subscribers must name a publisher of the room (its private id). */
  requirePvtid?: boolean;
  /** Send `talking`/`stopped-talking` events from audio levels. */
  audiolevelEvent?: boolean;
  /** Tell participants about joins of non-publishers too. */
  notifyJoining?: boolean;
}

/** A participant of a room, from `listparticipants`. */
export interface VideoRoomParticipant {
  id: VideoRoomId;
  display: string | undefined;
  /** Publishing now: its PeerConnection with Janus is up. */
  publisher: boolean;
  talking: boolean | undefined;
}

/** One stream a publisher sends. */
export interface PublishedStream {
  type: 'audio' | 'video' | 'data';
  mindex: number;
  mid: string;
  disabled: boolean;
  codec: string | undefined;
  description: string | undefined;
  simulcast: boolean;
  svc: boolean;
  talking: boolean | undefined;
}

/** An active publisher: a feed others can subscribe to. */
export interface PublisherInfo {
  id: VideoRoomId;
  display: string | undefined;
  streams: PublishedStream[];
  talking: boolean | undefined;
}

/** A stream to subscribe to: all of a feed's streams, or the one with `mid`. */
export interface StreamRequest {
  feed: VideoRoomId;
  mid?: string;
  /** An id of ours, echoed in the subscription's streams. */
  crossrefid?: string;
}

/** What to stop receiving: a whole feed, one of its streams, or one of our m-lines. */
export interface StreamRemoval {
  feed?: VideoRoomId;
  mid?: string;
  /** The mid of the m-line in the subscription (not the publisher's). */
  subMid?: string;
}

/** One m-line of a subscription. */
export interface SubscriptionStream {
  mindex: number;
  /** The mid in the subscriber's PeerConnection. */
  mid: string;
  type: 'audio' | 'video' | 'data';
  feedId: VideoRoomId | undefined;
  /** The mid of the stream in the publisher's PeerConnection. */
  feedMid: string | undefined;
  feedDisplay: string | undefined;
  /** Janus relays media on it. */
  send: boolean;
  /** The publisher stream is up. */
  ready: boolean;
  /** False for an m-line left over from a stream that was removed (kept for reuse). */
  active: boolean;
}

/** Per-stream settings of a subscription (`configure`). */
export interface SubscriberStreamSettings {
  /** The subscription's mid. */
  mid: string;
  /** false pauses this stream (e.g. a tile off screen). */
  send?: boolean;
  /** Simulcast: which substream (0 lowest … 2 highest). */
  substream?: 0 | 1 | 2;
  /** Simulcast: up to which temporal layer (0 … 2). */
  temporal?: 0 | 1 | 2;
  /** Simulcast: microseconds without packets before dropping to a lower substream. */
  fallback?: number;
  /** VP9 SVC: spatial layer (0 … 2). */
  spatialLayer?: 0 | 1 | 2;
  /** VP9 SVC: temporal layer (0 … 2). */
  temporalLayer?: 0 | 1 | 2;
}

/** Per-stream settings of a publisher (`configure`). */
export interface PublisherStreamSettings {
  mid: string;
  /** false: Janus stops relaying this stream to subscribers. */
  send?: boolean;
  /** Ask the publisher for a key frame on this stream. */
  keyframe?: boolean;
}

/** A text description of a published stream (e.g. "screen"), shown to subscribers. */
export interface StreamDescription {
  mid: string;
  description: string;
}
