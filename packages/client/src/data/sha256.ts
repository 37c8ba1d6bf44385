import { ParleyError } from '../errors.js';

/** SHA-256 of some bytes, as lowercase hex (Web Crypto: browsers and Node 20). */
export async function sha256Hex(data: ArrayBuffer | Blob): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    // Browsers only offer Web Crypto on https (and localhost) pages.
    throw new ParleyError('internal', 'file sharing needs the page to be served over https');
  }
  const buffer = data instanceof ArrayBuffer ? data : await data.arrayBuffer();
  const digest = await subtle.digest('SHA-256', buffer);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
