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
import type { JanusHandle, JanusSession, PluginReply } from './janus-session.js';
import { SafeEmitter } from './safe-emitter.js';
import { SfuError } from './sfu-error.js';
import {
  VIDEOROOM_PLUGIN,
  videoroomErrorCode,
  type CreateRoomOptions,
  type PublishedStream,
  type PublisherInfo,
  type PublisherStreamSettings,
  type StreamDescription,
  type StreamRemoval,
  type StreamRequest,
  type SubscriberStreamSettings,
  type SubscriptionStream,
  type VideoRoomId,
  type VideoRoomParticipant,
} from './videoroom-types.js';

type Data = Record<string, unknown>;

function attachVideoroom(session: JanusSession, opaqueId?: string): Promise<JanusHandle> {
  return session.attach(VIDEOROOM_PLUGIN, { opaqueId, pluginErrors: videoroomErrorCode });
}

/** Drop undefined fields, so Janus never sees `"pin": null`. */
function defined(body: Data): Data {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

function requireJsep(reply: PluginReply, what: string): Jsep {
  if (!reply.jsep) {
    throw new SfuError('sfu_error', `Janus sent no SDP with ${what}`);
  }
  return reply.jsep;
}

function toId(value: unknown): VideoRoomId {
  return typeof value === 'number' ? value : String(value);
}

function optString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function optBool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function toPublishers(value: unknown): PublisherInfo[] {
  return (Array.isArray(value) ? (value as Data[]) : []).map((p) => ({
    id: toId(p.id),
    display: optString(p.display),
    talking: optBool(p.talking),
    streams: (Array.isArray(p.streams) ? (p.streams as Data[]) : []).map((s): PublishedStream => ({
      type: s.type as PublishedStream['type'],
      mindex: Number(s.mindex),
      mid: String(s.mid),
      disabled: s.disabled === true,
      codec: optString(s.codec),
      description: optString(s.description),
      simulcast: s.simulcast === true,
      svc: s.svc === true,
      talking: optBool(s.talking),
    })),
  }));
}

function toSubscriptionStreams(value: unknown): SubscriptionStream[] {
  return (Array.isArray(value) ? (value as Data[]) : []).map((s) => ({
    mindex: Number(s.mindex),
    mid: String(s.mid),
    type: s.type as SubscriptionStream['type'],
    feedId: s.feed_id === undefined ? undefined : toId(s.feed_id),
    feedMid: optString(s.feed_mid),
    feedDisplay: optString(s.feed_display),
    send: s.send !== false,
    ready: s.ready === true,
  }));
}

function streamRequests(streams: readonly StreamRequest[]): Data[] {
  return streams.map((s) => defined({ feed: s.feed, mid: s.mid, crossrefid: s.crossrefid }));
}

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
export class VideoRoomPublisher extends SafeEmitter<PublisherEvents> {
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

export interface SubscriberEvents {
  /**
   * Janus renegotiated on its own: a subscribed publisher left (autoupdate) or a
   * postponed update went through. Answer `offer` with `start(answer)`.
   */
  updated: [streams: SubscriptionStream[], offer: Jsep | undefined];
  /** The room was destroyed. */
  removed: [reason: 'destroyed'];
}

/** One participant's receiving PeerConnection: any streams of any publishers of a room. */
export class VideoRoomSubscriber extends SafeEmitter<SubscriberEvents> {
  private constructor(readonly handle: JanusHandle) {
    super();
    handle.on('event', (data, jsep) => this.onEvent(data, jsep));
  }

  static async attach(session: JanusSession, opaqueId?: string): Promise<VideoRoomSubscriber> {
    return new VideoRoomSubscriber(await attachVideoroom(session, opaqueId));
  }

  /**
   * Subscribe to `streams` of publishers in `room`; resolves with Janus's offer (one
   * m-line per stream) for the browser to answer, then `start(answer)`. Fails with
   * `sfu_no_such_feed` when a publisher is not publishing (yet).
   */
  async subscribe(options: {
    room: VideoRoomId;
    streams: readonly StreamRequest[];
    /** A publisher's private id: required by rooms created with `requirePvtid`. */
    privateId?: number;
    pin?: string;
    /** Give each m-line an msid naming its publisher. */
    useMsid?: boolean;
    /** Renegotiate on its own when a subscribed publisher leaves (Janus: true). */
    autoupdate?: boolean;
  }): Promise<{ offer: Jsep; streams: SubscriptionStream[] }> {
    const reply = await this.handle.message(
      defined({
        request: 'join',
        ptype: 'subscriber',
        room: options.room,
        private_id: options.privateId,
        pin: options.pin,
        use_msid: options.useMsid,
        autoupdate: options.autoupdate,
        streams: streamRequests(options.streams),
      }),
    );
    return {
      offer: requireJsep(reply, 'the subscription'),
      streams: toSubscriptionStreams(reply.data.streams),
    };
  }

  /** Complete an offer of Janus's with the browser's answer; media starts flowing. */
  async start(answer: Jsep): Promise<void> {
    await this.handle.message({ request: 'start' }, answer);
  }

  /**
   * Add and remove streams. Resolves with a new offer to answer with `start`, or none
   * when nothing changed in the SDP, or `postponed` when Janus waits for the answer to
   * a previous offer: the combined offer then comes as an `updated` event.
   */
  async update(changes: {
    subscribe?: readonly StreamRequest[];
    unsubscribe?: readonly StreamRemoval[];
  }): Promise<{ offer: Jsep | undefined; streams: SubscriptionStream[]; postponed: boolean }> {
    const reply = await this.handle.message(
      defined({
        request: 'update',
        subscribe: changes.subscribe ? streamRequests(changes.subscribe) : undefined,
        unsubscribe: changes.unsubscribe?.map((s) =>
          defined({ feed: s.feed, mid: s.mid, sub_mid: s.subMid }),
        ),
      }),
    );
    return {
      offer: reply.jsep,
      streams: toSubscriptionStreams(reply.data.streams),
      postponed: reply.data.videoroom === 'updating',
    };
  }

  /**
   * Per-stream settings: pause or resume a stream, pick a simulcast substream and
   * temporal layer (or SVC layers). `restart: true` asks for an ICE restart: resolves
   * with the new offer.
   */
  async configure(options: {
    streams?: readonly SubscriberStreamSettings[];
    restart?: boolean;
  }): Promise<Jsep | undefined> {
    const reply = await this.handle.message(
      defined({
        request: 'configure',
        restart: options.restart,
        streams: options.streams?.map((s) =>
          defined({
            mid: s.mid,
            send: s.send,
            substream: s.substream,
            temporal: s.temporal,
            fallback: s.fallback,
            spatial_layer: s.spatialLayer,
            temporal_layer: s.temporalLayer,
          }),
        ),
      }),
    );
    return reply.jsep;
  }

  /** Pause every stream of the subscription. */
  async pause(): Promise<void> {
    await this.handle.message({ request: 'pause' });
  }

  /** Resume after `pause` (a `start` without SDP). */
  async resume(): Promise<void> {
    await this.handle.message({ request: 'start' });
  }

  /** End the subscription (closes the PeerConnection); the handle stays. */
  async leave(): Promise<void> {
    await this.handle.message({ request: 'leave' });
  }

  /** Candidates of the browser's receiving PeerConnection; null: end of candidates. */
  trickle(candidates: TrickleCandidate | readonly TrickleCandidate[] | null): Promise<void> {
    return this.handle.trickle(candidates);
  }

  /** Detach: the subscription and its PeerConnection end. Safe to call twice. */
  close(): Promise<void> {
    this.removeAllListeners();
    return this.handle.detach();
  }

  private onEvent(data: Data, jsep: Jsep | undefined): void {
    if (data.videoroom === 'updated') {
      this.emit('updated', toSubscriptionStreams(data.streams), jsep);
    } else if (data.videoroom === 'destroyed') {
      this.emit('removed', 'destroyed');
    }
  }
}
