import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxStorage } from './outbox.js';

class MemoryStorage implements OutboxStorage {
  readonly data = new Map<string, string>();
  failWrites = false;
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.failWrites) {
      throw new Error('QuotaExceededError');
    }
    this.data.set(key, value);
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
}

describe('Outbox', () => {
  it('survives a reload through storage, as pending (failed stays failed)', () => {
    const storage = new MemoryStorage();
    const first = new Outbox(storage);
    first.bind('room1');
    first.add({ clientId: 'a', text: 'one', createdAt: 1, status: 'sending' });
    first.add({ clientId: 'b', text: 'two', createdAt: 2, status: 'pending' });
    first.update('b', { status: 'failed', error: { code: 'internal', message: 'x' } });
    const reloaded = new Outbox(storage);
    reloaded.bind('room1');
    expect(reloaded.all.map((i) => [i.clientId, i.status])).toEqual([
      ['a', 'pending'],
      ['b', 'failed'],
    ]);
    // Another room has its own outbox.
    const other = new Outbox(storage);
    other.bind('room2');
    expect(other.all).toEqual([]);
  });

  it('merges what was written before the room was known, and forgets confirmed messages', () => {
    const storage = new MemoryStorage();
    const box = new Outbox(storage);
    box.add({ clientId: 'early', text: 'hi', createdAt: 1, status: 'pending' });
    box.bind('room1');
    expect(JSON.parse(storage.getItem('parley.chat.outbox.room1') as string)).toHaveLength(1);
    expect(box.remove('early')).toBe(true);
    expect(box.remove('early')).toBe(false);
    expect(storage.getItem('parley.chat.outbox.room1')).toBeNull();
  });

  it('keeps messages in memory when storage fails or holds garbage', () => {
    const storage = new MemoryStorage();
    storage.data.set('parley.chat.outbox.r', '{not json');
    const box = new Outbox(storage);
    box.bind('r');
    expect(box.all).toEqual([]);
    storage.failWrites = true;
    box.add({ clientId: 'x', text: 'kept', createdAt: 1, status: 'pending' });
    expect(box.get('x')?.text).toBe('kept');
  });
});
