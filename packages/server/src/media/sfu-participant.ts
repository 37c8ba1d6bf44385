import type { SfuStream } from '@parley/protocol';
import type { Logger } from '../logger.js';
import {
  VideoRoomPublisher,
  VideoRoomSubscriber,
  type Jsep,
  type JanusSession,
  type PublisherInfo,
  type SubscriptionStream,
  type TrickleCandidate,
  type VideoRoomId,
} from '../sfu/index.js';

/** What a participant needs to know of its room's videoroom. */
export interface ParticipantRoom {
  id: VideoRoomId;
  pin: string;
}

export interface ParticipantOptions {
  roomId: string;
  peerId: string;
  /** Use the peer id as the Janus publisher id (videoroom with string ids). */
  stringIds: boolean;
  /**
   * Where the subscriber offers go: the participant's own socket. `fresh`: the offer of a
   * new subscription (a new connection for the browser), not a renegotiation.
   */
  sendOffer: (jsep: Jsep, streams: SfuStream[], fresh: boolean) => void;
  /** The Janus side went away on its own (session lost, room destroyed). */
  onLost: () => void;
  log: Logger;
  /**
   * How long to wait before asking Janus again for feeds it did not put in the
   * subscription (a failed `join` or `update`, or one it skipped), one delay per attempt;
   * after the last, the participant waits for the next change in the room or an
   * `sfu-restart`. Default `RESUBSCRIBE_DELAYS_MS`.
   */
  resubscribeDelaysMs?: readonly number[];
}

/** Default waits between attempts to subscribe to feeds Janus left out (ms). */
export const RESUBSCRIBE_DELAYS_MS: readonly number[] = [250, 500, 1000, 2000, 4000, 8000];

/**
 * One participant's two connections with Janus, held by the node of its session: a
 * publisher handle (its own tracks and data channel, and the room's publisher events)
 * and a subscriber handle (everyone else's streams, one m-line each). Subscriber changes
 * run one at a time; Janus itself postpones an update while an offer is unanswered.
 */
export class SfuParticipant {
  private publisher: VideoRoomPublisher | null = null;
  private subscriber: VideoRoomSubscriber | null = null;
  /** Feeds (publisher ids) this participant should receive, and their peer ids. */
  private readonly wanted = new Map<string, string>();
  /** Feeds Janus has put in the subscription (its latest `streams`), not merely asked for. */
  private subscribed = new Set<string>();
  /** Feeds asked for in an update Janus postponed: its `updated` offer will say. */
  private readonly requested = new Set<string>();
  private current: SfuStream[] = [];
  /** Offers sent to the browser; `answered` is the last one it answered. */
  private offersSent = 0;
  private answered = 0;
  /**
   * Janus refused the browser's answer to its latest offer. It then postpones every
   * later offer (an update, an ICE restart) until an answer it takes, which will not
   * come: only a new subscription gets the browser a usable offer again.
   */
  private answerRefused = false;
  private queue: Promise<void> = Promise.resolve();
  private publishing: Promise<unknown> = Promise.resolve();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retries = 0;
  private closed = false;

  constructor(
    private readonly session: JanusSession,
    private readonly room: ParticipantRoom,
    private readonly options: ParticipantOptions,
  ) {}

  get roomId(): string {
    return this.options.roomId;
  }

  get peerId(): string {
    return this.options.peerId;
  }

  /** The videoroom this participant is in (in Janus's id form, as a string). */
  get janusRoom(): string {
    return String(this.room.id);
  }

  /** The streams of the latest subscriber offer. */
  get streams(): readonly SfuStream[] {
    return this.current;
  }

  /**
   * Publish (or renegotiate) with the browser's offer; resolves with Janus's answer. One
   * at a time: a browser whose first `sfu-publish` timed out offers again while Janus may
   * still be joining the first, and a second `joinandconfigure` would be refused (id
   * exists) and drop the first handle.
   */
  publish(offer: Jsep): Promise<Jsep> {
    const turn = this.publishing.then(() => this.publishNow(offer));
    this.publishing = turn.catch(() => undefined);
    return turn;
  }

