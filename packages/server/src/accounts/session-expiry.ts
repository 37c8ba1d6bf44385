import { MAX_TIMER_MS } from '../timers.js';
import type { Session } from '../signaling/session.js';

/**
 * Ends the account of a signed-in WebSocket when its sign-in expires, as signing out
 * would: the socket stays open as a guest, and presence and calls forget it. Without
 * this, a socket opened with a valid cookie kept the account for as long as it lived.
 */
export class SessionExpiry {
  private readonly timers = new Map<Session, NodeJS.Timeout>();

  constructor(
    private readonly expire: (session: Session) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Expire `session`'s account at `expiresAt` (ms since the epoch). */
  watch(session: Session, expiresAt: number): void {
    this.forget(session);
    const left = expiresAt - this.now();
    // Long sign-ins (30 days by default) outlast one timer: wait in steps.
    const timer = setTimeout(
      () => {
        this.timers.delete(session);
        if (left > MAX_TIMER_MS) {
          this.watch(session, expiresAt);
        } else {
          this.expire(session);
        }
      },
      Math.max(0, Math.min(left, MAX_TIMER_MS)),
    );
    timer.unref();
    this.timers.set(session, timer);
  }

  forget(session: Session): void {
    clearTimeout(this.timers.get(session));
    this.timers.delete(session);
  }

  close(): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }
}
