/**
 * Notices a connection that has gone silent. Browsers answer the server's WebSocket
 * pings themselves and never show them to the page, so a half-open connection (a laptop
 * lid, a network switch, a NAT timeout) can look open for minutes. After `silenceMs`
 * without hearing anything the client sends `ping`; when as long again passes with
 * nothing heard, the connection is dead.
 */
export class SilenceWatch {
  private lastHeard = 0;
  private lastCheck = 0;
  /** A late check has already asked again in this silence (see check()). */
  private excusedFreeze = false;
  private pingSentAt: number | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly silenceMs: number,
    private readonly ping: () => void,
    private readonly dead: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.stop();
    this.heard();
    this.lastCheck = this.now();
    // Checked four times per period: a dead link is declared 2 to 2.5 periods after
    // the last message.
    this.timer = setInterval(() => this.check(), Math.max(25, this.silenceMs / 4));
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Anything arrived from the server. */
  heard(): void {
    this.lastHeard = this.now();
    this.pingSentAt = null;
    this.excusedFreeze = false;
  }

  stop(): void {
    if (this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private check(): void {
    const now = this.now();
    const late = now - this.lastCheck - this.silenceMs / 4;
    this.lastCheck = now;
    if (late >= this.silenceMs / 2 && !this.excusedFreeze) {
      // Our own timer ran far too late: this side was frozen (a starved tab, a laptop
      // waking up), so the silence measured is ours. An answer that came meanwhile may
      // still wait behind this timer in the event queue; ask again and give it a whole
      // period, rather than dropping a connection that may be fine. Once per silence:
      // a background tab whose timers are always late (throttled to one a minute) must
      // still find a dead link at its next check.
      this.excusedFreeze = true;
      this.pingSentAt = now;
      this.ping();
      return;
    }
    if (this.pingSentAt !== null) {
      if (now - this.pingSentAt >= this.silenceMs) {
        this.stop();
        this.dead();
      }
      return;
    }
    if (now - this.lastHeard >= this.silenceMs) {
      this.pingSentAt = now;
      this.ping();
    }
  }
}
