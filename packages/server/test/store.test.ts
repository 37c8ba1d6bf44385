import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { migrateToLatest, openStore, SQLITE_FILE, type Store } from '../src/store/index.js';
import { KyselyChatStore, type NewChatMessage } from '../src/chat/index.js';
import { describeBackends } from './store-backends.js';
import { migrations } from '../src/store/migrations/index.js';

let n = 0;
function message(room: string, over: Partial<NewChatMessage> = {}): NewChatMessage {
  n += 1;
  return {
    id: `m${n}`,
    room,
    clientId: `c${n}`,
    senderId: 'peer1',
    senderName: 'Ada',
    text: `hello ${n}`,
    createdAt: 1_700_000_000_000 + n,
    ...over,
  };
}

describeBackends('store', (backend) => {
  const open: Store[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  async function openOne(): Promise<Store> {
    const s = await openStore(backend.options());
    open.push(s);
    return s;
  }

  it('migrates at open, and a second run applies nothing', async () => {
    const a = await openOne();
    expect(a.dialect).toBe(backend.dialect);
    expect(await migrateToLatest(a.db, a.dialect)).toEqual([]);
    const b = await openOne();
    expect(await migrateToLatest(b.db, b.dialect)).toEqual([]);
    const applied = await sql<{
      name: string;
    }>`select name from parley_migration order by name`.execute(a.db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    if (backend.dialect === 'sqlite') {
      expect(existsSync(join(backend.options().dataDir, SQLITE_FILE))).toBe(true);
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(a.db);
      expect(mode.rows[0]?.journal_mode).toBe('wal');
    }
  });

  it('close is idempotent', async () => {
    const s = await openStore(backend.options());
    await s.close();
    await s.close();
  });

  it('stores once per (room, client id) and returns the stored message on a resend', async () => {
    const chat = new KyselyChatStore((await openOne()).db);
    const room = `r${n}`;
    const first = await chat.append(message(room, { clientId: 'same' }));
    expect(first.created).toBe(true);
    const again = await chat.append(message(room, { clientId: 'same', text: 'different text' }));
    expect(again.created).toBe(false);
    expect(again.message).toEqual(first.message);
    // Racing copies still give one row.
    const racers = await Promise.all(
      [1, 2, 3].map(() => chat.append(message(room, { clientId: 'racer' }))),
    );
    expect(racers.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(racers.map((r) => r.message.id)).size).toBe(1);
    // The same client id in another room is another message.
    expect((await chat.append(message(`${room}x`, { clientId: 'same' }))).created).toBe(true);
    const page = await chat.history(room, { limit: 10 });
    expect(page.messages.map((m) => m.clientId)).toEqual(['same', 'racer']);
  });

  it('pages by cursor, oldest first within a page, rooms kept apart', async () => {
    const chat = new KyselyChatStore((await openOne()).db);
    const room = `paging${n}`;
    const texts: string[] = [];
    for (let i = 0; i < 25; i++) {
      texts.push(`t${i}`);
      await chat.append(message(room, { text: `t${i}` }));
      await chat.append(message(`${room}-other`));
    }
    const latest = await chat.history(room, { limit: 10 });
    expect(latest.messages.map((m) => m.text)).toEqual(texts.slice(15));
    expect(latest.hasMore).toBe(true);
    const older = await chat.history(room, { beforeSeq: latest.messages[0]!.seq, limit: 10 });
    expect(older.messages.map((m) => m.text)).toEqual(texts.slice(5, 15));
    const oldest = await chat.history(room, { beforeSeq: older.messages[0]!.seq, limit: 10 });
    expect(oldest.messages.map((m) => m.text)).toEqual(texts.slice(0, 5));
    expect(oldest.hasMore).toBe(false);
    const after = await chat.history(room, { afterSeq: oldest.messages[4]!.seq, limit: 7 });
    expect(after.messages.map((m) => m.text)).toEqual(texts.slice(5, 12));
    expect(after.hasMore).toBe(true);
    const seqs = latest.messages.map((m) => m.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(typeof latest.messages[0]!.createdAt).toBe('number');
  });

  it('prunes by age and by count per room', async () => {
    const chat = new KyselyChatStore((await openOne()).db);
    const room = `prune${n}`;
    for (let i = 0; i < 6; i++) {
      await chat.append(message(room, { createdAt: 1000 + i * 1000, text: `p${i}` }));
    }
    await chat.append(message(`${room}-keep`, { createdAt: 1_000_000 }));
    // Older than 2.5 s at t=6000: p0..p3 (created 1000..4000 < 3500) go.
    expect(await chat.prune(room, { maxAgeMs: 2500, maxMessages: 0 }, 6000)).toBe(3);
    expect(await chat.prune(room, { maxAgeMs: 0, maxMessages: 2 })).toBe(1);
    const left = await chat.history(room, { limit: 10 });
    expect(left.messages.map((m) => m.text)).toEqual(['p4', 'p5']);
    expect((await chat.history(`${room}-keep`, { limit: 10 })).messages).toHaveLength(1);
  });

  it('deletes expired messages in every room but the excepted ones', async () => {
    const chat = new KyselyChatStore((await openOne()).db);
    const room = `expire${n}`;
    await chat.append(message(`${room}a`, { createdAt: 10 }));
    await chat.append(message(`${room}b`, { createdAt: 10 }));
    await chat.append(message(`${room}b`, { createdAt: Date.now() }));
    await chat.append(message(`${room}keep`, { createdAt: 10 }));
    // Other tests' rows are recent (created at 1.7e12 + n): a cutoff of 100 spares them.
    expect(await chat.pruneExpired(100, [`${room}keep`])).toBe(2);
    expect((await chat.history(`${room}b`, { limit: 5 })).messages).toHaveLength(1);
    expect((await chat.history(`${room}keep`, { limit: 5 })).messages).toHaveLength(1);
  });

  it('keeps data across close and reopen', async () => {
    const room = `durable${n}`;
    const a = await openStore(backend.options());
    await new KyselyChatStore(a.db).append(message(room, { text: 'survives' }));
    await a.close();
    const b = await openOne();
    const page = await new KyselyChatStore(b.db).history(room, { limit: 5 });
    expect(page.messages.map((m) => m.text)).toEqual(['survives']);
  });
});
