import { useEffect, useState } from 'react';
import {
  ChatClient,
  type ChatEntry,
  type OutboxStorage,
  type Room,
  type Typist,
} from '@parley/client';
import type { ChatLimits } from '@parley/protocol';

/** localStorage when the browser lets us use it (private modes may throw). */
function browserStorage(): OutboxStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export interface ChatState {
  chat: ChatClient | null;
  entries: readonly ChatEntry[];
  typing: readonly Typist[];
  limits: ChatLimits | null;
  /** Messages from others that arrived while the panel was closed. */
  unread: number;
}

/**
 * The room's chat for as long as the room exists. `open` says whether the user can see
 * the chat: messages arriving while it is closed count as unread.
 */
export function useChat(room: Room | null, open: boolean): ChatState {
  const [chat, setChat] = useState<ChatClient | null>(null);
  const [entries, setEntries] = useState<readonly ChatEntry[]>([]);
  const [typing, setTyping] = useState<readonly Typist[]>([]);
  const [limits, setLimits] = useState<ChatLimits | null>(null);
  const [unread, setUnread] = useState(0);

  useEffect(() => {
    if (!room) {
      return;
    }
    const client = new ChatClient(room, { storage: browserStorage() });
    setChat(client);
    setEntries(client.entries);
    setLimits(client.limits);
    const offs = [
      client.on('change', (list) => setEntries(list)),
      client.on('typing', (list) => setTyping(list)),
      client.on('limits', (l) => setLimits(l)),
      client.on('message', () => setUnread((n) => n + 1)),
    ];
    return () => {
      offs.forEach((off) => off());
      client.close();
      setChat(null);
    };
  }, [room]);

  useEffect(() => {
    if (open) {
      setUnread(0);
    }
  }, [open, entries]);

  return { chat, entries, typing, limits, unread: open ? 0 : unread };
}
