/** Same rule as the protocol's RoomId, so what we accept the server accepts. */
export const ROOM_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A new room id: 16 random bytes (128 bits) in base64url, 22 characters. The id is
 * the only secret protecting a room, so it must be unguessable, not just unique.
 */
export function newRoomId(
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  const bytes = random(new Uint8Array(16));
  let binary = '';
  for (const b of bytes) {
    binary += String.fromCharCode(b);
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Read what someone typed or pasted into "join a room": a bare id, a path like
 * `/r/<id>`, or a full invite link (any host: links may come from another server name).
 * Returns the room id, or null when there is none.
 */
export function parseRoomInput(input: string): string | null {
  const text = input.trim();
  if (text === '') {
    return null;
  }
  if (ROOM_ID_PATTERN.test(text)) {
    return text;
  }
  const match = /(?:^|\/)r\/([^/?#\s]+)/.exec(text);
  if (!match) {
    return null;
  }
  let id: string;
  try {
    id = decodeURIComponent(match[1] as string);
  } catch {
    return null;
  }
  return ROOM_ID_PATTERN.test(id) ? id : null;
}

/** The link to share: the room only, never the sender's name or media choices. */
export function inviteLink(roomId: string, origin: string = location.origin): string {
  return `${origin}/r/${encodeURIComponent(roomId)}`;
}
