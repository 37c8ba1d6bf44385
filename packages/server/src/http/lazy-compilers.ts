import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

/**
 * Fastify builds its JSON-schema compilers (Ajv and fast-json-stringify) when the
 * instance is created, which cost about a third of Parley's cold start (bench/startup,
 * profiled with --cpu-prof). Parley validates with zod and declares no route schemas,
 * so these factories load the compilers only if a route ever declares one.
 */
type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;
type ValidatorFactory = NonNullable<CompilersFactory['buildValidator']>;
type SerializerFactory = NonNullable<CompilersFactory['buildSerializer']>;

const fastifyRequire = createRequire(import.meta.resolve('fastify'));

/** A factory that loads the real one from `pkg` on first use and passes every call on. */
function lazyFactory<F>(pkg: string): F {
  let real: ((...args: unknown[]) => unknown) | undefined;
  const load = (): ((...args: unknown[]) => unknown) =>
    (real ??= (fastifyRequire(pkg) as () => (...args: unknown[]) => unknown)());
  return ((...args: unknown[]) => load()(...args)) as F;
}

export const lazySchemaCompilers: CompilersFactory = {
  buildValidator: lazyFactory<ValidatorFactory>('@fastify/ajv-compiler'),
  buildSerializer: lazyFactory<SerializerFactory>('@fastify/fast-json-stringify-compiler'),
};
