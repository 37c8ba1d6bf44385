import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
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

const INLINE = '\n      window.__early = 1;\n    ';

function webAppWithInlineScript(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-web-'));
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><title>Parley</title><script>${INLINE}</script>` +
      '<script type="module" src="/assets/app.js"></script><div id="root"></div>',
  );
  return dir;
}

/** GET with a Host header of our choosing (fetch does not let us set one). */
function get(
  url: string,
  host: string,
  tls = false,
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  const request = tls ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    request(url, { headers: { host }, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('security headers', () => {
  it('sends a CSP that allows only the hashed inline script, and the other headers', async () => {
    server = await startServer({ webDir: webAppWithInlineScript() });
    const res = await get(`${server.url}/r/abc`, 'localhost');
    expect(res.status).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    const hash = createHash('sha256').update(INLINE, 'utf8').digest('base64');
    expect(csp).toContain(`script-src 'self' 'wasm-unsafe-eval' 'sha256-${hash}'`);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['permissions-policy']).toContain('camera=(self)');
    expect(res.headers['x-frame-options']).toBe('DENY');
    // Plain HTTP: no HSTS (it would pin a laptop's localhost to HTTPS).
    expect(res.headers['strict-transport-security']).toBeUndefined();
    // API answers and 404s carry them too.
    const missing = await get(`${server.url}/assets/missing.js`, 'localhost');
    expect(missing.status).toBe(404);
    expect(missing.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends HSTS under HTTPS', async () => {
    const { cert, key } = selfSignedCert();
    server = await startServer({ cert, key, webDir: webAppWithInlineScript() });
    const res = await get(`${server.url}/`, 'localhost', true);
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
  });
});

describe('allowed hosts (DNS rebinding)', () => {
  it('answers localhost, IP literals and configured names, and refuses other Host headers', async () => {
    server = await startServer({
      webDir: webAppWithInlineScript(),
      allowedHosts: ['parley.example.org', '.corp.example'],
    });
    const port = new URL(server.url).port;
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      'parley.example.org',
      'PARLEY.example.org.',
      'meet.corp.example',
      'corp.example',
    ]) {
      expect((await get(`${server.url}/`, host)).status, host).toBe(200);
    }
    for (const host of ['evil.example', 'parley.example.org.evil.example', 'xcorp.example']) {
      const res = await get(`${server.url}/api/users/ana`, host);
      expect(res.status, host).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ error: 'forbidden_host' });
    }
  });

  it('refuses a WebSocket upgrade with a foreign Host header', async () => {
    server = await startServer();
    const ws = new WebSocket(server.wsUrl, { headers: { host: 'rebound.example' } });
    const outcome = await new Promise<string>((resolve) => {
      ws.on('open', () => resolve('open'));
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('error', () => resolve('error'));
    });
    expect(outcome).toBe('403');
  });

  it('answers every host with --allowed-hosts=all', async () => {
    server = await startServer({ webDir: webAppWithInlineScript(), allowedHosts: ['all'] });
    expect((await get(`${server.url}/`, 'anything.example')).status).toBe(200);
  });
});
