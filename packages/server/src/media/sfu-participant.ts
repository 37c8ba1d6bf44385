import type { SfuStream } from '@parley/protocol';
import type { Logger } from '../logger.js';
import { feedMidKey, liveMids, publishedKind, subscriptionChanges } from './feed-streams.js';
import {
  VideoRoomPublisher,
  VideoRoomSubscriber,
  type Jsep,
  type JanusSession,
  type PublishedStream,
  type PublisherInfo,
  type SubscriberStreamSettings,
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
  /** Where the subscriber offers go: the participant's own socket. */
  sendOffer: (jsep: Jsep, streams: SfuStream[]) => void;
  /** The Janus side went away on its own (session lost, room destroyed). */
  onLost: () => void;
  log: Logger;
}

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
  private readonly subscribed = new Set<string>();
  /** Each wanted feed's streams, as the room's latest `publishers` event listed them. */
  private readonly published = new Map<string, readonly PublishedStream[]>();
  /** The subscription's m-lines as Janus last listed them. */
  private subscription: SubscriptionStream[] = [];
  /** Streams asked for (a new feed's, or one by one: a screen), until Janus lists them. */
  private readonly asked = new Set<string>();
  private current: SfuStream[] = [];
  /** An offer of Janus's went out and the browser has not answered it yet. */
  private awaitingAnswer = false;
  private queue: Promise<void> = Promise.resolve();
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

  /** Publish (or renegotiate) with the browser's offer; resolves with Janus's answer. */
  async publish(offer: Jsep): Promise<Jsep> {
    if (this.publisher) {
      const answer = await this.publisher.configure({ offer });
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
      // A publisher whose first offer failed is not reused (docs/SFU.md).
      this.publisher = null;
      await publisher.close();
      throw err;
    }
  }

  /** The browser's answer to the latest subscriber offer. */
  async answer(answer: Jsep): Promise<void> {
    if (!this.subscriber) {
      throw new Error('no subscriber offer to answer');
    }
    await this.subscriber.start(answer);
    this.awaitingAnswer = false;
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
  setLayer(peerId: string, substream: 0 | 1 | 2): Promise<boolean> {
    return this.configureVideo(peerId, (mid) => ({ mid, substream }));
  }

  /**
   * Stop (or resume) forwarding `peerId`'s video to this participant; their audio goes
   * on. False when no video of theirs is received. Janus keeps the setting per m-line
   * and asks the publisher for a keyframe on resume.
   */
  setPaused(peerId: string, paused: boolean): Promise<boolean> {
    return this.configureVideo(peerId, (mid) => ({ mid, send: !paused }));
  }

  /**
   * A per-stream `configure` of `peerId`'s video m-lines, in turn with subscription
   * changes: one that lands while Janus renegotiates the subscription can be lost with
   * the stream it names (seen with eight joining), or be refused for a mid the new
   * subscription no longer has ("No such mid", seen in a switch). The mids are read when
   * its turn comes. False when no video of theirs is received.
   */
  private async configureVideo(
    peerId: string,
    stream: (mid: string) => SubscriberStreamSettings,
  ): Promise<boolean> {
    const videoMids = (): string[] =>
      this.current.filter((s) => s.peerId === peerId && s.kind === 'video').map((s) => s.mid);
    if (!this.subscriber || videoMids().length === 0) {
      return false;
    }
    const subscriber = this.subscriber;
    await new Promise<void>((resolve, reject) => {
      this.enqueue(async () => {
        try {
          const mids = videoMids();
          if (!this.closed && this.subscriber === subscriber && mids.length > 0) {
            await subscriber.configure({ streams: mids.map(stream) });
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
      return false;
    }
    this.enqueue(async () => {
      if (this.closed || this.subscriber !== subscriber) {
        return;
      }
      if (this.awaitingAnswer) {
        subscriber.configure({ restart: true }).catch(() => undefined);
        return;
      }
      const offer = await subscriber.configure({ restart: true });
      if (offer && !this.closed) {
        this.awaitingAnswer = true;
        this.options.sendOffer(offer, this.current);
      }
    });
    return true;
  }

  /** Detach both handles: Janus closes the connections. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
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
        // A publisher that renegotiates (a screen share starts or stops) is listed again
        // with all its streams: the subscription follows in subscribeWanted.
        this.published.set(String(p.id), p.streams);
      }
    }
    this.enqueue(() => this.subscribeWanted());
  }

  private dropFeed(id: VideoRoomId): void {
    // Janus renegotiates the subscription itself (autoupdate): see `updated`.
    const feed = String(id);
    this.wanted.delete(feed);
    this.subscribed.delete(feed);
    this.published.delete(feed);
    for (const key of [...this.asked]) {
      if (key.startsWith(feedMidKey(feed, ''))) {
        this.asked.delete(key);
      }
    }
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch((err: unknown) => {
      this.options.log.warn({ err, peer: this.peerId }, 'sfu: could not update a subscription');
    });
  }

  private async subscribeWanted(): Promise<void> {
    const feeds = [...this.wanted.keys()].filter((f) => !this.subscribed.has(f));
    if (this.closed) {
      return;
    }
    if (feeds.length === 0) {
      await this.followStreams();
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
        this.subscription = streams;
        if (offer) {
          this.offer(offer, streams);
        }
      });
      subscriber.on('removed', () => this.lost());
      const { offer, streams } = await subscriber.subscribe({
        room: this.room.id,
        pin: this.room.pin,
        streams: requests,
        useMsid: true,
      });
      this.subscriber = subscriber;
      feeds.forEach((f) => this.subscribed.add(f));
      this.subscription = streams;
      this.offer(offer, streams);
      return;
    }
    const keys = feeds.flatMap((f) =>
      liveMids(this.published.get(f) ?? []).map((mid) => feedMidKey(f, mid)),
    );
    const subscriber = this.subscriber;
    const { offer, streams } = await this.asking(keys, () =>
      subscriber.update({ subscribe: requests }),
    );
    feeds.forEach((f) => this.subscribed.add(f));
    this.took(offer, streams);
  }

  /**
   * Streams that came or went on feeds we already receive: a screen share started
   * (`subscribe` to that one stream) or stopped (`unsubscribe` it, unless Janus already
   * dropped it). A whole feed is never re-subscribed, so a publisher that renegotiates
   * does not get a second copy of its camera.
   */
  private async followStreams(): Promise<void> {
    if (!this.subscriber) {
      return;
    }
    const changes = subscriptionChanges(
      this.subscribed,
      this.published,
      this.subscription,
      this.asked,
    );
    if (changes.subscribe.length === 0 && changes.unsubscribe.length === 0) {
      return;
    }
    const feed = (f: string): VideoRoomId => (this.options.stringIds ? f : Number(f));
    const keys = changes.subscribe.map((s) => feedMidKey(s.feed, s.mid));
    const subscriber = this.subscriber;
    const { offer, streams } = await this.asking(keys, () =>
      subscriber.update({
        ...(changes.subscribe.length > 0
          ? { subscribe: changes.subscribe.map((s) => ({ feed: feed(s.feed), mid: s.mid })) }
          : {}),
        ...(changes.unsubscribe.length > 0
          ? { unsubscribe: changes.unsubscribe.map((s) => ({ feed: feed(s.feed), mid: s.mid })) }
          : {}),
      }),
    );
    this.took(offer, streams);
  }

  /**
   * Run a subscription `update` with `keys` (feed and mid) counted as asked for until
   * Janus lists them (`offer`). An update postponed behind an unanswered offer replies
   * with no streams; without this a `publishers` event meanwhile made followStreams ask
   * for the same streams again (a page in CI received one camera twice). If the update
   * fails they are asked again on the room's next `publishers` event.
   */
  private async asking<T>(keys: readonly string[], update: () => Promise<T>): Promise<T> {
    keys.forEach((k) => this.asked.add(k));
    try {
      return await update();
    } catch (err) {
      keys.forEach((k) => this.asked.delete(k));
      throw err;
    }
  }

  /** Janus's reply to an `update`: its new offer, or none yet (postponed: `updated` brings it). */
  private took(offer: Jsep | undefined, streams: SubscriptionStream[]): void {
    if (offer) {
      this.subscription = streams;
      this.offer(offer, streams);
    }
  }

  private offer(jsep: Jsep, streams: readonly SubscriptionStream[]): void {
    if (this.closed) {
      return;
    }
    for (const s of streams) {
      if (s.active && s.feedId !== undefined && s.feedMid !== undefined) {
        this.asked.delete(feedMidKey(String(s.feedId), s.feedMid));
      }
    }
    this.current = streams.flatMap((s) => {
      const feed = s.feedId === undefined ? undefined : String(s.feedId);
      const peerId = feed === undefined ? undefined : this.wanted.get(feed);
      if (peerId === undefined || !s.mid || !s.active || feed === undefined) {
        return [];
      }
      const kind = publishedKind(this.published.get(feed) ?? [], s.feedMid) ?? s.type;
      return [{ mid: s.mid, peerId, kind }];
    });
    this.awaitingAnswer = true;
    this.options.sendOffer(jsep, this.current);
  }
}
