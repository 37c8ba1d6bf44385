import type {
  CallHistory,
  Contact,
  DirectMessage,
  DmHistory,
  PublicUser,
  SessionInfo,
} from '@parley/protocol';
import type { ErrorCode } from '@parley/protocol/constants';
import { ParleyError } from '../errors.js';

/**
 * The account, contact, history and call-history HTTP API, with the session cookie
 * (same origin: the browser sends it). Errors reject with ParleyError(code, message).
 */
export class AccountsApi {
  constructor(
    private readonly base = '',
    private readonly fetchImpl: typeof fetch = (...a) => fetch(...a),
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetchImpl(this.base + path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const data = text ? (JSON.parse(text) as unknown) : {};
    if (!res.ok) {
      const err = (data as { error?: { code?: string; message?: string } }).error;
      throw new ParleyError(
        (err?.code ?? 'internal') as ErrorCode,
        err?.message ?? `HTTP ${res.status}`,
      );
    }
    return data as T;
  }

  register(username: string, password: string): Promise<SessionInfo> {
    return this.call('POST', '/api/accounts', { username, password });
  }
  signIn(username: string, password: string): Promise<SessionInfo> {
    return this.call('POST', '/api/session', { username, password });
  }
  /** The signed-in user, or null. */
  async me(): Promise<PublicUser | null> {
    try {
      return (await this.call<SessionInfo>('GET', '/api/session')).user;
    } catch (err) {
      if (err instanceof ParleyError && err.code === 'unauthenticated') {
        return null;
      }
      throw err;
    }
  }
  signOut(): Promise<void> {
    return this.call('DELETE', '/api/session');
  }
  changePassword(currentPassword: string, newPassword: string): Promise<void> {
    return this.call('POST', '/api/account/password', { currentPassword, newPassword });
  }
  async contacts(): Promise<Contact[]> {
    return (await this.call<{ contacts: Contact[] }>('GET', '/api/contacts')).contacts;
  }
  async request(username: string): Promise<Contact> {
    return (await this.call<{ contact: Contact }>('POST', '/api/contacts/requests', { username }))
      .contact;
  }
  async accept(userId: string): Promise<Contact> {
    return (
      await this.call<{ contact: Contact }>(
        'POST',
        `/api/contacts/${encodeURIComponent(userId)}/accept`,
      )
    ).contact;
  }
  remove(userId: string): Promise<void> {
    return this.call('DELETE', `/api/contacts/${encodeURIComponent(userId)}`);
  }
  async block(userId: string): Promise<Contact> {
    return (
      await this.call<{ contact: Contact }>(
        'POST',
        `/api/contacts/${encodeURIComponent(userId)}/block`,
      )
    ).contact;
  }
  unblock(userId: string): Promise<void> {
    return this.call('POST', `/api/contacts/${encodeURIComponent(userId)}/unblock`);
  }
  dmHistory(userId: string, before?: number, limit = 50): Promise<DmHistory> {
    const q = new URLSearchParams({ limit: String(limit) });
    if (before !== undefined) {
      q.set('before', String(before));
    }
    return this.call('GET', `/api/dm/${encodeURIComponent(userId)}?${q}`);
  }
  callHistory(): Promise<CallHistory> {
    return this.call('GET', '/api/calls');
  }
  markCallsSeen(): Promise<void> {
    return this.call('POST', '/api/calls/seen');
  }
}

export type { DirectMessage };
