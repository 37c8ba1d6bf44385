/**
 * Sends frames no faster than the server relays them: a token bucket in bytes, the
 * client's mirror of the server's (`--room-data-rate`), run slower and with a much
 * smaller burst, so a file transfer is paced here rather than refused there. Frames
 * leave in the order they were queued.
 *
 * The margins are for the way there: frames sent evenly can reach the server bunched
 * (a busy browser or server, the bus between nodes). Sending at 80 % with a quarter
 * second of burst, against the server's full rate with two seconds of burst, leaves
 * room for about two seconds of bunching before the server refuses a frame.
 */
export interface PacedFrame {
  /** What the server will charge: the payload's bytes, times the recipients. */
  readonly cost: number;
  send(): void;
  /** Told once the frame has left (or was dropped). */
  done?(): void;
}

/** Run under the server's rate by this much: clocks, timers and the network are not exact. */
export const PACE_MARGIN = 0.8;

export class Pacer {
  private readonly queue: PacedFrame[] = [];
  private tokens: number;
  private last: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private readonly rate: number;
  private readonly capacity: number;

  constructor(
    bytesPerSecond: number,
    /** How many bytes may go at once (the bucket's size). */
    burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.rate = bytesPerSecond * PACE_MARGIN;
    this.capacity = burst;
    this.tokens = this.capacity;
    this.last = now();
  }

  /** Frames waiting for tokens. */
  get waiting(): number {
    return this.queue.length;
  }

  push(frame: PacedFrame): void {
    if (this.closed) {
      return;
    }
    this.queue.push(frame);
    this.pump();
  }

  /** Drop the waiting frames `which` selects (a stream that ended); they are not sent. */
  drop(which: (frame: PacedFrame) => boolean): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const frame = this.queue[i] as PacedFrame;
      if (which(frame)) {
        this.queue.splice(i, 1);
      }
    }
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
  }

  private pump(): void {
    if (this.timer !== null || this.closed) {
      return;
    }
    this.refill();
    while (this.queue.length > 0) {
      const frame = this.queue[0] as PacedFrame;
      // A frame dearer than the whole bucket goes once the bucket is full (the server may
      // still refuse it: its burst is twice ours).
      const need = Math.min(frame.cost, this.capacity);
      if (this.tokens < need) {
        const waitMs = Math.ceil(((need - this.tokens) / this.rate) * 1000);
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, waitMs);
        return;
      }
      this.queue.shift();
      this.tokens -= frame.cost;
      frame.send();
      frame.done?.();
    }
  }
}
