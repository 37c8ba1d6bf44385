import { z } from 'zod';
import { PeerId, RequestId } from './common.js';

/**
 * Room data through Parley's server (reactions, file offers and file bytes when the
 * room's media goes through the SFU; docs/SFU.md says why not Janus's data channels).
 * The payload is a string; `binary: true` says it is base64 of bytes.
 */

/** One data stream (a file transfer) between two participants, named by its opener. */
export const DataStreamId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'stream id may contain letters, digits, - and _ only');

/** What one `room-data` frame does to a stream: open it (with its label), carry a message, close it. */
export const DataStreamFrame = z.strictObject({
  id: DataStreamId,
  op: z.enum(['open', 'message', 'close']),
  /** What the stream is for, as the opener named it (only on `open`). */
  label: z.string().min(1).max(128).optional(),
});
export type DataStreamFrame = z.infer<typeof DataStreamFrame>;

const body = {
  /** The payload: text, or base64 when `binary`. Its size is bounded by the server (`--room-data-max-bytes`). */
  data: z.string().default(''),
  /** True when `data` is base64 of bytes (an ArrayBuffer on the sending side). */
  binary: z.boolean().optional(),
  stream: DataStreamFrame.optional(),
};

function streamsAreTargeted(v: { to?: string | undefined; stream?: unknown }): boolean {
  return v.stream === undefined || v.to !== undefined;
}
const streamsAreTargetedMessage = { message: 'a data stream goes to one participant: give "to"' };

function labelOnOpen(v: {
  stream?: { op: string; label?: string | undefined } | undefined;
}): boolean {
  return v.stream === undefined || (v.stream.op === 'open') === (v.stream.label !== undefined);
}
const labelOnOpenMessage = { message: 'a stream "open" carries a label, and only an open does' };

/**
 * Client → server: data for one participant of my room (`to`), or for everyone else in
 * it. Strict: the server stamps `from` and forwards nothing else the client added.
 */
export const RoomDataOut = z
  .strictObject({
    type: z.literal('room-data'),
    to: PeerId.optional(),
    ...body,
    rid: RequestId,
  })
  .refine(streamsAreTargeted, streamsAreTargetedMessage)
  .refine(labelOnOpen, labelOnOpenMessage);

/** Server → client: data from a participant of my room; `from` is stamped by the server. */
export const RoomDataIn = z.object({
  type: z.literal('room-data'),
  from: PeerId,
  /** Present when it was sent to me alone. */
  to: PeerId.optional(),
  ...body,
});

/** The limits on room data, told in `joined` so that senders pace themselves. */
export const RoomDataLimits = z.object({
  /** Largest `data` of one frame, in bytes (UTF-8; base64 counts as sent). */
  maxBytes: z.number().int().positive(),
  /**
   * Bytes per second one connection may have relayed (a token bucket holding two
   * seconds' worth); a frame to everyone costs its size times the others in the room.
   */
  bytesPerSecond: z.number().int().positive(),
});
export type RoomDataLimits = z.infer<typeof RoomDataLimits>;
