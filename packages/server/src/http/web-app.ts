import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

/** The web app built by Vite, next to this package in the workspace. */
export function defaultWebDir(): string {
  return resolve(fileURLToPath(import.meta.url), '../../../../web/dist');
}

/** The built app's index.html, or null when there is no build in `webDir`. */
export async function readIndexHtml(webDir: string): Promise<string | null> {
  const index = join(webDir, 'index.html');
  return existsSync(index) ? readFile(index, 'utf8') : null;
}

/**
 * Serve the built single-page app whose index.html is `html`. Hashed assets are cached
 * for a year; index.html never, so a deploy is picked up on the next load. Client-side
 * routes (/r/<room>) fall back to index.html.
 */
export async function registerWebApp(
  app: FastifyInstance,
  webDir: string,
  html: string,
): Promise<void> {
  await app.register(fastifyStatic, {
    root: webDir,
    index: false,
    wildcard: false,
    preCompressed: false,
    // Our own Cache-Control below; the plugin's default would override it with max-age=0.
    cacheControl: false,
    setHeaders(res, path) {
      // Vite puts content-hashed files under assets/: they never change.
      res.setHeader(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
      );
    },
  });
  const sendIndex = (_req: unknown, reply: FastifyReply): void => {
    void reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  };
  app.get('/', sendIndex);
  app.get('/r/*', sendIndex);
  app.get('/*', (req, reply) => {
    const rel = (req.params as { '*': string })['*'];
    if (rel && !rel.includes('..') && existsSync(join(webDir, rel))) {
      return reply.sendFile(rel);
    }
    if (rel.startsWith('api/') || rel.startsWith('assets/')) {
      return reply.code(404).send({ error: 'not_found', message: 'no such resource' });
    }
    return sendIndex(req, reply);
  });
}
