import { CHUNK, HIGH_WATER } from './transfer.js';

/**
 * Send `data` on `channel` in CHUNK-sized messages, pausing while more than HIGH_WATER
 * bytes wait in the channel's buffer and resuming on 'bufferedamountlow' (set the
 * channel's bufferedAmountLowThreshold). Without the pause a large file would fill
 * the buffer and the browser would close the channel.
 *
 * Resolves `sent` once everything is queued, `stopped` when `active()` turned false or
 * the channel closed, or the Error `send` threw.
 */
export async function sendChunked(
  channel: RTCDataChannel,
  data: ArrayBuffer,
  hooks: { active: () => boolean; progress: (bytesDrained: number) => void },
): Promise<'sent' | 'stopped' | Error> {
  const drained = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        channel.removeEventListener('bufferedamountlow', done);
        channel.removeEventListener('close', done);
        resolve();
      };
      channel.addEventListener('bufferedamountlow', done);
      channel.addEventListener('close', done);
    });
  let offset = 0;
  while (offset < data.byteLength) {
    if (!hooks.active() || channel.readyState !== 'open') {
      return 'stopped';
    }
    if (channel.bufferedAmount > HIGH_WATER) {
      await drained();
      continue;
    }
    const end = Math.min(offset + CHUNK, data.byteLength);
    try {
      channel.send(data.slice(offset, end));
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
    offset = end;
    hooks.progress(Math.max(0, offset - channel.bufferedAmount));
  }
  return 'sent';
}
