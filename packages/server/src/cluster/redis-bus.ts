import type { Redis } from 'ioredis';
import type { Bus, BusHandler, BusMessage } from './bus.js';
import { addHandler, deliverLocally, removeHandler } from './local-bus.js';
import {
  closeRedis,
  consoleLog,
  errorText,
  openRedis,
  whenReady,
  type ClusterLog,
} from './redis-connection.js';

/** What travels in a Redis channel: the origin node, the send time and the message. */
interface Envelope {
  o: string;
  /** `Date.now()` at the sender: wall clocks, so the latency is only as good as NTP. */
  t: number;
  m: BusMessage;
}

/**
 * A message on the wire: a small JSON header (origin, time, the message without its
 * frame), a newline, then the frame as it is. A frame is already JSON: putting it inside
 * JSON again would escape every quote of a 5 KB SDP on one node and unescape it on the
 * other, which was most of the bus's cost per relayed message. JSON.stringify never
 * writes a raw newline, so the first one ends the header.
 */
function encode(origin: string, message: BusMessage): string {
  const t = Date.now();
  if (message.kind === 'frame' || message.kind === 'frame-to') {
    const { frame, ...rest } = message;
    return `${JSON.stringify({ o: origin, t, m: rest })}\n${frame}`;
  }
  return JSON.stringify({ o: origin, t, m: message });
}

function decode(raw: string): Envelope {
  const cut = raw.indexOf('\n');
  if (cut < 0) {
    return JSON.parse(raw) as Envelope;
  }
  const head = JSON.parse(raw.slice(0, cut)) as Envelope;
  (head.m as { frame?: string }).frame = raw.slice(cut + 1);
  return head;
}

/** How often the subscriber connection is pinged, so a silently dead socket is noticed. */
const HEARTBEAT_MS = 5000;
/** How long `subscribe` waits for Redis to come back before it fails. */
const SUBSCRIBE_WAIT_MS = 5000;

export interface RedisBusOptions {
  /** Called with each message's transit time (ms) from another node; metrics hook it. */
  onLatency?: (ms: number) => void;
  log?: ClusterLog;
}

/**
 * The bus between nodes over Redis pub/sub: one channel per topic (`prefix + topic`), one
 * connection to publish and one to listen. Local handlers run in place before the PUBLISH,
 * and a node ignores its own messages when they come back.
 *
 * Subscriptions are this class's, not ioredis': on every (re)connection the listening
 * connection subscribes to every topic that has handlers, so a topic subscribed or dropped
 * while Redis was away ends up right. Messages published during an outage are lost, like
 * any pub/sub message nobody was listening for.
 */
export class RedisBus implements Bus {
  /** Publishes (and nothing else). */
  readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, Set<BusHandler>>();
  /** Per topic with handlers: settles when its SUBSCRIBE was acknowledged. */
  private readonly active = new Map<string, Promise<void>>();
  private readonly log: ClusterLog;
  private readonly heartbeat: NodeJS.Timeout;
  private publishFailing = false;
  private closing: Promise<void> | undefined;
  onLatency: ((ms: number) => void) | undefined;

