import { describe, expect, it } from 'vitest';
import { Emitter } from '@parley/common';
import type { DataStream, DataStreamEvents, DataStreamState } from '../topology/index.js';
import { sendChunked } from './chunked-send.js';
import { CHUNK, HIGH_WATER } from './transfer.js';

/** A stream whose buffer only empties when the test says so. */
class HeldStream extends Emitter<DataStreamEvents> implements DataStream {
  label = 'parley-file:abc';
  participantId = 'ben';
  state: DataStreamState = 'open';
  bufferedAmount = 0;
  lowWaterMark = 0;
  sent = 0;
  send(data: string | ArrayBuffer): void {
    this.sent += (data as ArrayBuffer).byteLength;
    this.bufferedAmount += (data as ArrayBuffer).byteLength;
  }
  close(): void {
    this.state = 'closed';
    this.emit('close');
  }
  drainTo(bytes: number): void {
    this.bufferedAmount = bytes;
    this.emit('drain');
  }
}

describe('sendChunked', () => {
  it('stops queueing above the high-water mark and goes on at each drain', async () => {
    const stream = new HeldStream();
    const data = new ArrayBuffer(3 * HIGH_WATER);
    const progress: number[] = [];
    const done = sendChunked(stream, data, { active: () => true, progress: (b) => progress.push(b) });
    await new Promise((r) => setTimeout(r, 10));
    // It waits with just over HIGH_WATER queued, not the whole file.
    expect(stream.sent).toBe(HIGH_WATER + CHUNK);
    stream.drainTo(0);
    await new Promise((r) => setTimeout(r, 10));
    expect(stream.sent).toBe(2 * (HIGH_WATER + CHUNK));
    stream.drainTo(0);
    expect(await done).toBe('sent');
    expect(stream.sent).toBe(data.byteLength);
    // Progress counts what left the buffer, never what is still queued.
    expect(Math.max(...progress)).toBeLessThanOrEqual(data.byteLength);
  });

  it('stops when the stream closes while waiting for a drain', async () => {
    const stream = new HeldStream();
    const done = sendChunked(stream, new ArrayBuffer(2 * HIGH_WATER), {
      active: () => true,
      progress: () => undefined,
    });
    await new Promise((r) => setTimeout(r, 10));
    stream.close();
    expect(await done).toBe('stopped');
  });
});
