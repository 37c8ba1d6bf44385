import type { ClientMessage, RoomDataLimits, ServerMessageMap } from '@parley/protocol';
import { ParleyError } from '../../errors.js';
import type { DataStream } from '../data-stream.js';
import { fromBase64, toBase64 } from './base64.js';
import { Pacer, type PacedFrame } from './pacer.js';
import { ServerStream, type StreamSink } from './server-stream.js';

type RoomDataIn = ServerMessageMap['room-data'];
type ErrorIn = ServerMessageMap['error'];

/**
 * The request id on a stream's frames: the server echoes it on a refusal (`rate_limited`,
 * `unknown_peer`…), which tells us which stream lost a frame.
 */
const STREAM_RID = 'ds-';
type RoomDataOut = Extract<ClientMessage, { type: 'room-data' }>;

export interface ServerDataEvents {
  /** A message for the shared channel, with its sender (stamped by the server). */
  data(from: string, data: string | ArrayBuffer): void;
  /** Someone opened a data stream to us. */
  stream(from: string, stream: DataStream): void;
}

/** Frames of one stream, so that they can be dropped when it ends. */
interface StreamFrame extends PacedFrame {
  readonly stream?: ServerStream;
}

const encoder = new TextEncoder();

/** Random stream ids: two sides never pick the same one for a stream between them. */
function streamId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Room data through Parley's server (`room-data`, docs/SFU.md): the shared channel to
 * one participant or all, and data streams to one. The server stamps the sender and
 * forwards inside our room only; this side keeps under its limits (`joined.dataLimits`):
 * a frame over the size limit throws here, and everything goes through one pacer under
 * the byte rate, in the order it was sent.
 */
export class ServerDataPath implements StreamSink {
  private readonly pacer: Pacer;
  private readonly streams = new Map<string, ServerStream>();
  private closed = false;

  constructor(
    private readonly send: (message: ClientMessage) => void,
    private readonly limits: RoomDataLimits,
    /** How many others a frame to everyone reaches (what the server charges it for). */
    private readonly others: () => number,
    private readonly events: ServerDataEvents,
  ) {
    // A quarter second of burst (the server allows two), and at least one largest frame.
    this.pacer = new Pacer(
      limits.bytesPerSecond,
      Math.max(limits.maxBytes, Math.round(limits.bytesPerSecond / 4)),
    );
  }

  /** To one participant, or to everyone else in the room. Throws `too_large` over the limit. */
  sendData(data: string | ArrayBuffer, to?: string): void {
    if (this.closed) {
      return;
    }
    const frame = this.frame(data, to);
    const bytes = this.payloadBytes(frame);
    const recipients = to === undefined ? this.others() : 1;
    if (recipients > 0) {
      this.pacer.push({ cost: bytes * recipients, send: () => this.send(frame) });
    }
  }

  openStream(to: string, label: string): DataStream | null {
    if (this.closed) {
      return null;
    }
    const stream = new ServerStream(streamId(), to, label, this);
    this.streams.set(key(to, stream.id), stream);
    this.push(stream, {
      type: 'room-data',
      to,
      data: '',
      stream: { id: stream.id, op: 'open', label },
    });
    return stream;
  }

  /** A `room-data` from the server. */
  handle(message: RoomDataIn): void {
    if (this.closed) {
      return;
    }
    let data: string | ArrayBuffer;
    try {
      data = message.binary ? fromBase64(message.data) : message.data;
    } catch {
      return; // Not base64: a broken sender; there is nobody to tell.
    }
    const s = message.stream;
    if (!s) {
      this.events.data(message.from, data);
      return;
    }
    const k = key(message.from, s.id);
    const stream = this.streams.get(k);
    if (s.op === 'open') {
      if (!stream && s.label !== undefined) {
        const opened = new ServerStream(s.id, message.from, s.label, this);
        this.streams.set(k, opened);
        this.events.stream(message.from, opened);
      }
    } else if (s.op === 'message') {
      stream?.receive(data);
    } else {
      stream?.end();
    }
  }

  /**
   * The server refused one of our frames. A stream that lost one is broken (a file would
   * arrive short and wait for ever): it ends here, and its close goes to the other side.
   * A refused frame of the shared channel was a whole message; the room shows the error.
   */
  handleError(error: ErrorIn): void {
    if (this.closed || !error.rid?.startsWith(STREAM_RID)) {
      return;
    }
    const id = error.rid.slice(STREAM_RID.length);
    for (const stream of [...this.streams.values()]) {
      if (stream.id === id) {
        stream.end();
        this.closeStream(stream);
      }
    }
  }

  /** They left: their streams end. */
  removeParticipant(participantId: string): void {
    for (const stream of [...this.streams.values()]) {
      if (stream.participantId === participantId) {
        stream.end();
      }
    }
  }

  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    for (const stream of [...this.streams.values()]) {
      stream.end();
    }
    this.pacer.close();
  }

  // StreamSink: what a stream asks of us.

  streamMessage(
    stream: ServerStream,
    data: string | ArrayBuffer,
    _bytes: number,
    sent: () => void,
  ): void {
    const frame = this.frame(data, stream.participantId);
    this.push(stream, { ...frame, stream: { id: stream.id, op: 'message' } }, sent);
  }

  closeStream(stream: ServerStream): void {
    this.push(stream, {
      type: 'room-data',
      to: stream.participantId,
      data: '',
      stream: { id: stream.id, op: 'close' },
    });
  }

  ended(stream: ServerStream, dropQueued: boolean): void {
    this.streams.delete(key(stream.participantId, stream.id));
    if (dropQueued) {
      this.pacer.drop((f: StreamFrame) => f.stream === stream);
    }
  }

  private push(stream: ServerStream, frame: RoomDataOut, sent?: () => void): void {
    const queued: StreamFrame = {
      stream,
      cost: this.payloadBytes(frame),
      send: () => this.send({ ...frame, rid: `${STREAM_RID}${stream.id}` }),
      ...(sent ? { done: sent } : {}),
    };
    this.pacer.push(queued);
  }

  /** The frame for `data`, refused here when the server would refuse it. */
  private frame(data: string | ArrayBuffer, to: string | undefined): RoomDataOut {
    const binary = typeof data !== 'string';
    const payload = binary ? toBase64(data) : data;
    const frame: RoomDataOut = {
      type: 'room-data',
      ...(to === undefined ? {} : { to }),
      data: payload,
      ...(binary ? { binary: true } : {}),
    };
    const bytes = this.payloadBytes(frame);
    if (bytes > this.limits.maxBytes) {
      throw new ParleyError(
        'too_large',
        `${bytes} bytes of data in one message; the server relays at most ${this.limits.maxBytes}`,
      );
    }
    return frame;
  }

  /** What the server counts: the payload's UTF-8 bytes (base64 is ASCII, one byte a character). */
  private payloadBytes(frame: RoomDataOut): number {
    return frame.binary ? frame.data.length : encoder.encode(frame.data).length;
  }
}

function key(participantId: string, id: string): string {
  return `${participantId}\n${id}`;
}
