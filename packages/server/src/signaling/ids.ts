import { randomBytes } from 'node:crypto';

/** Unguessable id, base64url. 12 bytes = 96 bits. */
export function randomId(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}
