import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * The hashes of the inline scripts in index.html, for the CSP: the early-start script
 * runs inline so that a direct link starts the camera before the bundle loads, and a
 * hash allows exactly that script and no other inline one.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  const re = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const body = m[1] ?? '';
    if (body.trim() !== '') {
      hashes.push(`'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
    }
  }
  return hashes;
}

/**
 * The Content-Security-Policy of every response. No inline script but the hashed ones,
 * no plugins, no framing (clickjacking), no <base> rewriting. `wasm-unsafe-eval` lets the
 * noise suppressor compile its WebAssembly; `blob:` media is local recordings and files;
 * `connect-src 'self'` covers the same-origin WebSocket (CSP 3).
 */
export function contentSecurityPolicy(scriptHashes: readonly string[]): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval'${scriptHashes.map((h) => ` ${h}`).join('')}`,
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Parley uses the camera, microphone and screen capture, in its own pages only. */
const PERMISSIONS_POLICY =
  'camera=(self), microphone=(self), display-capture=(self), fullscreen=(self), ' +
  'geolocation=(), payment=(), usb=(), serial=()';

/** HSTS for a year once a browser has seen HTTPS; only sent on HTTPS responses. */
const HSTS = 'max-age=31536000';

export interface SecurityHeaderOptions {
  /** The CSP to send (from `contentSecurityPolicy`). */
  csp: string;
}

/** Every response carries the headers; set before routing so errors and 404s get them too. */
export function registerSecurityHeaders(
  app: FastifyInstance,
  options: SecurityHeaderOptions,
): void {
  app.addHook('onRequest', (request, reply, done) => {
    void reply.headers({
      'content-security-policy': options.csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'permissions-policy': PERMISSIONS_POLICY,
      'cross-origin-opener-policy': 'same-origin',
      'x-frame-options': 'DENY',
    });
    // request.protocol believes X-Forwarded-Proto from trusted proxies only.
    if (request.protocol === 'https') {
      void reply.header('strict-transport-security', HSTS);
    }
    done();
  });
}
