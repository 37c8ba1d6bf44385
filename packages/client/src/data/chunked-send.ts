import type { DataStream } from '../topology/index.js';
import { CHUNK, HIGH_WATER } from './transfer.js';

/**
 * Send `data` on `stream` in CHUNK-sized messages, pausing while more than HIGH_WATER
 * bytes wait in its buffer and resuming on 'drain' (set the stream's lowWaterMark).
 * Without the pause a large file would fill the buffer and the browser would close
 * the channel under it.
 *
 * Resolves `sent` once everything is queued, `stopped` when `active()` turned false or
 * the stream closed, or the Error `send` threw.
 */
export async function sendChunked(
  stream: DataStream,
  data: ArrayBuffer,
  hooks: { active: () => boolean; progress: (bytesDrained: number) => void },
): Promise<'sent' | 'stopped' | Error> {
  const drained = (): Promise<void> =>
    new Promise((resolve) => {
      const offs = [stream.on('drain', done), stream.on('close', done)];
      function done(): void {
        offs.forEach((off) => off());
        resolve();
      }
    });
  let offset = 0;
  while (offset < data.byteLength) {
    if (!hooks.active() || stream.state !== 'open') {
      return 'stopped';
    }
    if (stream.bufferedAmount > HIGH_WATER) {
      await drained();
      continue;
    }
    const end = Math.min(offset + CHUNK, data.byteLength);
    try {
      stream.send(data.slice(offset, end));
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
    offset = end;
    hooks.progress(Math.max(0, offset - stream.bufferedAmount));
  }
  return 'sent';
}
