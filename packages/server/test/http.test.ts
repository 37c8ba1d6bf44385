import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import type { ParleyServer } from '../src/app.js';
import { startServer } from './helpers.js';
import { selfSignedCert } from './tls.js';

let server: ParleyServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function fakeWebApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>Parley</title><div id="root"></div>',
  );
  writeFileSync(join(dir, 'assets', 'app-123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
  return dir;
}

describe('web app', () => {
  it('serves index.html for app routes, assets with long caching, 404 for missing assets', async () => {
    server = await startServer({ webDir: fakeWebApp() });
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toContain('<title>Parley</title>');
    const room = await fetch(`${server.url}/r/abc?name=Ana&audio=1&video=1`);
    expect(room.status).toBe(200);
    expect(await room.text()).toContain('id="root"');
    const asset = await fetch(`${server.url}/assets/app-123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/favicon.svg`)).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('refuses WebSocket upgrades on paths other than /ws', async () => {
    server = await startServer();
    const ws = new WebSocket(server.url.replace('http', 'ws') + '/other');
    const outcome = await new Promise<string>((resolve) => {
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
  });
});

describe('HTTPS', () => {
  it('serves HTTPS and WSS with --cert/--key', async () => {
    const { cert, key } = selfSignedCert();
    server = await startServer({ cert, key, webDir: fakeWebApp() });
    expect(server.url).toMatch(/^https:\/\//);
    const body = await new Promise<string>((resolve, reject) => {
      request(`${server?.url}/`, { rejectUnauthorized: false }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(text));
      })
        .on('error', reject)
        .end();
    });
    expect(body).toContain('<title>Parley</title>');
    const ws = new WebSocket(server.wsUrl, { rejectUnauthorized: false });
    const welcome = await new Promise<{ type: string }>((resolve, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', v: 1 })));
      ws.on('message', (d) => resolve(JSON.parse(d.toString()) as { type: string }));
      ws.on('error', reject);
    });
    expect(welcome.type).toBe('welcome');
    expect(server.wsUrl).toMatch(/^wss:\/\//);
    ws.close();
  });
});
