import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PublicUser } from '@parley/protocol';
import type { z } from 'zod';
import type { AccountService } from './account-service.js';
import { readSessionCookie } from './session-cookie.js';

/** Every /api/ error: an HTTP status, a stable code and a human message. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendError(reply: FastifyReply, err: HttpError): FastifyReply {
  return reply.code(err.status).send({ error: { code: err.code, message: err.message } });
}

/** Validate a body (or params) with a protocol schema; a bad one is a 400 `bad_message`. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new HttpError(400, 'bad_message', `${where}${issue?.message ?? 'invalid request'}`);
  }
  return result.data;
}

/**
 * True when a browser request comes from a page of this server. Browsers send
 * `Origin` on WebSocket handshakes and on POST/DELETE; a page elsewhere (even on a
 * sibling subdomain, which SameSite=Lax treats as the same site) must not act with
 * the user's cookie. Requests without `Origin` (not from a browser page) pass.
 */
export function sameOrigin(headers: {
  origin?: string | undefined;
  host?: string | undefined;
}): boolean {
  const origin = headers.origin;
  if (origin === undefined) {
    return true;
  }
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}

/** The signed-in user of a request (session cookie), or a 401 `unauthenticated`. */
export async function requireUser(
  accounts: AccountService,
  request: FastifyRequest,
): Promise<{ user: PublicUser; tokenHash: string }> {
  const auth = await accounts.authenticate(readSessionCookie(request.headers.cookie));
  if (!auth) {
    throw new HttpError(401, 'unauthenticated', 'sign in first');
  }
  return auth;
}
