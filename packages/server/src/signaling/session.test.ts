import { describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { Session } from './session.js';

function fakeSocket(): { ws: WebSocket; send: ReturnType<typeof vi.fn> } {
  const send = vi.fn();
  return { ws: { readyState: 1, OPEN: 1, send } as unknown as WebSocket, send };
}

describe('Session.sendRaw', () => {
  it('sends text and bytes alike as text frames', () => {
    const { ws, send } = fakeSocket();
    const session = new Session(ws, 100, 10);
    session.state = 'ready';
    const bytes = Buffer.from('{"type":"pong"}');
    session.sendRaw('{"type":"pong"}');
    session.sendRaw(bytes);
    expect(send.mock.calls).toEqual([
      ['{"type":"pong"}', { binary: false }],
      [bytes, { binary: false }],
    ]);
  });

  it('keeps bytes sent while detached for the resume, in order', () => {
    const session = new Session(null, 100, 10);
    session.state = 'detached';
    const bytes = Buffer.from('{"type":"pong"}');
    session.sendRaw('{"type":"ping"}');
    session.sendRaw(bytes);
    expect(session.drainBuffer()).toEqual({
      frames: ['{"type":"ping"}', bytes],
      overflowed: false,
    });
  });
});
