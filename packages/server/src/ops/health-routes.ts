import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.js';
import type { Readiness } from './readiness.js';

export interface HealthRoutesOptions {
  /** The body of `/healthz`: cheap, in-memory figures only (it must not touch the database). */
  alive: () => Record<string, unknown>;
  readiness: Readiness;
  metrics: Metrics;
}

/**
 * The operator's endpoints: `/healthz` (the process answers: restart it if not),
 * `/readyz` (send it traffic: 503 with the failing checks if not) and `/metrics`
 * (Prometheus text format).
 */
export function registerHealthRoutes(app: FastifyInstance, options: HealthRoutesOptions): void {
  app.get('/healthz', async () => ({ ok: true, ...options.alive() }));

  app.get('/readyz', async (_request, reply) => {
    const { ready, failing, degraded } = await options.readiness.report();
    // Never cached: a proxy keeping a stale "ready" would defeat the probe.
    void reply.header('cache-control', 'no-store');
    const soft = degraded.length > 0 ? { degraded } : {};
    return ready ? { ready, ...soft } : reply.code(503).send({ ready, failing, ...soft });
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await options.metrics.render();
    return reply.header('cache-control', 'no-store').type(options.metrics.contentType).send(text);
  });
}
