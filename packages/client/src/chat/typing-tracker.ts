/** Someone else in the room who is typing. */
export interface Typist {
  id: string;
  name: string;
}

/**
 * Who is typing, from the room's `chat-typing` relays. The server relays and never
 * expires anything, so a typist whose "stopped" got lost is forgotten after a timeout.
 */
export class TypingTracker {
  private readonly typists = new Map<
    string,
    { name: string; timer: ReturnType<typeof setTimeout> }
  >();

  constructor(
    private readonly onChange: (typists: Typist[]) => void,
    private readonly timeoutMs = 6000,
  ) {}

  get list(): Typist[] {
    return [...this.typists].map(([id, t]) => ({ id, name: t.name }));
  }

  update(id: string, name: string, typing: boolean): void {
    const existing = this.typists.get(id);
    if (existing) {
      clearTimeout(existing.timer);
    }
    if (typing) {
      this.typists.set(id, { name, timer: setTimeout(() => this.drop(id), this.timeoutMs) });
    } else {
      this.typists.delete(id);
    }
    this.onChange(this.list);
  }

  /** They sent their message or left: they are not typing any more. */
  drop(id: string): void {
    const t = this.typists.get(id);
    if (t) {
      clearTimeout(t.timer);
      this.typists.delete(id);
      this.onChange(this.list);
    }
  }

  clear(): void {
    for (const t of this.typists.values()) {
      clearTimeout(t.timer);
    }
    this.typists.clear();
  }
}
