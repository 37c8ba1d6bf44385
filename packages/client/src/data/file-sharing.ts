import { Emitter } from '@parley/common';
import { ParleyError } from '../errors.js';
import type { Participant, Room } from '../room.js';
import type { DataStream } from '../topology/index.js';
import { parseEnvelope } from './envelope.js';
import { randomHexId } from './random-id.js';
import { sha256Hex } from './sha256.js';
import { sendChunked } from './chunked-send.js';
import {
  declineReason,
  verifyFailure,
  type ReceiverFailure,
  type TransferReason,
} from './transfer-reason.js';
import {
  CLOSE_GRACE_MS,
  DEFAULT_FILE_MAX_BYTES,
  LABEL_PREFIX,
  LOW_WATER,
  describeBytes,
  type Control,
  type FileSharingEvents,
  type IncomingControl,
  type FileSharingOptions,
  type Transfer,
  type TransferState,
} from './transfer.js';

export {
  DEFAULT_FILE_MAX_BYTES,
  type FileSharingEvents,
  type FileSharingOptions,
  type Transfer,
  type TransferState,
};

interface OutState {
  data: ArrayBuffer;
  stream?: DataStream;
}
interface InState {
  chunks: ArrayBuffer[];
  stream?: DataStream;
}

/**
 * File sharing over the room's data path (peer to peer in a mesh, through the server in
 * an SFU room; this code cannot tell). Offers and answers go on the shared channel;
 * the bytes of each transfer go on a data stream of their own (so a big file never
 * holds up a reaction), in chunks with backpressure, and are checked against the
 * sender's SHA-256 before the receiver is offered the file.
 */
export class FileSharing extends Emitter<FileSharingEvents> {
  private readonly transfers = new Map<string, Transfer>();
  private readonly outgoing = new Map<string, OutState>();
  private readonly incoming = new Map<string, InState>();
  private readonly offs: Array<() => void>;
  maxBytes: number;

  constructor(
    private readonly room: Room,
    options: FileSharingOptions = {},
  ) {
    super();
    this.maxBytes = options.maxBytes ?? DEFAULT_FILE_MAX_BYTES;
    this.offs = [
      room.on('data', (p, data) => {
        const msg = parseEnvelope(data, 'file');
        if (msg && typeof msg.id === 'string' && msg.id.length <= 64) {
          this.onControl(p, msg as IncomingControl);
        }
      }),
      // The sender opens the bytes stream once we accepted; it is labelled with the file id.
      room.on('data-stream', (p, stream) => this.onStream(p, stream)),
      room.on('participant-left', (p) => {
        for (const t of this.transfers.values()) {
          if (t.peerId === p.id) {
            this.finish(t, 'failed', { code: 'peer_left' });
          }
        }
      }),
    ];
  }

  /** Every transfer, newest last. */
  get list(): Transfer[] {
    return [...this.transfers.values()];
  }

  /**
   * Offer a file to everyone connected. Returns one transfer per receiver.
   * Throws a ParleyError `file_too_large` or `no_peers`.
   */
  async share(file: Blob, name = (file as File).name ?? 'file'): Promise<Transfer[]> {
    if (file.size > this.maxBytes) {
      throw new ParleyError(
        'file_too_large',
        `${name} is ${describeBytes(file.size)}; files up to ${describeBytes(this.maxBytes)} can be shared`,
      );
    }
    const peers = this.room.participants.filter((p) => this.room.canSendData(p.id));
    if (peers.length === 0) {
      throw new ParleyError('no_peers', 'nobody is connected to receive the file yet');
    }
    let data: ArrayBuffer;
    try {
      data = await file.arrayBuffer();
    } catch {
      // The browser reads lazily: the file may have been moved, deleted or locked since it was picked.
      throw new ParleyError('file_unreadable', `${name} could not be read; it may have been moved or deleted`);
    }
    const sha256 = await sha256Hex(data);
    const fileId = randomHexId();
    const mime = file.type || 'application/octet-stream';
    const out: Transfer[] = [];
    for (const p of peers) {
      const t: Transfer = {
        key: `${fileId}:${p.id}`,
        fileId,
        direction: 'out',
        peerId: p.id,
        peerName: p.name,
        name,
        size: file.size,
        mime,
        sha256,
        state: 'offered',
        bytes: 0,
      };
      this.transfers.set(t.key, t);
      this.outgoing.set(t.key, { data });
      this.sendControl(p.id, { op: 'offer', id: fileId, name, size: file.size, mime, sha256 });
      this.emit('transfer', t);
      out.push(t);
    }
    return out;
  }

