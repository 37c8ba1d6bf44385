import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { ClientMessage, ServerMessageMap } from '@parley/protocol';
import type { DataStream } from '../data-stream.js';
import { ServerDataPath } from './server-data-path.js';

type Out = Extract<ClientMessage, { type: 'room-data' }>;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * Two (or three) paths wired through a stand-in for the server's relay: it stamps
 * `from` and hands each frame to its target, or to everyone else, as JSON on the wire.
 */
function room(ids: string[], limits = { maxBytes: 32_768, bytesPerSecond: 100_000 }) {
  const got = new Map<string, Array<[string, string | ArrayBuffer]>>();
  const streams = new Map<string, DataStream[]>();
  const wire: Out[] = [];
  const paths = new Map<string, ServerDataPath>();
  for (const id of ids) {
    got.set(id, []);
    streams.set(id, []);
    const send = (m: ClientMessage): void => {
      const out = JSON.parse(JSON.stringify(m)) as Out;
      wire.push(out);
      const { type: _t, to, rid: _r, ...rest } = out;
      const frame = { type: 'room-data', from: id, ...(to ? { to } : {}), ...rest };
      for (const [other, path] of paths) {
        if (other !== id && (to === undefined || to === other)) {
          path.handle(frame as ServerMessageMap['room-data']);
        }
      }
    };
    paths.set(
      id,
      new ServerDataPath(send, limits, () => ids.length - 1, {
        data: (from, data) => got.get(id)?.push([from, data]),
        stream: (_from, s) => streams.get(id)?.push(s),
      }),
    );
  }
  return { paths: paths as Map<string, ServerDataPath>, got, streams, wire };
}

it('carries text and bytes to one participant or to all, with the sender stamped', () => {
  const { paths, got, wire } = room(['ana', 'ben', 'cy']);
  paths.get('ana')?.sendData('{"ns":"reaction","emoji":"🎉"}');
  paths.get('ben')?.sendData(new Uint8Array([0, 1, 254, 255]).buffer, 'cy');
  expect(got.get('ben')).toEqual([['ana', '{"ns":"reaction","emoji":"🎉"}']]);
  expect(got.get('cy')?.[0]).toEqual(['ana', '{"ns":"reaction","emoji":"🎉"}']);
  const [from, bytes] = got.get('cy')?.[1] ?? [];
  expect(from).toBe('ben');
  expect([...new Uint8Array(bytes as ArrayBuffer)]).toEqual([0, 1, 254, 255]);
  expect(got.get('ana')).toEqual([]);
  expect(wire[1]).toMatchObject({ to: 'cy', binary: true, data: 'AAH+/w==' });
});

it('refuses a message over the size limit here, as the server would', () => {
  const { paths, wire } = room(['ana', 'ben'], { maxBytes: 100, bytesPerSecond: 100_000 });
  expect(() => paths.get('ana')?.sendData('x'.repeat(101), 'ben')).toThrow(
    expect.objectContaining({ code: 'too_large' }),
  );
  // UTF-8 bytes, not characters: 34 emoji are 136 bytes.
  expect(() => paths.get('ana')?.sendData('🎉'.repeat(34))).toThrow(/136 bytes/);
  expect(wire).toEqual([]);
});

it('opens a stream to one participant: messages in order, then the close, both ways', async () => {
  const { paths, streams } = room(['ana', 'ben']);
  const out = paths.get('ana')?.openStream('ben', 'parley-file:f1');
  expect(out?.state).toBe('open');
  const opened = vi.fn();
  out?.on('open', opened);
  await Promise.resolve();
  expect(opened).toHaveBeenCalledOnce();
  const incoming = streams.get('ben')?.[0];
  expect(incoming?.label).toBe('parley-file:f1');
  expect(incoming?.participantId).toBe('ana');
  const received: Array<string | ArrayBuffer> = [];
  incoming?.on('message', (m) => received.push(m));
  const closed = vi.fn();
  incoming?.on('close', closed);
  out?.send(new Uint8Array([1, 2, 3]).buffer);
  out?.send('text');
  incoming?.send('back');
  out?.close();
  expect(received.map((m) => (typeof m === 'string' ? m : [...new Uint8Array(m)]))).toEqual([
    [1, 2, 3],
    'text',
  ]);
  expect(closed).toHaveBeenCalledOnce();
  expect(incoming?.state).toBe('closed');
  expect(out?.state).toBe('closed');
  expect(() => out?.send('late')).toThrow(/closed/);
});

