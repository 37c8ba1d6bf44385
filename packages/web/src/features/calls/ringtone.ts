/**
 * A ringtone made with Web Audio (no audio file to ship or fetch): the classic
 * two-tone ring, 440 Hz + 480 Hz, two seconds on and four off, at a modest volume.
 * Browsers may keep audio suspended until the user has touched the page; the
 * incoming-call notice is shown regardless, and `state` says whether sound plays.
 */
export class Ringtone {
  private ctx: AudioContext | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  get state(): 'playing' | 'blocked' | 'stopped' {
    if (!this.ctx) {
      return 'stopped';
    }
    return this.ctx.state === 'running' ? 'playing' : 'blocked';
  }

  /** Start ringing (idempotent). */
  start(onState?: (state: Ringtone['state']) => void): void {
    if (this.ctx) {
      return;
    }
    const Ctor =
      window.AudioContext ??
      (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) {
      return;
    }
    const ctx = new Ctor();
    this.ctx = ctx;
    ctx.onstatechange = () => onState?.(this.state);
    void ctx.resume().catch(() => undefined);
    const ring = (): void => {
      const t = ctx.currentTime;
      const gain = ctx.createGain();
      gain.gain.setValueAtTime(0, t);
      gain.gain.linearRampToValueAtTime(0.12, t + 0.05);
      gain.gain.setValueAtTime(0.12, t + 1.95);
      gain.gain.linearRampToValueAtTime(0, t + 2);
      gain.connect(ctx.destination);
      for (const freq of [440, 480]) {
        const osc = ctx.createOscillator();
        osc.frequency.value = freq;
        osc.connect(gain);
        osc.start(t);
        osc.stop(t + 2);
      }
    };
    ring();
    this.timer = setInterval(ring, 6000);
    onState?.(this.state);
  }

  /** Stop ringing and release the audio device (idempotent). */
  stop(): void {
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    const ctx = this.ctx;
    this.ctx = null;
    if (ctx) {
      ctx.onstatechange = null;
      void ctx.close().catch(() => undefined);
    }
  }
}
