import { useEffect, useRef } from 'react';
import type { ChatClient, Room } from '@parley/client';
import { announce } from './announcer';
import { t } from '../../i18n/i18n';

/**
 * Say in the live region who joins and leaves the room and what others write in its
 * chat (never our own messages, nor the history loaded on joining). The people already
 * in the room when we join are not announced: they are added in the same task as the
 * `joined` state, and the tiles say who is there. While the chat panel is open its own
 * message list (a polite `log`) reads new messages, so they are not said twice.
 */
export function useRoomAnnouncements(
  room: Room | null,
  chat: ChatClient | null,
  chatOpen: boolean,
): void {
  const open = useRef(chatOpen);
  open.current = chatOpen;
  useEffect(() => {
    if (!room) {
      return;
    }
    let settling = false;
    const offs = [
      room.on('state', (state) => {
        if (state === 'joined') {
          settling = true;
          queueMicrotask(() => (settling = false));
        }
      }),
      room.on('participant-joined', (p) => {
        if (!settling) {
          announce(t('a11y.joined', { name: p.name }));
        }
      }),
      room.on('participant-left', (p) => announce(t('a11y.left', { name: p.name }))),
    ];
    return () => offs.forEach((off) => off());
  }, [room]);

  useEffect(() => {
    if (!chat) {
      return;
    }
    return chat.on('message', (entry) => {
      if (!open.current) {
        announce(t('a11y.chatMessage', { name: entry.name, text: entry.text }));
      }
    });
  }, [chat]);
}
