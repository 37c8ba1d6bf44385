import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazySchemaCompilers } from './lazy-compilers.js';

describe('lazySchemaCompilers', () => {
  it('still validates and serializes a route that declares JSON schemas', async () => {
    const app = Fastify({ schemaController: { compilersFactory: lazySchemaCompilers } });
    app.post(
      '/echo',
      {
        schema: {
          body: {
            type: 'object',
            required: ['n'],
            properties: { n: { type: 'integer' } },
          },
          response: {
            200: { type: 'object', properties: { n: { type: 'integer' } } },
          },
        },
      },
      async (req) => ({ n: (req.body as { n: number }).n, secret: 'dropped by the serializer' }),
    );
    const bad = await app.inject({ method: 'POST', url: '/echo', payload: { n: 'x' } });
    expect(bad.statusCode).toBe(400);
    const good = await app.inject({ method: 'POST', url: '/echo', payload: { n: 7 } });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toEqual({ n: 7 });
    await app.close();
  });
});
