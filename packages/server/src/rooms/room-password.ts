import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_BYTES = 32;

function scryptAsync(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * A room password as stored: `scrypt$<salt>$<hash>` (node:crypto's scrypt, N = 16384,
 * 16 random bytes of salt). A stolen Redis dump does not give the password away.
 */
export async function hashRoomPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt);
  return `scrypt$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `password` is the one `stored` was made from (constant-time compare). */
export async function verifyRoomPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) {
    return false;
  }
  const want = Buffer.from(hash, 'base64url');
  const got = await scryptAsync(password, Buffer.from(salt, 'base64url'));
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * A host key as stored. Keys are 144 random bits, so a fast hash suffices: it only keeps
 * a dump of the shared state from handing out working keys.
 */
export function hashHostKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
