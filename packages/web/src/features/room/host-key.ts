import type { Room } from '@parley/client';

/**
 * The host key of each room this tab hosts, in sessionStorage: a reload keeps host, and
 * closing the tab forgets it (a signed-in creator stays host by account anyway).
 */
const keyName = (roomId: string): string => `parley.hostKey.${roomId}`;

export function loadHostKey(roomId: string): string | undefined {
  try {
    return sessionStorage.getItem(keyName(roomId)) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Save every host key the room is given, until the room closes. */
export function keepHostKeys(room: Room, roomId: string): () => void {
  return room.hosting.on('host-key', (key) => {
    try {
      sessionStorage.setItem(keyName(roomId), key);
    } catch {
      // Storage refused (private mode quota): host lasts as long as this page.
    }
  });
}
