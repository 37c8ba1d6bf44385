import type { Gateway } from '../signaling/gateway.js';
import type { Session } from '../signaling/session.js';
import type { IceGrant, IceServerProvider } from './ice-servers.js';
import { MAX_TIMER_MS } from '../timers.js';

/**
 * When to push fresh credentials: once three quarters of their lifetime has passed,
 * so a client that is briefly detached (resume grace) still gets them before expiry.
 * Never sooner than one second, so a tiny TTL cannot turn into a busy loop.
 */
export function refreshDelayMs(expiresAt: number, nowMs = Date.now()): number {
  const lifetime = Math.max(0, expiresAt - nowMs);
  return Math.min(MAX_TIMER_MS, Math.max(1000, Math.floor(lifetime * 0.75)));
}

/**
 * Keeps minted TURN credentials fresh for sessions that are in a room: shortly before
 * a grant expires it mints a new one and pushes it as an `ice-servers` message. A
 * session that left its room or ended is forgotten. While a session is detached the
 * message waits in its resume buffer like any other.
 */
export class IceRefresher {
  private readonly timers = new Map<Session, NodeJS.Timeout>();

  constructor(
    gateway: Gateway,
    private readonly provider: IceServerProvider,
    /** Whether the session still needs ICE servers (it holds a room seat). */
    private readonly stillNeeded: (session: Session) => boolean,
  ) {
    gateway.addHooks({ sessionEnded: (session) => this.forget(session) });
  }

  /** Watch a grant just handed to `session`; static grants (no expiry) need nothing. */
  track(session: Session, grant: IceGrant): void {
    this.forget(session);
    if (grant.expiresAt === undefined) {
      return;
    }
    const timer = setTimeout(() => this.refresh(session), refreshDelayMs(grant.expiresAt));
    timer.unref();
    this.timers.set(session, timer);
  }

  /** Sessions with a refresh pending (for tests and /healthz-style introspection). */
  get pending(): number {
    return this.timers.size;
  }

  private refresh(session: Session): void {
    this.timers.delete(session);
    if (session.state === 'closed' || !this.stillNeeded(session)) {
      return;
    }
    const grant = this.provider.grant(session.id);
    session.send({
      type: 'ice-servers',
      iceServers: grant.iceServers,
      ...(grant.expiresAt === undefined ? {} : { expiresAt: grant.expiresAt }),
    });
    this.track(session, grant);
  }

  forget(session: Session): void {
    const timer = this.timers.get(session);
    if (timer) {
      clearTimeout(timer);
      this.timers.delete(session);
    }
  }

  close(): void {
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }
}
