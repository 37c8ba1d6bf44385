import { describe, expect, it } from 'vitest';
import { ChannelStream } from './channel-stream.js';

/** The parts of an RTCDataChannel a ChannelStream uses, driven by hand. */
class FakeChannel {
  label = 'parley-file:abc';
  readyState: RTCDataChannelState = 'connecting';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType = 'blob';
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onbufferedamountlow: (() => void) | null = null;
  onclose: (() => void) | null = null;
  send(data: unknown): void {
    this.sent.push(data);
    this.bufferedAmount += (data as ArrayBuffer).byteLength ?? 0;
  }
  close(): void {
    this.readyState = 'closed';
  }
}

function stream() {
  const channel = new FakeChannel();
  const s = new ChannelStream('ben', channel as unknown as RTCDataChannel);
  const events: string[] = [];
  s.on('open', () => events.push('open'));
  s.on('message', (d) => events.push(`message:${String(d)}`));
  s.on('drain', () => events.push('drain'));
  s.on('close', () => events.push('close'));
  return { channel, s, events };
}

describe('ChannelStream', () => {
  it('follows its channel: open, messages, drain below the low-water mark, close once', () => {
    const { channel, s, events } = stream();
    expect(channel.binaryType).toBe('arraybuffer');
    expect(s.state).toBe('connecting');
    s.lowWaterMark = 1024;
    expect(channel.bufferedAmountLowThreshold).toBe(1024);
    channel.readyState = 'open';
    channel.onopen?.();
    expect(s.state).toBe('open');
    channel.onmessage?.({ data: 'hi' });
    s.send(new ArrayBuffer(4096));
    expect(s.bufferedAmount).toBe(4096);
    channel.onbufferedamountlow?.();
    channel.readyState = 'closed';
    channel.onclose?.();
    channel.onclose?.();
    expect(events).toEqual(['open', 'message:hi', 'drain', 'close']);
    expect(s.state).toBe('closed');
  });

  it('says `open` once for a channel that was open before anyone listened', async () => {
    const channel = new FakeChannel();
    channel.readyState = 'open';
    const s = new ChannelStream('ben', channel as unknown as RTCDataChannel);
    const events: string[] = [];
    s.on('open', () => events.push('open'));
    await Promise.resolve();
    channel.onopen?.();
    expect(events).toEqual(['open']);
  });

  it('reports close when the connection under it goes, even if the channel never says so', () => {
    const { channel, s, events } = stream();
    channel.readyState = 'open';
    s.end();
    s.close();
    expect(events).toEqual(['close']);
    expect(s.state).toBe('closed');
    expect(channel.onmessage).toBeNull();
  });
});