  constructor(
    readonly nodeId: string,
    url: string,
    readonly prefix: string,
    options: RedisBusOptions = {},
  ) {
    this.log = options.log ?? consoleLog;
    this.onLatency = options.onLatency;
    this.publisher = openRedis(url, { name: `${nodeId}-pub`, log: this.log });
    this.subscriber = openRedis(url, {
      name: `${nodeId}-sub`,
      log: this.log,
      // Ours replaces ioredis' autoResubscribe, which would also restore topics dropped
      // during the outage and forget SUBSCRIBEs that failed (see `resubscribeAll`).
      overrides: { autoResubscribe: false },
    });
    this.subscriber.on('ready', () => this.resubscribeAll());
    this.subscriber.on('message', (channel: string, raw: string) => this.receive(channel, raw));
    this.publisher.on('ready', () => {
      this.publishFailing = false;
    });
    this.heartbeat = setInterval(() => {
      if (this.subscriber.status === 'ready') {
        // The reply is beside the point: `socketTimeout` drops a socket that gives none.
        this.subscriber.ping().catch(() => {});
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** True while both connections are up (messages flow both ways). */
  get connected(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  /** Resolves once both connections are up; rejects after `timeoutMs`. */
  async whenConnected(timeoutMs: number): Promise<void> {
    await Promise.all([
      whenReady(this.publisher, timeoutMs),
      whenReady(this.subscriber, timeoutMs),
    ]);
  }

  publish(topic: string, message: BusMessage): void {
    deliverLocally(this.handlers, topic, message);
    const envelope = encode(this.nodeId, message);
    try {
      this.publisher.publish(this.prefix + topic, envelope).then(
        () => {
          this.publishFailing = false;
        },
        (err: unknown) => this.publishFailed(err),
      );
    } catch (err) {
      // ioredis reports failures through the promise; this is only a safety net.
      this.publishFailed(err);
    }
  }

  async publishInOrder(topic: string, message: BusMessage): Promise<void> {
    // No origin: this node takes it from Redis too, in the order Redis received it.
    await this.publisher.publish(this.prefix + topic, encode('', message));
  }

  subscribe(topic: string, handler: BusHandler): Promise<void> {
    addHandler(this.handlers, topic, handler);
    return this.active.get(topic) ?? this.activate(topic);
  }

  unsubscribe(topic: string, handler: BusHandler): void {
    if (!removeHandler(this.handlers, topic, handler)) {
      return;
    }
    this.active.delete(topic);
    if (this.subscriber.status === 'ready') {
      this.subscriber.unsubscribe(this.prefix + topic).catch((err: unknown) => {
        // Harmless: messages of a topic without handlers are dropped on arrival.
        this.log.warn(`could not unsubscribe from ${topic}: ${errorText(err)}`);
      });
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.heartbeat);
      this.handlers.clear();
      this.active.clear();
      await Promise.all([closeRedis(this.publisher), closeRedis(this.subscriber)]);
    })();
    return this.closing;
  }

  /**
   * SUBSCRIBE a topic now, or at the next connection while Redis is away. A failed attempt
   * is forgotten, so the topic's next handler tries again (and `resubscribeAll` will too).
   */
  private activate(topic: string): Promise<void> {
    const channel = this.prefix + topic;
    const attempt =
      this.subscriber.status === 'ready'
        ? this.subscriber.subscribe(channel)
        : whenReady(this.subscriber, SUBSCRIBE_WAIT_MS).then(() =>
            // Its last handler may have left meanwhile.
            this.handlers.has(topic) ? this.subscriber.subscribe(channel) : 0,
          );
    const promise = attempt.then(
      () => {},
      (err: unknown) => {
        if (this.active.get(topic) === promise) {
          this.active.delete(topic);
        }
        throw new Error(`cannot subscribe to ${topic} on Redis: ${errorText(err)}`, { cause: err });
      },
    );
    this.active.set(topic, promise);
    return promise;
  }

  /** A new connection has no subscriptions: take every topic that has handlers. */
  private resubscribeAll(): void {
    for (const topic of this.handlers.keys()) {
      const promise = this.activate(topic);
      promise.catch((err: unknown) => this.log.warn(errorText(err)));
    }
  }

  private receive(channel: string, raw: string): void {
    if (!channel.startsWith(this.prefix)) {
      return;
    }
    let envelope: Envelope;
    try {
      envelope = decode(raw);
    } catch {
      this.log.warn(`ignored a malformed bus message on ${channel}`);
      return;
    }
    if (envelope.o === this.nodeId) {
      // Already delivered here, synchronously, by `publish`.
      return;
    }
    if (this.onLatency && typeof envelope.t === 'number') {
      this.onLatency(Math.max(0, Date.now() - envelope.t));
    }
    deliverLocally(this.handlers, channel.slice(this.prefix.length), envelope.m);
  }

  private publishFailed(err: unknown): void {
    if (!this.publishFailing) {
      this.publishFailing = true;
      this.log.warn(`bus messages are not reaching Redis: ${errorText(err)}`);
    }
  }
}
