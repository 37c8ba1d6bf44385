/**
 * 128 random bits as hex. getRandomValues works on plain-http pages too, where
 * crypto.randomUUID does not exist (it needs a secure context).
 */
export function randomHexId(bytes = 16): string {
  const buf = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buf);
  return [...buf].map((b) => b.toString(16).padStart(2, '0')).join('');
}