  /** Accept an offered file: the sender starts sending. */
  accept(key: string): void {
    const t = this.transfers.get(key);
    if (!t || t.direction !== 'in' || t.state !== 'offered') {
      return;
    }
    if (!this.room.canSendData(t.peerId)) {
      this.finish(t, 'failed', { code: 'not_connected' });
      return;
    }
    this.incoming.set(key, { chunks: [] });
    this.update(t, 'accepted');
    this.sendControl(t.peerId, { op: 'accept', id: t.fileId });
  }

  decline(key: string): void {
    const t = this.transfers.get(key);
    if (t && t.direction === 'in' && t.state === 'offered') {
      this.sendControl(t.peerId, { op: 'decline', id: t.fileId, reason: 'declined' });
      this.finish(t, 'declined', { code: 'declined' });
    }
  }

  /** Stop a transfer from either side; the other side is told why. */
  cancel(key: string): void {
    const t = this.transfers.get(key);
    if (!t || !this.isLive(t)) {
      return;
    }
    this.sendControl(t.peerId, { op: 'cancel', id: t.fileId, reason: 'cancelled' });
    this.finish(t, 'cancelled', { code: 'cancelled', byPeer: false });
  }

  /** Forget a finished transfer (frees the received file). */
  dismiss(key: string): void {
    const t = this.transfers.get(key);
    if (t && !this.isLive(t)) {
      this.transfers.delete(key);
      this.emit('transfer', t);
    }
  }

  private isLive(t: Transfer): boolean {
    return !['done', 'declined', 'cancelled', 'failed'].includes(t.state);
  }

  private sendControl(peerId: string, msg: Control): void {
    this.room.sendData(JSON.stringify({ ns: 'file', ...msg }), peerId);
  }

  /** A stream for a file we accepted from that peer carries its bytes; others are not ours. */
  private onStream(p: Participant, stream: DataStream): void {
    if (!stream.label.startsWith(LABEL_PREFIX)) {
      return;
    }
    const key = `${stream.label.slice(LABEL_PREFIX.length)}:${p.id}`;
    const t = this.transfers.get(key);
    const state = this.incoming.get(key);
    if (t && state && !state.stream && t.state === 'accepted') {
      this.receiveOn(t, state, stream);
    }
  }

  private onControl(p: Participant, msg: IncomingControl): void {
    const key = `${msg.id}:${p.id}`;
    const t = this.transfers.get(key);
    switch (msg.op) {
      case 'offer': {
        if (
          t ||
          typeof msg.name !== 'string' ||
          typeof msg.size !== 'number' ||
          !Number.isSafeInteger(msg.size) ||
          msg.size < 0
        ) {
          return;
        }
        const offer: Transfer = {
          key,
          fileId: msg.id,
          direction: 'in',
          peerId: p.id,
          peerName: p.name,
          name: msg.name.slice(0, 255),
          size: msg.size,
          mime: typeof msg.mime === 'string' ? msg.mime.slice(0, 255) : 'application/octet-stream',
          sha256: typeof msg.sha256 === 'string' ? msg.sha256.toLowerCase() : '',
          state: 'offered',
          bytes: 0,
        };
        this.transfers.set(key, offer);
        if (offer.size > this.maxBytes) {
          const limitBytes = this.maxBytes;
          this.sendControl(p.id, { op: 'decline', id: msg.id, reason: 'too_large', limitBytes });
          this.finish(offer, 'declined', { code: 'too_large', limitBytes });
          return;
        }
        this.emit('offer', offer);
        this.emit('transfer', offer);
        return;
      }
      case 'accept':
        if (t && t.direction === 'out' && t.state === 'offered') {
          this.startSending(t);
        }
        return;
      case 'decline':
        if (t && t.direction === 'out' && t.state === 'offered') {
          this.finish(t, 'declined', declineReason(msg));
        }
        return;
      case 'cancel':
        if (t && this.isLive(t)) {
          this.finish(t, 'cancelled', { code: 'cancelled', byPeer: true });
        }
        return;
      case 'done':
        if (t && t.direction === 'out' && this.isLive(t)) {
          if (msg.ok === true) {
            t.bytes = t.size;
            this.finish(t, 'done');
          } else {
            this.finish(t, 'failed', verifyFailure(msg));
          }
        }
        return;
      default:
        return;
    }
  }