  private async publishNow(offer: Jsep): Promise<Jsep> {
    if (this.closed) {
      throw new Error('closed');
    }
    if (this.publisher) {
      const publisher = this.publisher;
      const answer = await publisher.configure({ offer }).catch((err: unknown) => {
        this.janusFailed('configure (publisher)', publisher.handle.id, err);
        throw err;
      });
      if (!answer) {
        throw new Error('Janus gave no answer to a renegotiation');
      }
      return answer;
    }
    const publisher = await VideoRoomPublisher.attach(this.session, `parley-${this.peerId}`);
    if (this.closed) {
      await publisher.close();
      throw new Error('closed');
    }
    this.publisher = publisher;
    publisher.on('publishers', (list) => this.addFeeds(list));
    publisher.on('unpublished', (id) => this.dropFeed(id));
    publisher.on('leaving', (id) => this.dropFeed(id));
    publisher.on('removed', () => this.lost());
    publisher.handle.on('detached', (reason) => {
      if (reason !== 'detached') {
        this.lost();
      }
    });
    try {
      const joined = await publisher.joinAndConfigure({
        room: this.room.id,
        offer,
        display: this.peerId,
        pin: this.room.pin,
        ...(this.options.stringIds ? { id: this.peerId } : {}),
      });
      this.addFeeds(joined.publishers);
      return joined.answer;
    } catch (err) {
      this.janusFailed('joinandconfigure', publisher.handle.id, err);
      // A publisher whose first offer failed is not reused (docs/SFU.md).
      this.publisher = null;
      await publisher.close();
      throw err;
    }
  }

  /** An offer of Janus's went out and the browser has not answered it yet. */
  private get awaitingAnswer(): boolean {
    return this.answered < this.offersSent;
  }

  /** The browser's answer to the latest subscriber offer. */
  async answer(answer: Jsep): Promise<void> {
    const subscriber = this.subscriber;
    if (!subscriber) {
      throw new Error('no subscriber offer to answer');
    }
    // The offer this answers: Janus may send its next one (an update it postponed) right
    // after its reply to `start`, before this function resumes.
    const offer = this.offersSent;
    try {
      await subscriber.start(answer);
    } catch (err) {
      this.janusFailed('start', subscriber.handle.id, err);
      if (offer === this.offersSent && this.subscriber === subscriber) {
        this.answerRefused = true;
      }
      throw err;
    }
    this.answered = Math.max(this.answered, offer);
    this.answerRefused = false;
  }

  hasSubscriber(): boolean {
    return this.subscriber !== null;
  }

  async trickle(target: 'publisher' | 'subscriber', candidate: TrickleCandidate | null) {
    const handle = target === 'publisher' ? this.publisher : this.subscriber;
    if (!handle) {
      throw new Error(`no ${target} connection to trickle to`);
    }
    await handle.trickle(candidate);
  }

  /** Pick the simulcast layer of `peerId`'s video; false when no such stream is received. */
  async setLayer(peerId: string, substream: 0 | 1 | 2): Promise<boolean> {
    const mids = this.current.filter((s) => s.peerId === peerId && s.kind === 'video');
    if (!this.subscriber || mids.length === 0) {
      return false;
    }
    await this.subscriber.configure({ streams: mids.map((s) => ({ mid: s.mid, substream })) });
    return true;
  }