it('paces a large transfer under the rate: bufferedAmount grows, drain fires as it empties', () => {
  const { paths, streams } = room(['ana', 'ben'], { maxBytes: 32_768, bytesPerSecond: 20_000 });
  const out = paths.get('ana')?.openStream('ben', 'bulk') as DataStream;
  const incoming = streams.get('ben')?.[0] as DataStream;
  let bytesIn = 0;
  incoming.on('message', (m) => {
    bytesIn += (m as ArrayBuffer).byteLength;
  });
  out.lowWaterMark = 4096;
  const drained = vi.fn();
  out.on('drain', drained);
  // 100 KB of 1 KB chunks: base64 makes each 1,368 bytes on the wire.
  for (let i = 0; i < 100; i++) {
    out.send(new ArrayBuffer(1024));
  }
  // What went at once is the burst: 32 KB of wire, 23 chunks.
  expect(out.bufferedAmount).toBe((100 - 23) * 1024);
  expect(drained).not.toHaveBeenCalled();
  vi.advanceTimersByTime(2000);
  // A burst of one largest frame (32 KB) and two seconds at 80 % of 20,000 B/s: about
  // 64 KB on the wire, 47 KB of bytes (base64 is 4/3).
  expect(bytesIn).toBeGreaterThan(40_000);
  expect(bytesIn).toBeLessThan(52_000);
  vi.advanceTimersByTime(10_000);
  expect(bytesIn).toBe(100 * 1024);
  expect(out.bufferedAmount).toBe(0);
  expect(drained).toHaveBeenCalledOnce();
});

it('ends the streams of a participant who left, and all of them on close, dropping what was queued', () => {
  const { paths, streams, wire } = room(['ana', 'ben', 'cy'], {
    maxBytes: 32_768,
    bytesPerSecond: 1000,
  });
  const ana = paths.get('ana') as ServerDataPath;
  const toBen = ana.openStream('ben', 'b') as DataStream;
  const toCy = ana.openStream('cy', 'c') as DataStream;
  const closes: string[] = [];
  toBen.on('close', () => closes.push('ben'));
  toCy.on('close', () => closes.push('cy'));
  toBen.send('x'.repeat(2000)); // over the burst: waits in the pacer
  const before = wire.length;
  ana.removeParticipant('ben');
  expect(closes).toEqual(['ben']);
  vi.advanceTimersByTime(10_000);
  expect(wire.length).toBe(before);
  ana.close();
  expect(closes).toEqual(['ben', 'cy']);
  expect(ana.openStream('cy', 'late')).toBeNull();
  // Their side of a stream from a participant who left closes the same way.
  const fromAna = streams.get('cy')?.[0] as DataStream;
  paths.get('cy')?.removeParticipant('ana');
  expect(fromAna.state).toBe('closed');
});

it('ends a stream the server refused a frame of, and tells the other side', () => {
  const { paths, streams, wire } = room(['ana', 'ben']);
  const ana = paths.get('ana') as ServerDataPath;
  const out = ana.openStream('ben', 'parley-file:9') as DataStream;
  const incoming = streams.get('ben')?.[0] as DataStream;
  out.send('chunk');
  const rid = wire.at(-1)?.rid;
  expect(rid).toMatch(/^ds-/);
  const closes: string[] = [];
  out.on('close', () => closes.push('ana'));
  incoming.on('close', () => closes.push('ben'));
  // A refusal of a frame of another stream, or of the shared channel, changes nothing.
  ana.handleError({ type: 'error', code: 'rate_limited', message: 'slow down', of: 'room-data' });
  ana.handleError({ type: 'error', code: 'rate_limited', message: 'x', rid: 'ds-other' });
  expect(out.state).toBe('open');
  ana.handleError({ type: 'error', code: 'rate_limited', message: 'x', of: 'room-data', rid });
  expect(closes).toEqual(['ana', 'ben']);
  expect(wire.at(-1)?.stream).toEqual({ id: rid?.slice(3), op: 'close' });
});
