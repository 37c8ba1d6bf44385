import type { WebSocket } from 'ws';
import type { ErrorCode, ServerMessage } from '@parley/protocol';
import { TokenBucket } from './rate-limiter.js';
import { randomId } from './ids.js';

/** Lifecycle of one client session; a session outlives a dropped socket for the resume grace. */
export type SessionState = 'new' | 'ready' | 'detached' | 'closed';

/**
 * One client's session. The socket may be swapped on resume; everything a feature
 * keeps about the client (its room seat, its account) hangs off the session, so a
 * resume keeps it without the feature noticing.
 */
export class Session {
  readonly id = randomId();
  readonly resumeToken = randomId(24);
  state: SessionState = 'new';
  /** Set by features (rooms, calls) to find what to tear down when the session ends. */
  readonly attachments = new Map<string, unknown>();
  /** Frames queued while detached, delivered on resume. */
  private buffer: string[] = [];
  private bufferOverflowed = false;
  /** Heartbeat: cleared on ping, set on pong. */
  alive = true;
  /** Last time anything arrived from the client (frame or pong), ms since epoch. */
  lastSeen = Date.now();
  private lastRateError = 0;
  readonly limiter: TokenBucket;

  constructor(
    public socket: WebSocket | null,
    rateLimit: number,
    private readonly bufferLimit: number,
  ) {
    this.limiter = new TokenBucket(rateLimit);
  }

  /** Send a typed message; buffered while detached, dropped once closed. */
  send(message: ServerMessage): void {
    this.sendRaw(JSON.stringify(message));
  }

  /** Send a frame that is already serialized (fan-out serializes once for everyone). */
  sendRaw(frame: string): void {
    if (this.state === 'closed') {
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
