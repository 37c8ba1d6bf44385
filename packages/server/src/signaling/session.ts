import type { RawData, WebSocket } from 'ws';
import type { ErrorCode, ServerMessage } from '@parley/protocol';
import { TokenBucket } from './rate-limiter.js';
import { randomId } from './ids.js';
import { NO_OBSERVER, frameType, type GatewayObserver, type OutboundType } from './observer.js';

/** Lifecycle of one client session; a session outlives a dropped socket for the resume grace. */
export type SessionState = 'new' | 'ready' | 'detached' | 'closed';

/**
 * One client's session. The socket may be swapped on resume; everything a feature
 * keeps about the client (its room seat, its account) hangs off the session, so a
 * resume keeps it without the feature noticing.
 */
export class Session {
  readonly id = randomId();
  private token = randomId(24);
  /**
   * The `Origin` of the page that opened the session (null for non-browser clients). A
   * resume must come from the same origin, so a token read elsewhere is not enough.
   */
  origin: string | null = null;
  /** The client's address (behind trusted proxies, from X-Forwarded-For), for per-address limits. */
  address = 'unknown';
  state: SessionState = 'new';
  /** Set by features (rooms, calls) to find what to tear down when the session ends. */
  readonly attachments = new Map<string, unknown>();
  /** Frames queued while detached, delivered on resume. */
  private buffer: string[] = [];
  private bufferOverflowed = false;
  /** It ended by moving to another node (a drain): what it held may follow it there. */
  moving = false;
  /** Heartbeat: cleared on ping, set on pong. */
  alive = true;
  /** Last time anything arrived from the client (frame or pong), ms since epoch. */
  lastSeen = Date.now();
  private lastRateError = 0;
  /** Frames from the client that wait for its welcome (see Gateway), or null. */
  inbox: { data: RawData; isBinary: boolean }[] | null = null;
  /** Frames held back while a join is in flight (see `hold`), or null. */
  private held: string[] | null = null;
  readonly limiter: TokenBucket;

  /** The secret a client resumes with; replaced on every resume (`rotateResumeToken`). */
  get resumeToken(): string {
    return this.token;
  }

  /** A new resume token: the one just used cannot be replayed. */
  rotateResumeToken(): void {
    this.token = randomId(24);
  }

  constructor(
    public socket: WebSocket | null,
    rateLimit: number,
    private readonly bufferLimit: number,
    private readonly observer: GatewayObserver = NO_OBSERVER,
  ) {
    this.limiter = new TokenBucket(rateLimit);
  }

  /** Send a typed message; buffered while detached, dropped once closed. */
  send(message: ServerMessage): void {
    if (message.type === 'error' && this.state !== 'closed') {
      this.observer.errorSent(message.code);
    }
    this.sendRaw(JSON.stringify(message), message.type);
  }

  /**
   * Send a frame that is already serialized (fan-out serializes once for everyone).
   * `type` labels it in metrics; without it, it is read from the frame's first bytes.
   */
  sendRaw(frame: string, type?: OutboundType): void {
    if (this.state === 'closed') {
      return;
    }
    this.observer.messageOut(type ?? frameType(frame));
    this.deliver(frame);
  }

  /** Write a frame, or buffer it while detached; not counted again (a resume replays). */
  deliver(frame: string): void {
    if (this.state === 'closed') {
      return;
    }
    if (this.held) {
      this.held.push(frame);
      return;
    }
    if (this.state === 'detached' || !this.socket) {
      if (this.buffer.length < this.bufferLimit) {
        this.buffer.push(frame);
      } else {
        this.bufferOverflowed = true;
      }
      return;
    }
    if (this.socket.readyState === this.socket.OPEN) {
      this.socket.send(frame);
    }
  }

  /**
   * Hold every frame until `release`. A join subscribes to its room before it takes
   * the seat, so that nothing published in between is lost; what arrives in that
   * window must still reach the client after its `joined`, never before it.
   */
  hold(): void {
    this.held ??= [];
  }

  /** Send `first` (the reply that ends the hold, if any), then what was held, in order. */
  release(first?: string): void {
    const held = this.held;
    this.held = null;
    if (first !== undefined) {
      this.sendRaw(first);
    }
    // Counted when they were sent; only written now.
    for (const frame of held ?? []) {
      this.deliver(frame);
    }
  }

  sendError(code: ErrorCode, message: string, extra: { rid?: string; of?: string } = {}): void {
    this.send({ type: 'error', code, message, ...extra });
  }

  /** Rate limit errors are themselves rate limited: at most one a second. */
  sendRateLimited(of: string): void {
    const now = Date.now();
    if (now - this.lastRateError >= 1000) {
      this.lastRateError = now;
      this.sendError('rate_limited', 'too many messages: slow down', { of });
    }
  }

  /** True once a frame had to be dropped while detached: a resume would miss messages. */
  get lostMessages(): boolean {
    return this.bufferOverflowed;
  }

  /** Take the buffered frames (for delivery after resume). */
  drainBuffer(): { frames: string[]; overflowed: boolean } {
    const out = { frames: this.buffer, overflowed: this.bufferOverflowed };
    this.buffer = [];
    this.bufferOverflowed = false;
    return out;
  }
}
