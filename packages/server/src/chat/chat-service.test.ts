import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '@parley/protocol';
import { openStore, type Store } from '../store/index.js';
import { KyselyChatStore } from './chat-store.js';
import { ChatService } from './chat-service.js';

const settings = {
  maxLength: 100,
  historySize: 50,
  ratePerSecond: 5,
  ratePerAddress: 10,
  ratePerRoom: 20,
  fileMaxBytes: 1,
  retention: { maxAgeMs: 0, maxMessages: 0 },
};
const ada = { room: 'r', peerId: 'p1', name: 'Ada' };

describe('ChatService announcing (SQLite in memory)', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
  });

  it('a message stored while the room could not hear it is announced by its resend, once', async () => {
    store = await openStore({ dataDir: ':memory:' });
    const chat = new ChatService(new KyselyChatStore(store.db), settings);
    const heard: ChatMessage[] = [];
    const down = (): Promise<void> => Promise.reject(new Error('bus down'));
    const up = (m: ChatMessage): Promise<void> => {
      heard.push(m);
      return Promise.resolve();
    };
    await expect(chat.post(ada, 'c1', 'hello', down)).rejects.toThrow('bus down');
    // The outbox resends it: stored once, and now the room hears it.
    const resent = await chat.post(ada, 'c1', 'hello', up);
    expect(resent.announced).toBe(true);
    expect(heard.map((m) => m.clientId)).toEqual(['c1']);
    // A further resend is the sender's business only.
    expect((await chat.post(ada, 'c1', 'hello', up)).announced).toBe(false);
    expect(heard).toHaveLength(1);
    expect((await chat.history('r', { limit: 10 })).messages).toHaveLength(1);
  });
});
