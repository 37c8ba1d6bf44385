/** A message this client wrote that the server has not confirmed yet. */
export interface OutboxItem {
  clientId: string;
  text: string;
  /** When it was written, ms since epoch (local clock). */
  createdAt: number;
  /** `failed` needs a user's retry; the others are sent automatically. */
  status: 'pending' | 'sending' | 'failed';
  error?: { code: string; message: string };
}

/** The subset of the Web Storage API the outbox uses (localStorage in a browser). */
export interface OutboxStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Unconfirmed messages, in writing order, optionally mirrored to storage so that a
 * message written offline survives a page reload. Storage failures (quota, private
 * mode) only cost that durability, never the message in memory.
 */
export class Outbox {
  private items: OutboxItem[] = [];
  private key: string | null = null;

  constructor(private readonly storage: OutboxStorage | null) {}

  /** Bind to a room's storage key, merging what a previous page left there. */
  bind(roomId: string): void {
    const key = `parley.chat.outbox.${roomId}`;
    if (this.key === key) {
      return;
    }
    this.key = key;
    const saved = this.load();
    for (const item of saved) {
      if (!this.items.some((i) => i.clientId === item.clientId)) {
        this.items.push({ ...item, status: item.status === 'failed' ? 'failed' : 'pending' });
      }
    }
    this.save();
  }

  get all(): readonly OutboxItem[] {
    return this.items;
  }

  get(clientId: string): OutboxItem | undefined {
    return this.items.find((i) => i.clientId === clientId);
  }

  add(item: OutboxItem): void {
    this.items.push(item);
    this.save();
  }

  update(clientId: string, patch: Partial<OutboxItem>): void {
    const item = this.get(clientId);
    if (item) {
      Object.assign(item, patch);
      if (patch.status !== 'failed') {
        delete item.error;
      }
      this.save();
    }
  }

  /** The server confirmed it: forget it. Returns whether it was ours. */
  remove(clientId: string): boolean {
    const before = this.items.length;
    this.items = this.items.filter((i) => i.clientId !== clientId);
    if (this.items.length !== before) {
      this.save();
      return true;
    }
    return false;
  }

  private load(): OutboxItem[] {
    if (!this.storage || !this.key) {
      return [];
    }
    try {
      const raw = this.storage.getItem(this.key);
      const parsed = raw ? (JSON.parse(raw) as unknown) : [];
      return Array.isArray(parsed)
        ? parsed.filter(
            (i): i is OutboxItem =>
              typeof i === 'object' &&
              i !== null &&
              typeof (i as OutboxItem).clientId === 'string' &&
              typeof (i as OutboxItem).text === 'string',
          )
        : [];
    } catch {
      return [];
    }
  }

  private save(): void {
    if (!this.storage || !this.key) {
      return;
    }
    try {
      if (this.items.length === 0) {
        this.storage.removeItem(this.key);
      } else {
        this.storage.setItem(this.key, JSON.stringify(this.items));
      }
    } catch {
      /* storage full or unavailable: the message stays in memory */
    }
  }
}
