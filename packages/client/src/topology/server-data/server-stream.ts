import { Emitter } from '@parley/common';
import type { DataStream, DataStreamEvents, DataStreamState } from '../data-stream.js';

/** How a stream hands its frames to the data path (which paces and sends them). */
export interface StreamSink {
  /** Queue a message of `bytes` bytes; `sent` runs once it has left. */
  streamMessage(
    stream: ServerStream,
    data: string | ArrayBuffer,
    bytes: number,
    sent: () => void,
  ): void;
  /** Queue the close, after the messages already queued. */
  closeStream(stream: ServerStream): void;
  /** The stream ended: forget it; `dropQueued` drops what it still had queued (not on our own close). */
  ended(stream: ServerStream, dropQueued: boolean): void;
}

/**
 * A DataStream through Parley's server (`room-data` with a `stream`), to one participant.
 * Open at once: the server forwards in order, so the other side learns of the stream
 * before its first message. `bufferedAmount` is what the pacer still holds, which is
 * what a file transfer paces itself on.
 */
export class ServerStream extends Emitter<DataStreamEvents> implements DataStream {
  private ended = false;
  private buffered = 0;
  lowWaterMark = 0;

  constructor(
    readonly id: string,
    readonly participantId: string,
    readonly label: string,
    private readonly sink: StreamSink,
  ) {
    super();
    // Listeners are added right after the stream is handed out: tell them then.
    queueMicrotask(() => {
      if (!this.ended) {
        this.emit('open');
      }
    });
  }

  get state(): DataStreamState {
    return this.ended ? 'closed' : 'open';
  }

  get bufferedAmount(): number {
    return this.buffered;
  }

  send(data: string | ArrayBuffer): void {
    if (this.ended) {
      throw new Error(`the data stream "${this.label}" is closed`);
    }
    const bytes = typeof data === 'string' ? data.length : data.byteLength;
    // Counted before it is queued: the pacer may send it (and call back) at once.
    this.buffered += bytes;
    try {
      this.sink.streamMessage(this, data, bytes, () => {
        const before = this.buffered;
        this.buffered -= bytes;
        if (before > this.lowWaterMark && this.buffered <= this.lowWaterMark && !this.ended) {
          this.emit('drain');
        }
      });
    } catch (err) {
      this.buffered -= bytes;
      throw err;
    }
  }

  /** Close both ways: what was queued still goes, then the close. */
  close(): void {
    if (!this.ended) {
      this.sink.closeStream(this);
      this.end(false);
    }
  }

  /** The other side closed it, they left, or the topology closed: nothing more goes. */
  end(dropQueued = true): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    this.sink.ended(this, dropQueued);
    this.emit('close');
    this.removeAllListeners();
  }

  /** A message from the other side. */
  receive(data: string | ArrayBuffer): void {
    if (!this.ended) {
      this.emit('message', data);
    }
  }
}
