/**
 * Janus's videoroom plugin, for what Parley needs of it. Browsers never talk to Janus:
 * the Parley server makes these calls on their behalf, with the SDP they sent through
 * Parley's signaling, so room membership and auth stay in one place.
 *
 * - `VideoRoomAdmin`: one handle per node that creates and destroys rooms (private, with
 *   a secret to manage them and a PIN to join them; creating needs the plugin's
 *   admin_key) and lists their participants.
 * - `VideoRoomPublisher`: one handle per publishing participant; `joinAndConfigure`
 *   turns the browser's offer into Janus's answer.
 * - `VideoRoomSubscriber`: one handle per receiving participant, multistream: Janus
 *   offers one m-line per subscribed stream, the browser answers through `start`.
 *
 * Core notifications (webrtcup, media, hangup, slowlink, detached) are on `.handle`;
 * the wrappers emit the videoroom's own notifications.
 */
import type { Jsep, TrickleCandidate } from './janus-api.js';
import type { JanusHandle, JanusSession } from './janus-session.js';
import { Emitter } from '@parley/common';
import {
  attachVideoroom,
  defined,
  requireJsep,
  toId,
  optBool,
  optString,
  toPublishers,
  type Data,
} from './videoroom-json.js';
import type {
  CreateRoomOptions,
  PublisherInfo,
  PublisherStreamSettings,
  StreamDescription,
  VideoRoomId,
  VideoRoomParticipant,
} from './videoroom-types.js';

export { VideoRoomSubscriber, type SubscriberEvents } from './videoroom-subscriber.js';

/** Room management: create, destroy, check and list. One per node is enough. */
export class VideoRoomAdmin {
  private constructor(
    readonly handle: JanusHandle,
    private readonly adminKey: string | undefined,
  ) {}

  /** Attach to the videoroom; `adminKey` is its admin_key (`--sfu-admin-key`). */
  static async attach(
    session: JanusSession,
    options: { adminKey?: string } = {},
  ): Promise<VideoRoomAdmin> {
    return new VideoRoomAdmin(await attachVideoroom(session, 'parley-admin'), options.adminKey);
  }

  /**
   * Create a private room (never listed) that lives until it is destroyed (never written
   * to Janus's config). Rejects with `sfu_room_exists` when the id is taken, and
   * `sfu_unauthorized` when the admin key is wrong.
   */
  async createRoom(options: CreateRoomOptions): Promise<VideoRoomId> {
    const { data } = await this.handle.message(
      defined({
        request: 'create',
        admin_key: this.adminKey,
        room: options.room,
        permanent: false,
        is_private: true,
        description: options.description,
        secret: options.secret,
        pin: options.pin,
        publishers: options.publishers,
        videocodec: options.videocodec,
        audiocodec: options.audiocodec,
        bitrate: options.bitrate,
        bitrate_cap: options.bitrateCap,
        fir_freq: options.firFreq,
        require_pvtid: options.requirePvtid,
        audiolevel_event: options.audiolevelEvent,
        notify_joining: options.notifyJoining,
      }),
    );
    return toId(data.room);
  }

  /** Destroy a room, which ends every publisher and subscriber in it. */
  async destroyRoom(room: VideoRoomId, secret: string): Promise<void> {
    await this.handle.message({ request: 'destroy', room, secret, permanent: false });
  }

  async exists(room: VideoRoomId): Promise<boolean> {
    const { data } = await this.handle.message<{ exists?: boolean }>({ request: 'exists', room });
    return data.exists === true;
  }

  /** Everyone who joined as a publisher, publishing or not (subscribers are not listed). */
  async listParticipants(room: VideoRoomId): Promise<VideoRoomParticipant[]> {
    const { data } = await this.handle.message({ request: 'listparticipants', room });
    return (Array.isArray(data.participants) ? (data.participants as Data[]) : []).map((p) => ({
      id: toId(p.id),
      display: optString(p.display),
      publisher: p.publisher === true,
      talking: optBool(p.talking),
    }));
  }

  /** Remove a participant from a room (its publisher handle gets `kicked`). */
  async kick(room: VideoRoomId, secret: string, id: VideoRoomId): Promise<void> {
    await this.handle.message({ request: 'kick', room, secret, id });
  }

  /** Detach the handle (rooms stay). Safe to call twice. */
  close(): Promise<void> {
    return this.handle.detach();
  }
}

export interface PublisherEvents {
  /** Publishers that started publishing, or changed their streams. */
  publishers: [publishers: PublisherInfo[]];
  /** A publisher stopped publishing (it may still be in the room). */
  unpublished: [id: VideoRoomId];
  /** A participant left the room. */
  leaving: [id: VideoRoomId];
  /** A publisher started or stopped talking (rooms with `audiolevelEvent`). */
  talking: [id: VideoRoomId, talking: boolean];
  /** We are out of the room: kicked, or the room was destroyed. */
  removed: [reason: 'kicked' | 'destroyed'];
}