  /**
   * Stop (or resume) forwarding `peerId`'s video to this participant; their audio goes
   * on. False when no video of theirs is received. Janus keeps the setting per m-line
   * and asks the publisher for a keyframe on resume.
   */
  async setPaused(peerId: string, paused: boolean): Promise<boolean> {
    const mids = this.current.filter((s) => s.peerId === peerId && s.kind === 'video');
    if (!this.subscriber || mids.length === 0) {
      return false;
    }
    // In turn with subscription changes: a `configure` that lands while Janus renegotiates
    // the subscription can be lost with the stream it names (seen with eight joining).
    const subscriber = this.subscriber;
    await new Promise<void>((resolve, reject) => {
      this.enqueue(async () => {
        try {
          const now = this.current.filter((s) => s.peerId === peerId && s.kind === 'video');
          if (!this.closed && this.subscriber === subscriber && now.length > 0) {
            await subscriber.configure({
              streams: now.map((s) => ({ mid: s.mid, send: !paused })),
            });
          }
          resolve();
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    return true;
  }

  /**
   * Restart ICE on the receiving connection: Janus makes a new offer with new
   * credentials, sent to the browser like any other. While an earlier offer is still
   * unanswered Janus postpones the restart and sends it as an `updated` offer after the
   * answer, without answering this request, so it is not waited for then. Runs in turn
   * with subscription changes. False without a subscription.
   */
  restartIce(): boolean {
    const subscriber = this.subscriber;
    if (!subscriber) {
      // No receiving connection yet (every attempt to subscribe failed, or none was made
      // since): ask Janus afresh, and its offer comes as any other.
      if (this.wanted.size === 0) {
        return false;
      }
      this.retries = 0;
      this.enqueue(() => this.subscribeWanted());
      return true;
    }
    this.enqueue(async () => {
      if (this.closed || this.subscriber !== subscriber) {
        return;
      }
      if (this.answerRefused) {
        await this.startOver(subscriber);
        return;
      }
      if (this.awaitingAnswer) {
        // Janus does not reply to this one: it sends the restart offer as `updated` once
        // the pending offer is answered (janus_videoroom.c, subscriber `configure`).
        subscriber
          .configure({ restart: true })
          .catch((err: unknown) =>
            this.janusFailed('configure (restart)', subscriber.handle.id, err),
          );
        return;
      }
      const offer = await subscriber.configure({ restart: true });
      if (offer && !this.closed) {
        this.send(offer);
      }
    });
    // Feeds Janus left out get another chance along with the new offer.
    this.retries = 0;
    this.enqueue(() => this.subscribeWanted());
    return true;
  }

  /**
   * Drop a subscription Janus is stuck on and subscribe afresh: a new handle, a `join`
   * for every feed wanted, and its offer sent as `fresh`.
   */
  private async startOver(stale: VideoRoomSubscriber): Promise<void> {
    this.options.log.warn(
      this.context(),
      'sfu: starting a subscription over after a refused answer',
    );
    this.subscriber = null;
    this.subscribed = new Set();
    this.requested.clear();
    this.answered = this.offersSent;
    this.answerRefused = false;
    await stale.close().catch((err: unknown) => this.janusFailed('detach', stale.handle.id, err));
    await this.subscribeWanted();
  }

  /** Detach both handles: Janus closes the connections. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    const handles = [this.publisher, this.subscriber];
    this.publisher = null;
    this.subscriber = null;
    await Promise.all(handles.map((h) => h?.close().catch(() => undefined)));
  }

  private lost(): void {
    if (!this.closed) {
      this.options.onLost();
    }
  }

  private addFeeds(list: readonly PublisherInfo[]): void {
    for (const p of list) {
      const peerId = this.options.stringIds ? String(p.id) : (p.display ?? String(p.id));
      if (peerId !== this.peerId) {
        this.wanted.set(String(p.id), peerId);
      }
    }
    this.retries = 0;
    this.enqueue(() => this.subscribeWanted());
  }

  private dropFeed(id: VideoRoomId): void {
    // Janus renegotiates the subscription itself (autoupdate): see `updated`.
    this.wanted.delete(String(id));
    this.subscribed.delete(String(id));
    this.requested.delete(String(id));
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch((err: unknown) => {
      this.options.log.warn(
        this.context({ err }),
        'sfu: could not update a subscription; trying again later',
      );
      this.retryLater();
    });
  }

  /** Who this is, for the log: the Parley room and peer, the videoroom and its handles. */
  private context(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      room: this.roomId,
      peer: this.peerId,
      janusRoom: this.janusRoom,
      publisherHandle: this.publisher?.handle.id,
      subscriberHandle: this.subscriber?.handle.id,
      ...extra,
    };
  }

  /** A Janus request on behalf of this participant failed: never silently. */
  private janusFailed(request: string, handle: number, err: unknown): void {
    // After close, a request still in flight fails as its handle goes: no news then.
    const level = this.closed ? 'debug' : 'warn';
    this.options.log[level](this.context({ err, request, handle }), 'sfu: Janus refused a request');
  }

  /** Feeds we want that Janus has not put in the subscription, nor is about to. */
  private missing(): string[] {
    return [...this.wanted.keys()].filter((f) => !this.subscribed.has(f) && !this.requested.has(f));
  }

  /**
   * Ask again, after the next delay, for the feeds Janus left out. A publisher can be in
   * the room and not in a subscription: Janus skips (update) or refuses (join) a feed
   * whose connection is not up, and a feed can leave between its event and our request.
   */
  private retryLater(): void {
    const delays = this.options.resubscribeDelaysMs ?? RESUBSCRIBE_DELAYS_MS;
    if (this.closed || this.retryTimer || this.missing().length === 0) {
      return;
    }
    const delay = delays[this.retries];
    if (delay === undefined) {
      this.options.log.error(
        this.context({ missing: this.missing(), attempts: this.retries }),
        'sfu: gave up subscribing to feeds Janus left out (until the next change or sfu-restart)',
      );
      return;
    }
    this.retries++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.enqueue(() => this.subscribeWanted());
    }, delay);
    this.retryTimer.unref();
  }

  private async subscribeWanted(): Promise<void> {
    const feeds = this.missing();
    if (this.closed || feeds.length === 0) {
      return;
    }
    const requests = feeds.map((f) => ({ feed: this.options.stringIds ? f : Number(f) }));
    if (!this.subscriber) {
      const subscriber = await VideoRoomSubscriber.attach(this.session, `parley-${this.peerId}`);
      if (this.closed) {
        await subscriber.close();
        return;
      }
      subscriber.on('updated', (streams, offer) => {
        // The whole subscription as Janus has it now: after an update it had postponed,
        // or on its own when a publisher left (autoupdate).
        this.requested.clear();
        this.took(streams);
        if (offer) {
          this.offer(offer, streams);
        }
        this.retryLater();
      });
      subscriber.on('removed', () => this.lost());
      let joined: Awaited<ReturnType<VideoRoomSubscriber['subscribe']>>;
      try {
        joined = await subscriber.subscribe({
          room: this.room.id,
          pin: this.room.pin,
          streams: requests,
          useMsid: true,
        });
      } catch (err) {
        // Not reused: Janus may have half set it up. The next attempt attaches afresh.
        this.janusFailed('join (subscriber)', subscriber.handle.id, err);
        await subscriber.close().catch(() => undefined);
        throw err;
      }
      if (this.closed) {
        await subscriber.close();
        return;
      }
      this.subscriber = subscriber;
      this.took(joined.streams);
      this.offer(joined.offer, joined.streams, true);
      this.retryLater();
      return;
    }
    const subscriber = this.subscriber;
    let updated: Awaited<ReturnType<VideoRoomSubscriber['update']>>;
    try {
      updated = await subscriber.update({ subscribe: requests });
    } catch (err) {
      this.janusFailed('update (subscribe)', subscriber.handle.id, err);
      throw err;
    }
    if (updated.postponed) {
      // Janus waits for the answer to its last offer, then sends `updated` with one that
      // includes these (or leaves out those it could not take).
      feeds.forEach((f) => this.requested.add(f));
      return;
    }
    if (updated.offer) {
      this.took(updated.streams);
      this.offer(updated.offer, updated.streams);
    } else {
      // "Nothing changed": Janus skipped every feed asked for (not publishing yet, or gone).
      this.options.log.info(
        this.context({ feeds }),
        'sfu: Janus skipped feeds in a subscription update; asking again later',
      );
    }
    this.retryLater();
  }

  /** What Janus says the subscription carries now. */
  private took(streams: readonly SubscriptionStream[]): void {
    this.subscribed = new Set(
      streams.flatMap((s) => (s.feedId === undefined ? [] : [String(s.feedId)])),
    );
  }

  private offer(jsep: Jsep, streams: readonly SubscriptionStream[], fresh = false): void {
    if (this.closed) {
      return;
    }
    this.current = streams.flatMap((s) => {
      const feed = s.feedId === undefined ? undefined : String(s.feedId);
      const peerId = feed === undefined ? undefined : this.wanted.get(feed);
      return peerId === undefined || !s.mid ? [] : [{ mid: s.mid, peerId, kind: s.type }];
    });
    this.send(jsep, fresh);
  }

  private send(jsep: Jsep, fresh = false): void {
    this.offersSent++;
    this.options.sendOffer(jsep, this.current, fresh);
  }
}
