import type {
  MeetEndReason,
  MeetMatch,
  MeetStateName,
  ReportReason,
  ServerMessage,
  ServerMessageMap,
} from '@parley/protocol';
import { Emitter } from '@parley/common';
import type { SignalingClient } from '../signaling-client.js';

/** What the server last said about us in meet (`meet-state`). */
export interface MeetSnapshot {
  readonly state: MeetStateName;
  /** The current match, in `matched` and `in-call`. */
  readonly match: MeetMatch | null;
  /** Why the previous match ended, when the last change ended one. */
  readonly reason: MeetEndReason | null;
}

/** The queue as a waiting person sees it ("3 people waiting", "about 10 s"). */
export interface MeetQueueInfo {
  readonly waiting: number;
  readonly estimatedWaitMs: number | null;
}

export type MeetClientEvents = {
  /** The server changed our meet state (an answer to a request, or a push). */
  state: [snapshot: MeetSnapshot];
  /** The queue changed while we wait. */
  queue: [info: MeetQueueInfo];
};

export interface MeetStartOptions {
  name: string;
  interests?: string[];
  language?: string;
}

/**
 * "Meet someone new" over a signaling client (docs/PROTOCOL.md, meet). The server owns
 * the state; this mirrors it. A match names a private two-seat room: join it with a
 * `Room` on the same signaling client (the room is granted to this session only).
 */
export class MeetClient extends Emitter<MeetClientEvents> {
  private snapshot: MeetSnapshot = { state: 'idle', match: null, reason: null };
  private queueInfo: MeetQueueInfo | null = null;
  private readonly offs: Array<() => void>;

  constructor(private readonly signaling: SignalingClient) {
    super();
    this.offs = [
      signaling.on('message', (m) => this.onMessage(m)),
      // A new session after a long outage: the server forgot us (queue and match).
      signaling.on('session-lost', () =>
        this.apply({ state: 'idle', match: null, reason: 'disconnected' }),
      ),
    ];
  }

  get state(): MeetSnapshot {
    return this.snapshot;
  }

  /** The last queue report, while waiting; null otherwise. */
  get queue(): MeetQueueInfo | null {
    return this.snapshot.state === 'waiting' ? this.queueInfo : null;
  }

  /** Join the queue. Resolves with the state the server answered (waiting, or matched). */
  async start(options: MeetStartOptions): Promise<MeetSnapshot> {
    const reply = await this.signaling.request(
      {
        type: 'meet-start',
        name: options.name,
        interests: options.interests ?? [],
        ...(options.language ? { language: options.language } : {}),
      },
      'meet-state',
    );
    return this.fromReply(reply);
  }

  /** End this match for both and queue again. */
  async next(): Promise<MeetSnapshot> {
    return this.fromReply(await this.signaling.request({ type: 'meet-next' }, 'meet-state'));
  }

  /** Leave meet altogether (ends any match). */
  async stop(): Promise<MeetSnapshot> {
    return this.fromReply(await this.signaling.request({ type: 'meet-stop' }, 'meet-state'));
  }

  /** Report the person of a match; ends it if current, and queues again unless `next` is false. */
  async report(
    matchId: string,
    reason: ReportReason,
    text?: string,
    next = true,
  ): Promise<MeetSnapshot> {
    const reply = await this.signaling.request(
      { type: 'meet-report', matchId, reason, next, ...(text ? { text } : {}) },
      'meet-state',
    );
    return this.fromReply(reply);
  }

  /** Never be paired with this match's person again; like `report` otherwise. */
  async block(matchId: string, next = true): Promise<MeetSnapshot> {
    return this.fromReply(
      await this.signaling.request({ type: 'meet-block', matchId, next }, 'meet-state'),
    );
  }

  /** Stop listening (does not tell the server: use `stop()` for that). */
  close(): void {
    for (const off of this.offs.splice(0)) {
      off();
    }
    this.removeAllListeners();
  }

  private onMessage(m: ServerMessage): void {
    // Answers to our own requests are applied by fromReply, in request order.
    if (m.type === 'meet-state' && m.rid === undefined) {
      this.fromReply(m);
    } else if (m.type === 'meet-queue') {
      this.queueInfo = { waiting: m.waiting, estimatedWaitMs: m.estimatedWaitMs };
      this.emit('queue', this.queueInfo);
    }
  }

  private fromReply(m: ServerMessageMap['meet-state']): MeetSnapshot {
    this.apply({ state: m.state, match: m.match ?? null, reason: m.reason ?? null });
    return this.snapshot;
  }

  private apply(next: MeetSnapshot): void {
    if (next.state !== 'waiting') {
      this.queueInfo = null;
    }
    const same =
      next.state === this.snapshot.state &&
      next.match?.matchId === this.snapshot.match?.matchId &&
      next.reason === this.snapshot.reason;
    this.snapshot = next;
    if (!same) {
      this.emit('state', next);
    }
  }
}
