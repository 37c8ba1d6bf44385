import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ChangePassword, Credentials } from '@parley/protocol';
import { AccountError, type AccountService } from './account-service.js';
import { HttpError, parseBody, requireUser, sendError } from './http-auth.js';
import { clearedSessionCookie, sessionCookie } from './session-cookie.js';
import { deviceCookie, readDeviceCookie } from './known-devices.js';

const STATUS: Record<AccountError['code'], number> = {
  bad_credentials: 401,
  unauthenticated: 401,
  username_taken: 409,
  rate_limited: 429,
};

/** Turn thrown HttpError / AccountError into their JSON answer; the rest is a 500. */
export function apiErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof HttpError) {
      return sendError(reply, err);
    }
    if (err instanceof AccountError) {
      return sendError(reply, new HttpError(STATUS[err.code], err.code, err.message));
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      // Fastify's own errors: unsupported media type, body too large, bad JSON.
      return sendError(reply, new HttpError(status, 'bad_message', (err as Error).message));
    }
    request.log.error({ err }, 'request failed');
    return sendError(reply, new HttpError(500, 'internal', 'the server could not do this'));
  });
}

/**
 * Accounts over HTTP:
 *   POST   /api/accounts           register {username, password}   → 201 {user} + cookie
 *   POST   /api/session            sign in  {username, password}   → 200 {user} + cookie
 *   GET    /api/session            who am I                        → 200 {user} | 401
 *   DELETE /api/session            sign out (revokes the session)  → 204
 *   POST   /api/account/password   {currentPassword, newPassword}  → 204 (other sessions revoked)
 */
export function registerAccountRoutes(
  app: FastifyInstance,
  accounts: AccountService,
  sessionTtlSec: number,
): void {
  const secure = (request: FastifyRequest): boolean => request.protocol === 'https';

  app.post('/api/accounts', async (request, reply) => {
    const { username, password } = parseBody(Credentials, request.body);
    const signed = await accounts.register(username, password, request.ip);
    reply.header('set-cookie', [
      sessionCookie(signed.token, sessionTtlSec, secure(request)),
      deviceCookie(signed.deviceToken, secure(request)),
    ]);
    return reply.code(201).send({ user: signed.user });
  });

  app.post('/api/session', async (request, reply) => {
    const { username, password } = parseBody(Credentials, request.body);
    const signed = await accounts.signIn(
      username,
      password,
      request.ip,
      readDeviceCookie(request.headers.cookie),
    );
    reply.header('set-cookie', [
      sessionCookie(signed.token, sessionTtlSec, secure(request)),
      deviceCookie(signed.deviceToken, secure(request)),
    ]);
    return reply.send({ user: signed.user });
  });

  app.get('/api/session', async (request) => {
    const { user } = await requireUser(accounts, request);
    return { user };
  });

  app.delete('/api/session', async (request, reply) => {
    const { tokenHash } = await requireUser(accounts, request);
    await accounts.signOut(tokenHash);
    reply.header('set-cookie', clearedSessionCookie(secure(request)));
    return reply.code(204).send();
  });

  app.post('/api/account/password', async (request, reply) => {
    const { user, tokenHash } = await requireUser(accounts, request);
    const body = parseBody(ChangePassword, request.body);
    await accounts.changePassword(user.id, tokenHash, body.currentPassword, body.newPassword);
    return reply.code(204).send();
  });
}
