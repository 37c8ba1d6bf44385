import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CloseCode } from '@parley/protocol';
import { createServer, type ParleyServer } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { openStore } from '../src/store/index.js';
import { TestClient, startServer } from './helpers.js';

let server: ParleyServer | null = null;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) {
    c.ws.terminate();
  }
  await server?.close();
  server = null;
});

async function start(overrides: Partial<Config> = {}): Promise<ParleyServer> {
  server = await startServer(overrides);
  return server;
}

async function connect(s: ParleyServer): Promise<TestClient> {
  const c = await TestClient.connect(s);
  clients.push(c);
  return c;
}

/** The value of one sample line of /metrics, e.g. `parley_errors_total{code="not_joined"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function metricsText(s: ParleyServer): Promise<string> {
  const res = await fetch(`${s.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

/** Try a WebSocket upgrade; resolves with the HTTP status and body of a refusal. */
function refusedUpgrade(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => {
      /* the unexpected-response handler answers */
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
  });
}

describe('/metrics', () => {
  it('exports every Parley metric, and counts messages in, out and errors', async () => {
    const s = await start({ nodeId: 'node-x' });
    const before = await metricsText(s);
    for (const name of [
      'parley_node_info',
      'parley_connections',
      'parley_sessions',
      'parley_rooms',
      'parley_seats',
      'parley_messages_in_total',
      'parley_messages_out_total',
      'parley_errors_total',
      'parley_call_outcomes_total',
      'parley_chat_writes_total',
      'parley_bus_latency_seconds',
      'parley_event_loop_lag_seconds',
    ]) {
      expect(before).toContain(`# TYPE ${name} `);
    }
    expect(sample(before, 'parley_node_info{node="node-x"}')).toBe(1);
    expect(sample(before, 'parley_connections')).toBe(0);

    const c = await connect(s);
    const pong = c.next('pong');
    c.send({ type: 'ping' });
    await pong;
    const error = c.next('error');
    c.send({ type: 'leave', rid: 'r1' });
    expect((await error).code).toBe('not_joined');
    const other = await connect(s);
    const self = (await c.join('metered')).self;
    await other.join('metered');
    // A relayed signal is labelled without the relay parsing it.
    const signal = c.next('signal');
    other.send({ type: 'signal', to: self, candidate: { candidate: '' } });
    await signal;
    const stored = c.next('chat-message');
    c.send({ type: 'chat-send', clientId: 'm1', text: 'hello' });
    await stored;

    const after = await metricsText(s);
    expect(sample(after, 'parley_messages_in_total{type="hello"}')).toBe(2);
    expect(sample(after, 'parley_messages_in_total{type="ping"}')).toBe(1);
    expect(sample(after, 'parley_messages_in_total{type="leave"}')).toBe(1);
    expect(sample(after, 'parley_messages_out_total{type="welcome"}')).toBe(2);
    expect(sample(after, 'parley_messages_out_total{type="pong"}')).toBe(1);
    expect(sample(after, 'parley_messages_out_total{type="signal"}')).toBe(1);
    expect(sample(after, 'parley_messages_out_total{type="peer-joined"}')).toBe(1);
    expect(sample(after, 'parley_errors_total{code="not_joined"}')).toBe(1);
    expect(sample(after, 'parley_chat_writes_total')).toBe(1);
    expect(sample(after, 'parley_connections')).toBe(2);
    expect(sample(after, 'parley_sessions')).toBe(2);
    expect(sample(after, 'parley_rooms')).toBe(1);
    expect(sample(after, 'parley_seats')).toBe(2);
  });
});

describe('/healthz and /readyz', () => {
  it('/healthz answers without the database; /readyz names it when it is gone', async () => {
    const store = await openStore({ dataDir: ':memory:' });
    const config = loadConfig(
      [],
      {},
      {
        port: 0,
        host: '127.0.0.1',
        webDir: 'none',
        logLevel: 'silent',
      },
    );
    server = await createServer(config, { store, nodeId: 'node-h' });
    await server.listen();
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ ready: true });
    await store.close();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, node: 'node-h', sessions: 0 });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, failing: ['database'] });
  });

  it('runs the checks other features add', async () => {
    const s = await start();
    let redisUp = false;
    s.addReadinessCheck('redis', () => redisUp);
    expect(await (await fetch(`${s.url}/readyz`)).json()).toEqual({
      ready: false,
      failing: ['redis'],
    });
    redisUp = true;
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
  });
});

describe('drain', () => {
  it('fails /readyz, refuses new sockets, tells clients to move, and closes once they left', async () => {
    const s = await start({ resumeGraceMs: 30_000 });
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    const mover = await connect(s);
    const stayer = await connect(s);
    await mover.join('drain-room', 'Mo');
    const moverId = (await stayer.join('drain-room', 'St')).self;
    expect(moverId).toBeTruthy();
    const told = mover.next('server-draining');
    const toldToo = stayer.next('server-draining');

    let drained = false;
    const draining = s.drain(10_000).then(() => (drained = true));
    expect(await told).toEqual({ type: 'server-draining' });
    await toldToo;

    const ready = await fetch(`${s.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, failing: ['draining'] });
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    const refused = await refusedUpgrade(s.wsUrl);
    expect(refused.status).toBe(503);
    expect(refused.body).toContain('draining');

    // Moving ends the session at once, whatever the resume grace: the room sees it leave.
    const left = stayer.next('peer-left');
    const moverSelf = (mover.received.find((m) => m.type === 'joined') as { self: string }).self;
    mover.ws.close(CloseCode.Moving, 'moving');
    expect(await left).toEqual({ type: 'peer-left', peerId: moverSelf, reason: 'left' });
    await new Promise((r) => setTimeout(r, 100));
    expect(drained).toBe(false);

    stayer.ws.close(CloseCode.Moving, 'moving');
    await draining;
    expect(drained).toBe(true);
    server = null;
  });

  it('closes after the timeout when a client never leaves', async () => {
    const s = await start();
    const stubborn = await connect(s);
    const started = Date.now();
    await s.drain(300);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3000);
    expect(stubborn.received.some((m) => m.type === 'server-draining')).toBe(true);
    expect((await stubborn.closed).code).toBe(CloseCode.ServerShutdown);
    server = null;
  });

  it('does not wait for a session that was already waiting for a resume', async () => {
    const s = await start({ resumeGraceMs: 30_000 });
    const a = await connect(s);
    const b = await connect(s);
    await a.join('drain-grace', 'A');
    await b.join('drain-grace', 'B');
    const left = a.next('peer-left');
    b.ws.terminate();
    await new Promise((r) => setTimeout(r, 100));
    const draining = s.drain(10_000);
    // Nobody can resume on a draining node: B's seat goes now.
    expect((await left).reason).toBe('timeout');
    a.ws.close(CloseCode.Moving);
    await draining;
    server = null;
  });
});
