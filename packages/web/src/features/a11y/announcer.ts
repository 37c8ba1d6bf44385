import { t } from '../../i18n/i18n';

export interface AnnouncerOptions {
  /** At most one announcement per this many milliseconds; what comes meanwhile waits. */
  minGapMs: number;
  /** A batch longer than this says its first items and how many more there were. */
  maxPerBatch: number;
  /** Longest text of one item (a long chat message is cut; a screen reader reads it all). */
  maxItemChars: number;
}

export const DEFAULT_ANNOUNCER_OPTIONS: AnnouncerOptions = {
  minGapMs: 1500,
  maxPerBatch: 3,
  maxItemChars: 140,
};

export interface AnnouncerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: AnnouncerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Join a batch into one announcement, cut to `maxPerBatch` items plus "and N more". */
export function summarize(batch: readonly string[], options: AnnouncerOptions): string {
  const cut = (s: string): string =>
    s.length > options.maxItemChars ? `${s.slice(0, options.maxItemChars - 1)}…` : s;
  if (batch.length <= options.maxPerBatch) {
    return batch.map(cut).join('. ');
  }
  const shown = batch.slice(0, options.maxPerBatch - 1).map(cut);
  return [...shown, t('a11y.more', { count: batch.length - shown.length })].join('. ');
}

/**
 * Rate-limited announcements for the page's live region. A screen reader that is read
 * ten joins at once (a meeting starting, a reconnect) is useless for a minute: items are
 * gathered and spoken as one line at most every `minGapMs`, long bursts summarized.
 * Framework-free; the React side subscribes (LiveRegion.tsx).
 */
export class Announcer {
  private pending: string[] = [];
  private timer: unknown = null;
  private lastAt = Number.NEGATIVE_INFINITY;
  private seq = 0;
  private readonly listeners = new Set<(text: string, id: number) => void>();

  constructor(
    private readonly options: AnnouncerOptions = DEFAULT_ANNOUNCER_OPTIONS,
    private readonly clock: AnnouncerClock = realClock,
  ) {}

  /** Queue `text` to be announced. Blank text is ignored. */
  say(text: string): void {
    const clean = text.replace(/\s+/g, ' ').trim();
    if (clean === '') {
      return;
    }
    this.pending.push(clean);
    if (this.timer === null) {
      // Even with no wait, a tick: what happens in the same task is one announcement.
      const wait = Math.max(0, this.lastAt + this.options.minGapMs - this.clock.now());
      this.timer = this.clock.setTimeout(() => this.flush(), wait);
    }
  }

  /** Called with each announcement and a new id (the same text twice is still news). */
  subscribe(listener: (text: string, id: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drop what is queued (a page that closes). */
  clear(): void {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    this.pending = [];
  }

  private flush(): void {
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) {
      return;
    }
    this.lastAt = this.clock.now();
    const text = summarize(batch, this.options);
    const id = ++this.seq;
    for (const l of this.listeners) {
      try {
        l(text, id);
      } catch (err) {
        // One broken listener must not silence the others.
        console.warn('parley: announcer listener failed', err);
      }
    }
  }
}

/** The app's one announcer, read by the one live region (LiveRegion.tsx). */
export const announcer = new Announcer();

/** Announce `text` in the page's polite live region (rate-limited). */
export function announce(text: string): void {
  announcer.say(text);
}
