/**
 * A client of the Janus API over Janus's WebSocket transport: one connection per Parley
 * node, Janus sessions and plugin handles on it (janus-session.ts), and the request and
 * transaction rules of the Janus API (janus-gateway docs/rest.md; html/janus.js is
 * Janus's own browser client):
 *
 * - every request carries a random `transaction`, and the `apisecret` when configured;
 * - core requests answer `success` (or `server_info` for `info`), `keepalive` and
 *   `trickle` answer `ack`, and any of them may answer `error`;
 * - a plugin `message` answers `success` with `plugindata` when the plugin handles it
 *   synchronously, or `ack` and later an `event` with the same transaction when it
 *   handles it asynchronously; that event can even overtake the ack;
 * - everything else Janus sends is a notification about a session (`timeout`) or a
 *   handle (`sender`): `webrtcup`, `media`, `hangup`, `slowlink`, `detached`,
 *   `trickle`, and plugin `event`s that answer nothing of ours.
 *
 * Janus destroys a session when the WebSocket that created it closes (with the default
 * reclaim_session_timeout of 0, which `parley janus-config` keeps), so a lost connection
 * ends every session on it: they close with reason `disconnected`, their owners build
 * new ones once the client is `open` again. The client reconnects by itself, following
 * its `ReconnectPolicy`; while it is not open, requests fail at once with
 * `sfu_unavailable` rather than wait.
 */
import { randomBytes } from 'node:crypto';
import { Emitter, ExponentialBackoff, type ReconnectPolicy } from '@parley/common';
import WebSocket from 'ws';
import type { Logger } from '../logger.js';
import type { JanusMessage, JanusRequest, JanusServerInfo } from './janus-api.js';
import { JanusSession } from './janus-session.js';
import { SfuError, coreErrorCode } from './sfu-error.js';

/** The WebSocket subprotocol of Janus's API (the Admin API uses janus-admin-protocol). */
export const JANUS_SUBPROTOCOL = 'janus-protocol';

export type JanusClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface JanusClientOptions {
  /** The Janus WebSocket API, e.g. ws://127.0.0.1:8188 (`--sfu-url`). */
  url: string;
  /** Janus's `api_secret` (`--sfu-api-secret`), sent with every request. */
  apiSecret?: string;
  /** Keepalive period of every session; Janus ends a silent session after 60 s. Default 25 s. */
  keepaliveMs?: number;
  /** How long a request may wait for its answer. Default 10 s. */
  requestTimeoutMs?: number;
  /** How long the WebSocket handshake may take. Default 5 s. */
  connectTimeoutMs?: number;
  /** When to try again after a failed attempt or a lost connection; null: never. */
  reconnect?: ReconnectPolicy | null;
  logger?: Logger;
}

export interface JanusClientEvents {
  /**
   * The connection state changed. `error` says why the client left `open`, or why an
   * attempt failed (`sfu_unavailable`), or why it gave up (`closed`).
   */
  state: [state: JanusClientState, error: SfuError | undefined];
}

/** Which reply settles a request (see the rules at the top of this file). */
export type ReplyKind = 'success' | 'ack' | 'plugin' | 'server_info';

interface Pending {
  verb: string;
  until: ReplyKind;
  resolve: (message: JanusMessage) => void;
  reject: (error: SfuError) => void;
  timer: NodeJS.Timeout;
}

/** A request without the fields the client adds itself. */
export type JanusRequestBody = Omit<JanusRequest, 'transaction' | 'apisecret'>;

export class JanusClient extends Emitter<JanusClientEvents> {
  readonly url: string;
  /** Options as resolved, read by sessions (keepalive period). */
  readonly keepaliveMs: number;
  private readonly apiSecret: string | undefined;
  private readonly requestTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly policy: ReconnectPolicy | null;
  private readonly logger: Logger | undefined;
  private currentState: JanusClientState = 'idle';
  private socket: WebSocket | null = null;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly sessions = new Map<number, JanusSession>();
  private waiters: Array<{ resolve: () => void; reject: (error: SfuError) => void }> = [];
  private closing: Promise<void> | null = null;

