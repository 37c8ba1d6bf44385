import type { FastifyBaseLogger } from 'fastify';

/** The logger features receive: Fastify's pino instance, or a silent one in tests. */
export type Logger = Pick<FastifyBaseLogger, 'error' | 'warn' | 'info' | 'debug'>;
