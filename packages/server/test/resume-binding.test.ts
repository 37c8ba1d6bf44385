import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@parley/protocol';
import type { ParleyServer } from '../src/app.js';
import { signUp, startServer } from './accounts-harness.js';

/**
 * Issue #13: a resume token worked as a bearer credential. From another origin and with
 * no cookie it took a signed-in session over, and it never changed. Now a resume must
 * come from the session's origin with its account, and every resume spends the token.
 */
let server: ParleyServer | null = null;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) {
    ws.terminate();
  }
  await server?.close();
  server = null;
});

type Msg = {
  type: string;
  code?: string;
  resumeToken?: string;
  resumed?: boolean;
  sessionId?: string;
};

/** Open a socket (as a browser page of `origin` would), say hello, return what came back. */
async function hello(
  s: ParleyServer,
  options: { origin?: string; cookie?: string; resume?: string },
): Promise<{ ws: WebSocket; welcome: Msg; errors: Msg[] }> {
  const headers: Record<string, string> = {};
  if (options.origin) {
    headers.origin = options.origin;
  }
  if (options.cookie) {
    headers.cookie = options.cookie;
  }
  const ws = new WebSocket(`${s.wsUrl}?account=1`, { headers });
  sockets.push(ws);
  const errors: Msg[] = [];
  const welcome = new Promise<Msg>((resolve) =>
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as Msg;
      if (m.type === 'welcome') {
        resolve(m);
      }
      if (m.type === 'error') {
        errors.push(m);
      }
    }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(
    JSON.stringify({
      type: 'hello',
      v: PROTOCOL_VERSION,
      ...(options.resume ? { resume: options.resume } : {}),
    }),
  );
  return { ws, welcome: await welcome, errors };
}

async function dropped(ws: WebSocket): Promise<void> {
  const closed = new Promise((r) => ws.once('close', r));
  ws.terminate();
  await closed;
}

describe('resume tokens', () => {
  it('do not let another origin without the cookie take a signed-in session over', async () => {
    server = await startServer({}, { resumeGraceMs: 10_000 });
    const ana = await signUp(server, 'ana');
    const own = server.url;
    const first = await hello(server, { origin: own, cookie: ana.cookie });
    const token = first.welcome.resumeToken as string;
    await dropped(first.ws);

    // The token alone, from a page elsewhere: a new guest session, not Ana's.
    const thief = await hello(server, { origin: 'https://evil.example', resume: token });
    expect(thief.welcome.resumed).toBe(false);
    expect(thief.welcome.sessionId).not.toBe(first.welcome.sessionId);
    expect(thief.errors.map((e) => e.code)).toContain('resume_failed');
    // Right origin, no cookie: refused as well.
    const noCookie = await hello(server, { origin: own, resume: token });
    expect(noCookie.welcome.resumed).toBe(false);

    // Ana's own page still resumes, and gets a new token.
    const back = await hello(server, { origin: own, cookie: ana.cookie, resume: token });
    expect(back.welcome.resumed).toBe(true);
    expect(back.welcome.sessionId).toBe(first.welcome.sessionId);
    expect(back.welcome.resumeToken).not.toBe(token);
  });

  it('are spent by a resume: the old one no longer works, the new one does', async () => {
    server = await startServer({}, { resumeGraceMs: 10_000 });
    const first = await hello(server, {});
    const token1 = first.welcome.resumeToken as string;
    await dropped(first.ws);
    const second = await hello(server, { resume: token1 });
    expect(second.welcome.resumed).toBe(true);
    const token2 = second.welcome.resumeToken as string;
    expect(token2).not.toBe(token1);
    await dropped(second.ws);

    const replay = await hello(server, { resume: token1 });
    expect(replay.welcome.resumed).toBe(false);
    expect(replay.errors.map((e) => e.code)).toContain('resume_failed');
    const third = await hello(server, { resume: token2 });
    expect(third.welcome.resumed).toBe(true);
    expect(third.welcome.sessionId).toBe(first.welcome.sessionId);
  });
});
