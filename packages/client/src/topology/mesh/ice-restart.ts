/**
 * When and by whom ICE is restarted on a peer connection whose media path broke.
 *
 * `disconnected` often heals by itself within a few seconds (a Wi-Fi hiccup, a NAT
 * rebinding), so we wait a grace period before restarting; `failed` will not heal, so we
 * restart at once. Only one side restarts — the impolite one, whose offer wins a
 * collision anyway — so the two ends do not race each other with crossing offers. If
 * the designated side never notices (asymmetric failures happen), the other side steps
 * in after three grace periods. A restart that does not bring the path back is retried
 * with exponential backoff, up to `maxRetryMs` (10 s) apart, for as long as the link exists.
 */

/** The media path to one participant, as a user would describe it. */
export type PeerLinkState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** Map a connection-state change onto the user-facing state (once connected, a loss is "reconnecting"). */
export function nextLinkState(
  previous: PeerLinkState,
  state: RTCPeerConnectionState,
): PeerLinkState {
  switch (state) {
    case 'connected':
      return 'connected';
    case 'closed':
      return 'closed';
    case 'new':
    case 'connecting':
      return previous === 'connected' || previous === 'reconnecting'
        ? 'reconnecting'
        : 'connecting';
    case 'disconnected':
    case 'failed':
      return previous === 'connecting' && state === 'disconnected' ? 'connecting' : 'reconnecting';
  }
  return previous;
}

export interface IceRestartOptions {
  /** How long `disconnected` may last before ICE is restarted, in ms. */
  graceMs: number;
  /** True on the side that restarts first (the impolite one). */
  designated: boolean;
  /** Longest wait between two restarts that did not help. */
  maxRetryMs?: number;
}

export const DEFAULT_ICE_RESTART_GRACE_MS = 4000;

/** Watches one connection's state and calls `restart` when the rules above say so. */
export class IceRestartWatchdog {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempts = 0;
  private state: RTCPeerConnectionState = 'new';
  private everConnected = false;
  private stopped = false;

  constructor(
    private readonly restart: () => void,
    private readonly options: IceRestartOptions,
  ) {}

  /** Restarts done since the link last connected (for stats and tests). */
  get restarts(): number {
    return this.attempts;
  }

  /** Feed every RTCPeerConnection.connectionState change. */
  onConnectionState(state: RTCPeerConnectionState): void {
    this.state = state;
    if (this.stopped) {
      return;
    }
    if (state === 'connected') {
      this.everConnected = true;
      this.attempts = 0;
      this.clear();
      return;
    }
    if (state === 'closed') {
      this.stop();
      return;
    }
    if (state === 'failed') {
      // A retry already waiting keeps its backoff: a restart that failed again must not
      // turn into a tight loop while, say, the TURN server is down.
      if (!(this.timer && this.attempts > 0)) {
        this.schedule(this.options.designated ? 0 : this.options.graceMs * 3);
      }
      return;
    }
    if (state === 'disconnected' && !this.timer) {
      // Before the first connection, ICE is still working through its checks: its own
      // timeouts (→ failed) decide, so a slow first connect is not restarted mid-way.
      if (this.everConnected) {
        this.schedule(this.options.graceMs * (this.options.designated ? 1 : 3));
      }
    }
  }

  /**
   * The other side sent an offer while our path is down: it is restarting ICE itself (or
   * renegotiating), so give that a chance before restarting on top of it.
   */
  onRemoteOffer(): void {
    if (!this.stopped && this.timer && this.state !== 'connected') {
      this.schedule(this.options.graceMs * 3);
    }
  }

  private schedule(delayMs: number): void {
    this.clear();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopped || this.state === 'connected') {
        return;
      }
      this.attempts++;
      this.restart();
      // If this restart does not bring the path back, try again later.
      const maxRetryMs = this.options.maxRetryMs ?? 10_000;
      const next = Math.min(maxRetryMs, this.options.graceMs * 2 ** this.attempts);
      this.schedule(next);
    }, delayMs);
  }

  private clear(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }
}
