/**
 * A reliable, ordered stream of messages to one participant, opened by the topology
 * for one purpose (a file transfer). The mesh backs it with an RTCDataChannel of its
 * own; backpressure is `bufferedAmount` plus a `drain` event, as on a data channel,
 * so a large transfer can pace itself without ever seeing the channel.
 */
export type DataStreamState = 'connecting' | 'open' | 'closed';

export type DataStreamEvents = {
  /** The stream can carry messages. */
  open: [];
  /** A message from the other side. */
  message: [data: string | ArrayBuffer];
  /** `bufferedAmount` fell to `lowWaterMark` or below: there is room to send more. */
  drain: [];
  /** The stream closed: either side closed it, or the connection to them went. Once. */
  close: [];
};

export interface DataStream {
  /** What it is for, as the opener named it (e.g. `parley-file:<id>`). */
  readonly label: string;
  /** Who is at the other end. */
  readonly participantId: string;
  readonly state: DataStreamState;
  /** Bytes handed to `send` and not yet on the wire. */
  readonly bufferedAmount: number;
  /** `drain` fires when `bufferedAmount` falls to this many bytes. */
  lowWaterMark: number;
  /** Queue one message; throws if the stream is not open. */
  send(data: string | ArrayBuffer): void;
  /** Close both ways. Safe to call twice. */
  close(): void;
  /** Listen to an event; returns the function that stops listening. */
  on<K extends keyof DataStreamEvents>(
    event: K,
    listener: (...args: DataStreamEvents[K]) => void,
  ): () => void;
}