/** One participant's publishing PeerConnection in a room. */
export class VideoRoomPublisher extends Emitter<PublisherEvents> {
  private constructor(readonly handle: JanusHandle) {
    super();
    handle.on('event', (data) => this.onEvent(data));
  }

  static async attach(session: JanusSession, opaqueId?: string): Promise<VideoRoomPublisher> {
    return new VideoRoomPublisher(await attachVideoroom(session, opaqueId));
  }

  /**
   * Join `room` and publish the browser's `offer` in one request; resolves with Janus's
   * answer, our participant id, our private id (for subscriptions in rooms that require
   * one) and the publishers already there.
   */
  async joinAndConfigure(options: {
    room: VideoRoomId;
    offer: Jsep;
    /** Our participant id (the feed id others subscribe to); Janus picks one if absent. */
    id?: VideoRoomId;
    display?: string;
    pin?: string;
    /** Video bitrate cap, bits per second (overrides the room's). */
    bitrate?: number;
    descriptions?: StreamDescription[];
  }): Promise<{ id: VideoRoomId; privateId: number; publishers: PublisherInfo[]; answer: Jsep }> {
    const reply = await this.handle.message(
      defined({
        request: 'joinandconfigure',
        ptype: 'publisher',
        room: options.room,
        id: options.id,
        display: options.display,
        pin: options.pin,
        bitrate: options.bitrate,
        descriptions: options.descriptions,
      }),
      options.offer,
    );
    return {
      id: toId(reply.data.id),
      privateId: Number(reply.data.private_id),
      publishers: toPublishers(reply.data.publishers),
      answer: requireJsep(reply, 'joinandconfigure'),
    };
  }

  /** Publish again after `unpublish` (same handle, still in the room). */
  async publish(
    offer: Jsep,
    options: { bitrate?: number; descriptions?: StreamDescription[] } = {},
  ): Promise<Jsep> {
    const reply = await this.handle.message(
      defined({ request: 'publish', bitrate: options.bitrate, descriptions: options.descriptions }),
      offer,
    );
    return requireJsep(reply, 'publish');
  }

  /**
   * Change how we publish: bitrate cap, a key frame, streams relayed or not, stream
   * descriptions; with an `offer` (a renegotiation: a new track, simulcast, an ICE
   * restart) resolves with Janus's answer.
   */
  async configure(options: {
    bitrate?: number;
    keyframe?: boolean;
    display?: string;
    streams?: PublisherStreamSettings[];
    descriptions?: StreamDescription[];
    offer?: Jsep;
  }): Promise<Jsep | undefined> {
    const reply = await this.handle.message(
      defined({
        request: 'configure',
        bitrate: options.bitrate,
        keyframe: options.keyframe,
        display: options.display,
        streams: options.streams?.map((s) => defined({ ...s })),
        descriptions: options.descriptions,
      }),
      options.offer,
    );
    return reply.jsep;
  }

  /** Stop publishing (closes the PeerConnection) but stay in the room. */
  async unpublish(): Promise<void> {
    await this.handle.message({ request: 'unpublish' });
  }

  /** Leave the room (and stop publishing). The handle stays for another join. */
  async leave(): Promise<void> {
    await this.handle.message({ request: 'leave' });
  }

  /** Candidates of the browser's publishing PeerConnection; null: end of candidates. */
  trickle(candidates: TrickleCandidate | readonly TrickleCandidate[] | null): Promise<void> {
    return this.handle.trickle(candidates);
  }

  /** Detach: Janus leaves the room and closes the PeerConnection. Safe to call twice. */
  close(): Promise<void> {
    this.removeAllListeners();
    return this.handle.detach();
  }

  private onEvent(data: Data): void {
    if (data.videoroom === 'talking' || data.videoroom === 'stopped-talking') {
      this.emit('talking', toId(data.id), data.videoroom === 'talking');
      return;
    }
    if (data.videoroom === 'destroyed') {
      this.emit('removed', 'destroyed');
      return;
    }
    if (data.videoroom !== 'event') {
      return;
    }
    if (data.publishers !== undefined) {
      this.emit('publishers', toPublishers(data.publishers));
    }
    if (data.unpublished !== undefined && data.unpublished !== 'ok') {
      this.emit('unpublished', toId(data.unpublished));
    }
    if (data.leaving === 'ok' && data.reason === 'kicked') {
      this.emit('removed', 'kicked');
    } else if (data.leaving !== undefined && data.leaving !== 'ok') {
      this.emit('leaving', toId(data.leaving));
    }
  }
}
