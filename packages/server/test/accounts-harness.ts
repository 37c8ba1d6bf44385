/**
 * Shared by the accounts, contacts, DM and calls integration suites: a real server on
 * port 0 over a real database, HTTP through fetch, and WebSocket "tabs" signed in with
 * the session cookie (the `ws` package sends it as a header, like a browser would).
 */
import WebSocket from 'ws';
import { afterAll, beforeAll } from 'vitest';
import { PROTOCOL_VERSION, SESSION_COOKIE, type ServerMessage } from '@parley/protocol';
import type { ParleyServer } from '../src/app.js';
import type { Config } from '../src/config.js';
import { startServer as startTestServer } from './helpers.js';
import type { StoreOptions } from '../src/store/index.js';
import type { ClusterOptions } from './store-backends.js';

export async function startServer(
  store: StoreOptions & ClusterOptions,
  overrides: Partial<Config> = {},
): Promise<ParleyServer> {
  const { migrate: _migrate, ...deployment } = store;
  return startTestServer({
    ...deployment,
    // Cheap hashes keep the suites fast; production defaults are tested in password.test.
    scryptCost: 10,
    registerMaxPerIp: 1000,
    signInMaxPerIp: 1000,
    ...overrides,
  });
}

/**
 * One server for a describe block (started before its tests, closed after them) and
 * `tab()`, which opens a WebSocket tab that is closed with it.
 */
export function serverWithTabs(
  store: () => StoreOptions & ClusterOptions,
  overrides: Partial<Config> = {},
): { readonly server: ParleyServer; tab(user?: TestUser): Promise<Tab> } {
  let server: ParleyServer | undefined;
  const tabs: Tab[] = [];
  beforeAll(async () => {
    server = await startServer(store(), overrides);
  });
  afterAll(async () => {
    await Promise.all(tabs.map((t) => t.close()));
    await server?.close();
  });
  return {
    get server(): ParleyServer {
      if (!server) {
        throw new Error('the server starts in beforeAll; use it inside a test');
      }
      return server;
    },
    async tab(user?: TestUser): Promise<Tab> {
      const t = await Tab.open(this.server, user?.cookie);
      tabs.push(t);
      return t;
    },
  };
}

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  setCookie: string | null;
}

export async function api<T = Record<string, unknown>>(
  server: ParleyServer,
  method: string,
  path: string,
  options: { body?: unknown; cookie?: string | undefined; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  if (options.cookie) {
    headers.cookie = options.cookie;
  }
  const res = await fetch(server.url + path, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : {}) as T,
    setCookie: res.headers.get('set-cookie'),
  };
}

/** `name=value` of the session cookie from a Set-Cookie header. */
export function cookieFrom(setCookie: string | null): string {
  const m = new RegExp(`${SESSION_COOKIE}=([^;]*)`).exec(setCookie ?? '');
  if (!m) {
    throw new Error(`no session cookie in ${setCookie}`);
  }
  return `${SESSION_COOKIE}=${m[1]}`;
}

export interface TestUser {
  id: string;
  username: string;
  cookie: string;
}

let counter = 0;
/** A fresh account (unique name per call), signed in. */
export async function signUp(server: ParleyServer, prefix = 'user'): Promise<TestUser> {
  const username = `${prefix}${++counter}_${Math.random().toString(36).slice(2, 6)}`;
  const res = await api<{ user: { id: string; username: string } }>(
    server,
    'POST',
    '/api/accounts',
    {
      body: { username, password: 'correct horse battery' },
    },
  );
  if (res.status !== 201) {
    throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { ...res.body.user, cookie: cookieFrom(res.setCookie) };
}

/** Make a and b accepted contacts. */
export async function befriend(server: ParleyServer, a: TestUser, b: TestUser): Promise<void> {
  const req = await api(server, 'POST', '/api/contacts/requests', {
    body: { username: b.username },
    cookie: a.cookie,
  });
  if (req.status !== 200) {
    throw new Error(`request failed: ${JSON.stringify(req.body)}`);
  }
  const acc = await api(server, 'POST', `/api/contacts/${a.id}/accept`, { cookie: b.cookie });
  if (acc.status !== 200) {
    throw new Error(`accept failed: ${JSON.stringify(acc.body)}`);
  }
}

type Msg = ServerMessage & Record<string, unknown>;

/** One browser tab: a WebSocket with the user's cookie that records every message. */
export class Tab {
  readonly messages: Msg[] = [];
  private waiters: { pred: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];
  private rid = 0;
  private readonly consumed = new Set<Msg>();
  /** The WebSocket URL of the node this tab is on. */
  nodeWsUrl = '';

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as Msg;
      this.messages.push(m);
      for (const w of [...this.waiters]) {
        if (w.pred(m)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    });
  }

  /**
   * Open a tab on `server` (the next node of a node group), or, to resume, on the node
   * of the tab `sameNodeAs`: a session lives on one node.
   */
  static async open(
    server: ParleyServer,
    cookie?: string,
    resume?: string,
    sameNodeAs?: Tab,
  ): Promise<Tab> {
    const base = sameNodeAs?.nodeWsUrl ?? server.wsUrl;
    // Signed-in tabs ask for their account on the socket, as the contacts page does.
    const url = cookie ? `${base}?account=1` : base;
    const ws = new WebSocket(url, cookie ? { headers: { cookie } } : {});
    const tab = new Tab(ws);
    tab.nodeWsUrl = base;
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    tab.send({ type: 'hello', v: PROTOCOL_VERSION, ...(resume ? { resume } : {}) });
    tab.welcome = await tab.next('welcome');
    return tab;
  }

  /** The `welcome` of this socket (its resume token). */
  welcome: Msg | null = null;

  send(message: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Send with a fresh rid and wait for the reply (or error) carrying it. */
  async request(message: Record<string, unknown>): Promise<Msg> {
    const rid = `t${++this.rid}`;
    const reply = this.waitFor((m) => m.rid === rid);
    this.send({ ...message, rid });
    const m = await reply;
    this.consumed.add(m);
    return m;
  }

  /**
   * The next message of `type` (matching `pred`) not yet consumed by `next`: messages
   * already received count, so nothing is missed between an action and the wait.
   */
  next(type: string, pred: (m: Msg) => boolean = () => true, timeoutMs = 5000): Promise<Msg> {
    const match = (m: Msg): boolean => m.type === type && !this.consumed.has(m) && pred(m);
    const found = this.messages.find(match);
    if (found) {
      this.consumed.add(found);
      return Promise.resolve(found);
    }
    return this.waitFor(match, timeoutMs).then((m) => {
      this.consumed.add(m);
      return m;
    });
  }

  private waitFor(pred: (m: Msg) => boolean, timeoutMs = 5000): Promise<Msg> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`timed out; got ${JSON.stringify(this.messages.map((m) => m.type))}`));
      }, timeoutMs);
      const done = (m: Msg): void => {
        clearTimeout(timer);
        resolve(m);
      };
      this.waiters.push({ pred, resolve: done });
    });
  }

  /** Messages of `type` received so far. */
  all(type: string): Msg[] {
    return this.messages.filter((m) => m.type === type);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) {
        resolve();
        return;
      }
      this.ws.once('close', () => resolve());
      this.ws.close(1000);
    });
  }
}

/** Resolve after `ms`; used only to prove that something does NOT arrive. */
export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `probe` until it returns a value (for effects the server applies asynchronously). */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 3000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > until) {
      throw new Error('condition not met in time');
    }
    await pause(50);
  }
}
