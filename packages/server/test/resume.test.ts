import { afterEach, describe, expect, it } from 'vitest';
import type { ParleyServer } from '../src/app.js';
import type { Config } from '../src/config.js';
import { startServer } from './helpers.js';
import { RawClient, tick } from './support/raw-ws-client.js';

let server: ParleyServer | null = null;
const clients: RawClient[] = [];

async function start(overrides: Partial<Config> = {}): Promise<ParleyServer> {
  server = await startServer(overrides);
  return server;
}

async function connect(resume?: string): Promise<RawClient> {
  const c = await RawClient.connect((server as ParleyServer).wsUrl, resume);
  clients.push(c);
  return c;
}

/** Two people in one room; returns their clients, peer ids and B's resume token. */
async function pair(): Promise<{
  a: RawClient;
  b: RawClient;
  aId: string;
  bId: string;
  token: string;
}> {
  const a = await connect();
  const b = await connect();
  const aId = (await a.join('resume-room', 'Ana')).self;
  const bId = (await b.join('resume-room', 'Bo')).self;
  await a.next('peer-joined');
  const token = b.all('welcome')[0]!.resumeToken;
  return { a, b, aId, bId, token };
}

const offer = (n: number) => ({ type: 'offer', sdp: `v=0 offer ${n}` });

afterEach(async () => {
  for (const c of clients.splice(0)) {
    c.kill();
  }
  await server?.close();
  server = null;
});

describe('signaling resume', () => {
  it('keeps the seat within the grace: no leave/join for others, messages sent meanwhile arrive', async () => {
    await start({ resumeGraceMs: 5000 });
    const { a, b, bId, aId, token } = await pair();
    const sessionId = b.all('welcome')[0]!.sessionId;

    b.kill();
    await tick(200);
    // While B is away, A signals it and toggles its camera.
    a.send({ type: 'signal', to: bId, description: offer(1) });
    a.send({
      type: 'signal',
      to: bId,
      candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' },
    });
    a.send({ type: 'media-state', media: { audio: true, video: false } });
    await tick(200);
    expect(a.all('error')).toEqual([]);

    const b2 = await connect(token);
    const welcome = b2.all('welcome')[0]!;
    expect(welcome.resumed).toBe(true);
    expect(welcome.sessionId).toBe(sessionId);
    // Delivered in the order they were sent, stamped with A's id.
    const sig1 = await b2.next('signal');
    expect(sig1).toMatchObject({ from: aId, description: offer(1) });
    const sig2 = await b2.next('signal');
    expect(sig2.candidate?.candidate).toContain('typ host');
    await b2.next('peer-media-state', (m) => m.from === aId && m.media.video === false);

    // The seat is the same: A can still address B by its old peer id, and B can answer.
    a.send({ type: 'signal', to: bId, description: offer(2) });
    await b2.next('signal', (m) => m.description?.sdp === offer(2).sdp);
    b2.send({ type: 'signal', to: aId, description: { type: 'answer', sdp: 'v=0 answer' } });
    await a.next('signal', (m) => m.from === bId);

    await tick(200);
    expect(a.all('peer-left')).toEqual([]);
    expect(a.all('peer-joined')).toHaveLength(1); // only B's original arrival
    expect(b2.all('error')).toEqual([]);
  });

  it('releases the seat past the grace: others see peer-left, the client rejoins as new', async () => {
    await start({ resumeGraceMs: 400 });
    const { a, b, bId, token } = await pair();

    b.kill();
    const left = await a.next('peer-left');
    expect(left).toEqual({ type: 'peer-left', peerId: bId, reason: 'timeout' });
    // Targeted messages to the released seat are refused, not queued forever.
    a.send({ type: 'signal', to: bId, description: offer(1) });
    expect((await a.next('error')).code).toBe('unknown_peer');

    const b2 = await connect(token);
    expect(b2.all('welcome')[0]!.resumed).toBe(false);
    expect(b2.all('error').map((e) => e.code)).toEqual(['resume_failed']);
    expect(b2.all('signal')).toEqual([]);
    const joined = await b2.join('resume-room', 'Bo');
    expect(joined.self).not.toBe(bId);
    expect((await a.next('peer-joined')).peer.id).toBe(joined.self);
  });

  it('bounds the resume buffer: within the bound everything arrives, past it the seat is released', async () => {
    await start({ resumeGraceMs: 5000, resumeBufferSize: 3 });
    const first = await pair();
    first.b.kill();
    await tick(150);
    for (let i = 1; i <= 3; i++) {
      first.a.send({ type: 'signal', to: first.bId, description: offer(i) });
    }
    await tick(150);
    const back = await connect(first.token);
    expect(back.all('welcome')[0]!.resumed).toBe(true);
    for (let i = 1; i <= 3; i++) {
      expect((await back.next('signal')).description?.sdp).toBe(offer(i).sdp);
    }

    // Now overflow it: 4 messages for a buffer of 3.
    back.kill();
    await tick(150);
    for (let i = 1; i <= 4; i++) {
      first.a.send({ type: 'signal', to: first.bId, description: offer(10 + i) });
    }
    await tick(150);
    const again = await connect(first.token);
    expect(again.all('welcome')[0]!.resumed).toBe(false);
    expect(again.all('error').map((e) => e.code)).toEqual(['resume_failed']);
    // A partial history would be a wrong picture of the room: nothing is replayed…
    await tick(150);
    expect(again.all('signal')).toEqual([]);
    // …and the others see the seat go, so nobody waits for a ghost.
    expect(await first.a.next('peer-left')).toMatchObject({ peerId: first.bId, reason: 'timeout' });
  });

  it('ends the session at once when the browser says goodbye (1001, page closed)', async () => {
    await start({ resumeGraceMs: 20000 });
    const { a, b, bId } = await pair();
    b.ws.close(1001, 'page closed');
    expect(await a.next('peer-left', () => true, 2000)).toMatchObject({
      peerId: bId,
      reason: 'left',
    });
  });

  it('retires a half-dead socket when its session is resumed elsewhere', async () => {
    await start({ resumeGraceMs: 5000 });
    const { a, b, aId, token } = await pair();
    // B's old socket still looks open to the server; B comes back on a new one.
    const b2 = await connect(token);
    expect(b2.all('welcome')[0]!.resumed).toBe(true);
    await tick(200);
    expect(b.closeCode).toBe(4001);
    a.send({ type: 'media-state', media: { audio: false, video: true } });
    await b2.next('peer-media-state', (m) => m.from === aId);
    expect(b.all('peer-media-state')).toEqual([]);
    expect(a.all('peer-left')).toEqual([]);
  });
});
