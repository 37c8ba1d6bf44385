import { describe, expect, it } from 'vitest';
import { parseClientMessage } from './index.js';
import { readSignalOut, SignalOut } from './signal.js';

const candidate = {
  candidate: 'candidate:842163049 1 udp 1677729535 192.0.2.10 46154 typ srflx raddr 0.0.0.0',
  sdpMid: '0',
  sdpMLineIndex: 0,
};
const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' };

/**
 * Frame texts: valid ones as browsers send them, then every field pushed to and past its
 * limits, and the keys that must be refused.
 */
function corpus(): string[] {
  const frames: unknown[] = [
    { type: 'signal', to: 'p1', candidate },
    { type: 'signal', to: 'p1', description: offer },
    { type: 'signal', to: 'p1', description: { type: 'answer', sdp: '' } },
    { type: 'signal', to: 'p1', description: { type: 'rollback' } },
    { type: 'signal', to: 'p1', candidate: { candidate: '' } },
    { type: 'signal', to: 'p1', candidate: { ...candidate, usernameFragment: 'sXvQ' } },
    { type: 'signal', to: 'p1', candidate: { ...candidate, sdpMid: null, sdpMLineIndex: null } },
    { type: 'signal', to: 'p1', candidate: { ...candidate, usernameFragment: null } },
  ];
  const strings: [string, number][] = [
    ['to', 64],
    ['candidate.candidate', 2048],
    ['candidate.sdpMid', 64],
    ['candidate.usernameFragment', 256],
  ];
  for (const [path, max] of strings) {
    for (const value of ['', 'x'.repeat(max), 'x'.repeat(max + 1), 7, null, true, ['x'], {}]) {
      frames.push(withField(path, value));
    }
  }
  for (const value of [-1, 0, 1024, 1025, 1.5, '0', null, true]) {
    frames.push(withField('candidate.sdpMLineIndex', value));
  }
  for (const value of ['offer', 'pranswer', 'bogus', '', null, 1, ['offer']]) {
    frames.push(withField('description.type', value));
  }
  for (const value of ['', 'v=0', null, 3, {}]) {
    frames.push(withField('description.sdp', value));
  }
  frames.push(
    // Exactly one of description and candidate.
    { type: 'signal', to: 'p1' },
    { type: 'signal', to: 'p1', description: offer, candidate },
    { type: 'signal', to: 'p1', description: null },
    { type: 'signal', to: 'p1', candidate: null },
    { type: 'signal', to: 'p1', candidate: [candidate] },
    { type: 'signal', to: 'p1', description: [offer] },
    // Keys that must not ride along (top level) or that zod would strip (nested).
    { type: 'signal', to: 'p1', candidate, from: 'p2' },
    { type: 'signal', to: 'p1', candidate, rid: 'r1' },
    { type: 'signal', to: 'p1', candidate: { ...candidate, extra: 1 } },
    { type: 'signal', to: 'p1', description: { ...offer, extra: 1 } },
    { type: 'signal', candidate },
  );
  return [
    ...frames.map((f) => JSON.stringify(f)),
    // What JSON.stringify cannot write: an own __proto__ key, a number that parses to Infinity.
    '{"type":"signal","to":"p1","candidate":{"candidate":"c"},"__proto__":{"x":1}}',
    '{"type":"signal","to":"p1","candidate":{"candidate":"c","__proto__":{"x":1}}}',
    '{"type":"signal","to":"p1","candidate":{"candidate":"c","sdpMLineIndex":1e999}}',
    '{"type":"signal","to":"p1","candidate":{"candidate":"c","sdpMLineIndex":-0}}',
  ];
}

/** A copy of the valid candidate or offer frame with one field (a.b path) replaced. */
function withField(path: string, value: unknown): unknown {
  const [head, leaf] = path.split('.') as [string, string | undefined];
  const base: Record<string, unknown> =
    head === 'description'
      ? { type: 'signal', to: 'p1', description: { ...offer } }
      : { type: 'signal', to: 'p1', candidate: { ...candidate } };
  if (leaf === undefined) {
    base[head] = value;
  } else {
    (base[head] as Record<string, unknown>)[leaf] = value;
  }
  return base;
}

describe('readSignalOut (the signal check without zod)', () => {
  it('accepts only what SignalOut accepts, and gives what SignalOut gives', () => {
    let accepted = 0;
    for (const text of corpus()) {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const quick = readSignalOut(parsed);
      const schema = SignalOut.safeParse(JSON.parse(text));
      if (quick !== undefined) {
        accepted += 1;
        expect(schema.success, text).toBe(true);
        expect(quick, text).toEqual(schema.data);
      }
    }
    // The fast path is really taken for the frames browsers send.
    expect(accepted).toBeGreaterThanOrEqual(20);
  });

  it('leaves parseClientMessage answering exactly as zod alone would', () => {
    for (const text of corpus()) {
      const result = parseClientMessage(text);
      const schema = SignalOut.safeParse(JSON.parse(text));
      expect(result.ok, text).toBe(schema.success);
      if (result.ok && schema.success) {
        expect(result.message, text).toEqual(schema.data);
      }
    }
  });

  it('refuses keys no schema checks inside the description or the candidate', () => {
    for (const frame of [
      { type: 'signal', to: 'p1', candidate: { ...candidate, extra: 1 } },
      { type: 'signal', to: 'p1', description: { ...offer, extra: '<script>' } },
    ]) {
      expect(parseClientMessage(JSON.stringify(frame)), JSON.stringify(frame)).toMatchObject({
        ok: false,
        code: 'bad_message',
      });
    }
  });

  it('refuses a frame that claims its own sender', () => {
    const result = parseClientMessage(
      JSON.stringify({ type: 'signal', to: 'p1', from: 'p9', candidate }),
    );
    expect(result).toMatchObject({ ok: false, code: 'bad_message' });
  });
});
