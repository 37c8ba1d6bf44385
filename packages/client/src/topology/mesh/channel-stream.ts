import { Emitter } from '@parley/common';
import type { DataStream, DataStreamEvents, DataStreamState } from '../data-stream.js';

/** A DataStream over one RTCDataChannel of its own, to one participant. */
export class ChannelStream extends Emitter<DataStreamEvents> implements DataStream {
  private ended = false;
  private opened = false;

  constructor(
    readonly participantId: string,
    private readonly channel: RTCDataChannel,
  ) {
    super();
    channel.binaryType = 'arraybuffer';
    channel.onopen = () => this.open();
    // libwebrtc in Node (@roamhq/wrtc) hands out a channel that is open already and
    // never fires `open`: tell the listeners added right after construction anyway.
    if (channel.readyState === 'open') {
      queueMicrotask(() => this.open());
    }
    channel.onmessage = (ev) => this.emit('message', ev.data as string | ArrayBuffer);
    channel.onbufferedamountlow = () => this.emit('drain');
    channel.onclose = () => this.end();
  }

  /** `open` once, however the channel reported it. */
  private open(): void {
    if (!this.opened && !this.ended) {
      this.opened = true;
      this.emit('open');
    }
  }

  get label(): string {
    return this.channel.label;
  }

  get state(): DataStreamState {
    if (this.ended) {
      return 'closed';
    }
    const s = this.channel.readyState;
    return s === 'open' ? 'open' : s === 'connecting' ? 'connecting' : 'closed';
  }

  get bufferedAmount(): number {
    return this.channel.bufferedAmount;
  }

  get lowWaterMark(): number {
    return this.channel.bufferedAmountLowThreshold;
  }

  set lowWaterMark(bytes: number) {
    this.channel.bufferedAmountLowThreshold = bytes;
  }

  send(data: string | ArrayBuffer): void {
    // One overload per type in lib.dom; both are accepted at run time.
    this.channel.send(data as string);
  }

  close(): void {
    if (!this.ended) {
      this.channel.close();
      this.end();
    }
  }

  /**
   * The connection under it closed. A closing RTCPeerConnection does not fire `close`
   * on its channels, so the topology tells each stream itself.
   */
  end(): void {
    if (this.ended) {
      return;
    }
    this.ended = true;
    this.channel.onopen = null;
    this.channel.onmessage = null;
    this.channel.onbufferedamountlow = null;
    this.channel.onclose = null;
    this.emit('close');
    this.removeAllListeners();
  }
}