  constructor(options: JanusClientOptions) {
    super();
    this.url = options.url;
    this.apiSecret = options.apiSecret;
    this.keepaliveMs = options.keepaliveMs ?? 25_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    // A Janus that restarts is found again within a couple of seconds, and one that stays
    // down is asked every few seconds, which costs nothing.
    this.policy =
      options.reconnect === undefined ? new ExponentialBackoff({ maxMs: 5000 }) : options.reconnect;
    this.logger = options.logger;
  }

  get state(): JanusClientState {
    return this.currentState;
  }

  /**
   * Open the connection (once; later calls wait for the same one). Resolves when it is
   * open; rejects with `sfu_unavailable` when this attempt fails, while the client goes
   * on trying in the background as its policy says (watch the `state` event).
   */
  connect(): Promise<void> {
    if (this.currentState === 'open') {
      return Promise.resolve();
    }
    if (this.currentState === 'closed' || this.closing) {
      return Promise.reject(new SfuError('sfu_closed', 'the Janus client is closed'));
    }
    const opened = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.currentState === 'idle') {
      this.open();
    }
    return opened;
  }

  /** Janus's `info`: version, plugins, transports, whether an API secret is required. */
  async info(): Promise<JanusServerInfo> {
    const reply = await this.request({ janus: 'info' }, 'server_info');
    return reply as unknown as JanusServerInfo;
  }

  /** Create a Janus session, kept alive until it is destroyed or its connection drops. */
  async createSession(): Promise<JanusSession> {
    const reply = await this.request({ janus: 'create' }, 'success');
    const id = reply.data?.id;
    if (typeof id !== 'number') {
      throw new SfuError('sfu_error', 'Janus created a session without an id');
    }
    const session = new JanusSession(this, id);
    this.sessions.set(id, session);
    session.once('closed', () => this.sessions.delete(id));
    return session;
  }

  /**
   * Send one Janus API request and wait for the reply that settles it (`until`). For
   * the session and plugin wrappers; it rejects with an `SfuError`: `sfu_unavailable`
   * when not connected, `sfu_timeout`, or the code of Janus's `error`.
   */
  request(body: JanusRequestBody, until: ReplyKind): Promise<JanusMessage> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN || this.currentState !== 'open') {
      const why =
        this.currentState === 'closed' ? 'closed' : `not connected (${this.currentState})`;
      return Promise.reject(
        new SfuError(
          this.currentState === 'closed' ? 'sfu_closed' : 'sfu_unavailable',
          `Janus at ${this.url} is ${why}`,
        ),
      );
    }
    const transaction = randomBytes(9).toString('base64url');
    const request: JanusRequest = { ...body, transaction };
    if (this.apiSecret !== undefined) {
      request.apisecret = this.apiSecret;
    }
    return new Promise<JanusMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(transaction);
        reject(
          new SfuError(
            'sfu_timeout',
            `Janus did not answer "${body.janus}" within ${this.requestTimeoutMs} ms`,
          ),
        );
      }, this.requestTimeoutMs);
      this.pending.set(transaction, { verb: body.janus, until, resolve, reject, timer });
      socket.send(JSON.stringify(request), (err) => {
        if (err) {
          this.settle(
            transaction,
            new SfuError('sfu_unavailable', `cannot send to Janus: ${err.message}`),
          );
        }
      });
    });
  }

  /**
   * Drop the connection as if it had failed (a keepalive went unanswered): pending
   * requests fail, sessions close, and the client reconnects by its policy.
   */
  dropConnection(reason: string): void {
    if (this.socket && this.currentState === 'open') {
      this.logger?.warn({ url: this.url, reason }, 'sfu: dropping the Janus connection');
      this.socket.terminate();
    }
  }

  /**
   * Destroy every session (best effort, a second at most), close the socket and stop
   * reconnecting. Pending requests fail with `sfu_closed`. Safe to call twice.
   */
  close(): Promise<void> {
    if (!this.closing) {
      this.closing = this.shutdown();
    }
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    if (this.currentState === 'open') {
      await Promise.allSettled([...this.sessions.values()].map((s) => s.destroy(1000)));
    }
    const error = new SfuError('sfu_closed', 'the Janus client was closed');
    this.failAll(error, 'closed');
    this.setState('closed', undefined);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        const killer = setTimeout(() => socket.terminate(), 1000);
        socket.once('close', () => {
          clearTimeout(killer);
          resolve();
        });
        socket.close(1000, 'parley: closing');
      });
    }
    this.removeAllListeners();
  }

  private open(): void {
    this.reconnectTimer = null;
    this.setState(
      this.attempt === 0 && this.currentState === 'idle' ? 'connecting' : 'reconnecting',
      undefined,
    );
    const socket = new WebSocket(this.url, JANUS_SUBPROTOCOL, {
      handshakeTimeout: this.connectTimeoutMs,
      perMessageDeflate: false,
    });
    this.socket = socket;
    let failure: Error | null = null;
    socket.on('open', () => {
      if (this.socket !== socket) {
        return;
      }
      if (this.attempt > 0) {
        this.logger?.info({ url: this.url }, 'sfu: connected to Janus again');
      }
      this.attempt = 0;
      this.setState('open', undefined);
      const waiters = this.waiters;
      this.waiters = [];
      waiters.forEach((w) => w.resolve());
    });
    socket.on('message', (data) => this.receive(data.toString()));
    socket.on('error', (err) => {
      failure = err;
    });
    socket.on('close', (code) => {
      if (this.socket !== socket) {
        return;
      }
      this.socket = null;
      const wasOpen = this.currentState === 'open';
      const error = new SfuError(
        'sfu_unavailable',
        wasOpen
          ? `lost the connection to Janus at ${this.url} (WebSocket close ${code})`
          : `cannot reach Janus at ${this.url}: ${failure?.message ?? `WebSocket close ${code}`}`,
      );
      this.failAll(error, 'disconnected');
      if (!this.closing) {
        this.scheduleReconnect(error, wasOpen);
      }
    });
  }

  private scheduleReconnect(error: SfuError, wasOpen: boolean): void {
    const delay = this.policy?.nextDelayMs(this.attempt++) ?? null;
    if (delay === null) {
      this.logger?.error({ url: this.url, err: error.message }, 'sfu: giving up on Janus');
      this.setState('closed', error);
      return;
    }
    if (wasOpen) {
      this.logger?.warn({ url: this.url, err: error.message }, 'sfu: lost Janus, reconnecting');
    }
    this.setState('reconnecting', error);
    this.reconnectTimer = setTimeout(() => this.open(), delay);
    this.reconnectTimer.unref();
  }

  /** Reject pending requests and connect waiters, and end every session. */
  private failAll(error: SfuError, reason: 'closed' | 'disconnected'): void {
    for (const transaction of [...this.pending.keys()]) {
      this.settle(transaction, error);
    }
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w.reject(error));
    for (const session of [...this.sessions.values()]) {
      session.end(reason);
    }
  }

  private settle(transaction: string, outcome: JanusMessage | SfuError): void {
    const pending = this.pending.get(transaction);
    if (!pending) {
      return;
    }
    this.pending.delete(transaction);
    clearTimeout(pending.timer);
    if (outcome instanceof SfuError) {
      pending.reject(outcome);
    } else {
      pending.resolve(outcome);
    }
  }

  private receive(text: string): void {
    let message: JanusMessage;
    try {
      message = JSON.parse(text) as JanusMessage;
    } catch {
      this.logger?.warn({ url: this.url }, 'sfu: Janus sent something that is not JSON');
      return;
    }
    const pending = message.transaction ? this.pending.get(message.transaction) : undefined;
    if (pending && message.transaction && this.answers(pending, message)) {
      if (message.janus === 'error') {
        const code = message.error?.code ?? 0;
        this.settle(
          message.transaction,
          new SfuError(
            coreErrorCode(code),
            `Janus refused "${pending.verb}": ${message.error?.reason ?? 'no reason'} (${code})`,
            code,
          ),
        );
      } else {
        this.settle(message.transaction, message);
      }
      return;
    }
    if (message.session_id !== undefined) {
      this.sessions.get(message.session_id)?.handleNotification(message);
    }
  }

  /** Whether `message` settles `pending`; an `ack` of a plugin request does not. */
  private answers(pending: Pending, message: JanusMessage): boolean {
    switch (message.janus) {
      case 'error':
      case 'success':
      case 'server_info':
        return true;
      case 'ack':
        return pending.until !== 'plugin';
      case 'event':
        return pending.until === 'plugin';
      default:
        return false;
    }
  }

  private setState(state: JanusClientState, error: SfuError | undefined): void {
    if (state === this.currentState) {
      return;
    }
    this.currentState = state;
    this.emit('state', state, error);
  }
}