  private startSending(t: Transfer): void {
    const out = this.outgoing.get(t.key);
    let stream: DataStream | null;
    try {
      stream = out ? this.room.openDataStream(t.peerId, `${LABEL_PREFIX}${t.fileId}`) : null;
    } catch {
      this.finish(t, 'failed', { code: 'channel_failed' });
      return;
    }
    if (!out || !stream) {
      this.finish(t, 'failed', { code: 'not_connected' });
      return;
    }
    const opened = stream;
    out.stream = opened;
    opened.lowWaterMark = LOW_WATER;
    this.update(t, 'accepted');
    opened.on('open', () => void this.pump(t, out, opened));
    opened.on('close', () =>
      this.afterClose(() => {
        if (this.isLive(t) && t.state !== 'verifying') {
          this.finish(t, 'failed', { code: 'connection_closed' });
        }
      }),
    );
  }

  private async pump(t: Transfer, out: OutState, stream: DataStream): Promise<void> {
    this.update(t, 'transferring');
    let lastReport = 0;
    const result = await sendChunked(stream, out.data, {
      active: () => t.state === 'transferring',
      progress: (sent) => {
        t.bytes = sent;
        if (sent - lastReport >= 256 * 1024) {
          lastReport = sent;
          this.emit('transfer', t);
        }
      },
    });
    if (result instanceof Error) {
      this.finish(t, 'failed', { code: 'send_failed' });
    } else if (result === 'sent') {
      // Everything is queued; the receiver's `done` (after its SHA-256 check) settles it.
      t.bytes = t.size;
      this.update(t, 'verifying');
    }
  }

  private receiveOn(t: Transfer, state: InState, stream: DataStream): void {
    state.stream = stream;
    this.update(t, 'transferring');
    let lastReport = 0;
    stream.on('message', (chunk) => {
      if (t.state !== 'transferring') {
        return;
      }
      if (typeof chunk === 'string') {
        this.fail(t, 'unexpected_text');
        return;
      }
      state.chunks.push(chunk);
      t.bytes += chunk.byteLength;
      if (t.bytes > t.size) {
        this.fail(t, 'too_much_data');
        return;
      }
      if (t.bytes === t.size) {
        void this.verify(t, state);
      } else if (t.bytes - lastReport >= 256 * 1024) {
        lastReport = t.bytes;
        this.emit('transfer', t);
      }
    });
    stream.on('close', () =>
      this.afterClose(() => {
        if (t.state === 'transferring') {
          this.finish(t, 'failed', { code: 'connection_closed' });
        }
      }),
    );
  }

  private async verify(t: Transfer, state: InState): Promise<void> {
    this.update(t, 'verifying');
    // Never the sender's type: a blob: URL has Parley's origin, and a `text/html` file
    // opened in a tab would run its script there. As bytes it can only be downloaded;
    // `t.mime` stays for showing what kind of file it is.
    const file = new Blob(state.chunks, { type: 'application/octet-stream' });
    state.chunks = [];
    const actual = await sha256Hex(file);
    if (actual !== t.sha256) {
      this.fail(t, 'checksum_mismatch');
      return;
    }
    t.file = file;
    this.sendControl(t.peerId, { op: 'done', id: t.fileId, ok: true });
    this.finish(t, 'done');
  }

  /**
   * A cancel travels on the shared channel and the close of the bytes on their own
   * stream; the close may overtake it. Wait a moment so that the user reads "cancelled", not
   * "connection closed".
   */
  private afterClose(check: () => void): void {
    setTimeout(check, CLOSE_GRACE_MS);
  }

  /** Receiver-side failure: tell the sender why, then settle. */
  private fail(t: Transfer, reason: ReceiverFailure): void {
    this.sendControl(t.peerId, { op: 'done', id: t.fileId, ok: false, reason });
    this.finish(t, 'failed', { code: reason });
  }

  private update(t: Transfer, state: TransferState): void {
    t.state = state;
    this.emit('transfer', t);
  }

  private finish(t: Transfer, state: TransferState, reason?: TransferReason): void {
    if (!this.isLive(t)) {
      return;
    }
    t.state = state;
    if (reason !== undefined) {
      t.reason = reason;
    }
    const out = this.outgoing.get(t.key);
    const inc = this.incoming.get(t.key);
    this.outgoing.delete(t.key);
    this.incoming.delete(t.key);
    // The receiver closes the bytes stream once done; the sender leaves it to drain.
    if (state !== 'done' || t.direction === 'in') {
      out?.stream?.close();
      inc?.stream?.close();
    }
    this.emit('transfer', t);
  }

  /** Stop listening; live transfers are cancelled. Safe to call twice. */
  close(): void {
    for (const t of this.transfers.values()) {
      this.cancel(t.key);
    }
    for (const off of this.offs.splice(0)) {
      off();
    }
    this.removeAllListeners();
  }
}
