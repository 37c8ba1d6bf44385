import type { ReceiverFailure, TransferReason } from './transfer-reason.js';

/** What a file transfer is, and the control messages peers exchange about one. */

export const DEFAULT_FILE_MAX_BYTES = 100 * 1024 * 1024;
/** 16 KiB chunks: the size every browser's SCTP stack sends without fragmenting trouble. */
export const CHUNK = 16 * 1024;
/** Stop queueing above this much buffered, resume when it drains below LOW_WATER. */
export const HIGH_WATER = 1024 * 1024;
export const LOW_WATER = 256 * 1024;
export const LABEL_PREFIX = 'parley-file:';
export const CLOSE_GRACE_MS = 1000;

export type TransferState =
  | 'offered'
  | 'accepted'
  | 'transferring'
  | 'verifying'
  | 'done'
  | 'declined'
  | 'cancelled'
  | 'failed';

/** One file between us and one peer. A file shared with three peers is three transfers. */
export interface Transfer {
  /** `${fileId}:${peerId}` */
  readonly key: string;
  readonly fileId: string;
  readonly direction: 'out' | 'in';
  readonly peerId: string;
  readonly peerName: string;
  readonly name: string;
  readonly size: number;
  readonly mime: string;
  /** Announced SHA-256, hex. */
  readonly sha256: string;
  state: TransferState;
  /** Bytes through so far (sent and drained, or received). */
  bytes: number;
  /** Why it was declined, cancelled or failed: a code for the app to word (TransferReason). */
  reason?: TransferReason;
  /** The received file, once verified. */
  file?: Blob;
}

export type FileSharingEvents = {
  /** A peer offers us a file: call accept() or decline(). */
  offer: [transfer: Transfer];
  /** Any transfer changed (state or progress). */
  transfer: [transfer: Transfer];
};

export interface FileSharingOptions {
  /** Largest file we send or accept (the server announces its limit in chat limits). */
  maxBytes?: number;
}

/**
 * What peers send each other about a transfer (docs/PROTOCOL.md). Reasons are codes, never
 * sentences; what comes in is read leniently (transfer-reason.ts), as an older peer sent
 * English text in `reason`.
 */
export type Control =
  | { op: 'offer'; id: string; name: string; size: number; mime: string; sha256: string }
  | { op: 'accept'; id: string }
  | { op: 'decline'; id: string; reason: 'declined' }
  | { op: 'decline'; id: string; reason: 'too_large'; limitBytes: number }
  | { op: 'cancel'; id: string; reason: 'cancelled' }
  | { op: 'done'; id: string; ok: true }
  | { op: 'done'; id: string; ok: false; reason: ReceiverFailure };

/** A control message as it arrives: any field may be missing or of another type. */
export type IncomingControl = { op?: unknown; id: string } & Record<string, unknown>;

/** "3 MB" / "12 KB", for reasons shown to users. */
export function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.round(bytes / 1024 / 1024)} MB`
    : `${Math.ceil(bytes / 1024)} KB`;
}
