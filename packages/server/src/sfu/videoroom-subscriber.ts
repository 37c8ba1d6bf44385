/**
 * A videoroom subscriber: one participant's receiving PeerConnection, multistream. Janus
 * offers one m-line per subscribed stream (of any publishers of the room), the browser
 * answers through `start`, and later changes renegotiate the same PeerConnection.
 */
import type { Jsep, TrickleCandidate } from './janus-api.js';
import type { JanusHandle, JanusSession } from './janus-session.js';
import { Emitter } from '@parley/common';
import {
  attachVideoroom,
  defined,
  requireJsep,
  streamRequests,
  toSubscriptionStreams,
  type Data,
} from './videoroom-json.js';
import type {
  StreamRemoval,
  StreamRequest,
  SubscriberStreamSettings,
  SubscriptionStream,
  VideoRoomId,
} from './videoroom-types.js';

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
export class VideoRoomSubscriber extends Emitter<SubscriberEvents> {
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
