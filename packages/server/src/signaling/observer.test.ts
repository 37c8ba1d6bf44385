import { describe, expect, it } from 'vitest';
import { frameType } from './observer.js';

describe('frameType', () => {
  it('reads the type our own serializer put first', () => {
    expect(frameType(JSON.stringify({ type: 'peer-left', peerId: 'p', reason: 'left' }))).toBe(
      'peer-left',
    );
    expect(frameType('{"type":"server-draining"}')).toBe('server-draining');
  });

  it('calls anything else "other", so a label never comes from a client', () => {
    // The signal relay forwards the client's own text behind a stamped `from`.
    expect(frameType('{"from":"abc","type":"signal","to":"x"}')).toBe('other');
    expect(frameType('{"type":"made-up-by-someone"}')).toBe('other');
    expect(frameType(`{"type":"${'x'.repeat(5000)}"}`)).toBe('other');
    expect(frameType('{"type":"unterminated')).toBe('other');
    expect(frameType('')).toBe('other');
  });
});
