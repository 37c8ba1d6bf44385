import { CloseCode, ErrorCode, PROTOCOL_VERSION } from '@parley/protocol/constants';
import type {
  ClientMessageInput,
  ServerMessage,
  ServerMessageMap,
  ServerMessageType,
} from '@parley/protocol';
import { Emitter, ExponentialBackoff, type ReconnectPolicy } from '@parley/common';
import { ParleyError } from './errors.js';
import { timeoutOnceOpen } from './open-timeout.js';
import { SilenceWatch } from './silence-watch.js';

/** One state, one change event (no booleans to keep in sync). */
export type SignalingState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export type SignalingEvents = {
  /** The connection state changed. */
  state: [state: SignalingState];
  /** Any message from the server, after the handshake. */
  message: [message: ServerMessage];
  /** The socket came back and the server kept our session (room seat intact). */
  resumed: [];
  /** The socket came back but the server had released our session: rejoin as new. */
  'session-lost': [];
  /** Gave up reconnecting or was refused for good. */
  failed: [error: ParleyError];
};

/** Fresh sockets a connect opens after its hello came too late, before it gives up. */
const LATE_HELLO_RETRIES = 3;

/** The subset of the WebSocket API we use (browser WebSocket or the `ws` package). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
export type WebSocketFactory = (url: string) => WebSocketLike;

export interface SignalingOptions {
  /**
   * ws(s)://host/ws, or the addresses of several nodes. A lost socket retries its own
   * node first (a resume only works there); each failed attempt, a server shutting down
   * and a `server-draining` node move on to the next address, round robin.
   */
  url: string | readonly string[];
  /** How to open a socket; defaults to the global WebSocket. */
  createSocket?: WebSocketFactory;
  reconnect?: ReconnectPolicy;
  /** How long a request waits for its reply. */
  requestTimeoutMs?: number;
  /**
   * Frames kept while there is no greeted socket (default 256). While connecting they go
   * out right behind `hello` on the same flight, so a join needs one round trip; past the
   * bound `send` throws a ParleyError `outbox_full`. While reconnecting they are sent on
   * resume, and frames past the bound are dropped (a resume that lost them would be
   * refused anyway: the room rejoins as new).
   */
  outboxLimit?: number;
  /**
   * Ping after this long without hearing from the server, and reconnect when as long
   * again passes in silence (SilenceWatch). Default: the server's `welcome.heartbeatMs`;
   * `false` turns it off.
   */
  silenceMs?: number | false;
}

type Waiter = {
  resolve: (m: ServerMessage) => void;
  reject: (e: Error) => void;
  /** Stops the request's timeout. */
  cancel: () => void;
};

let ridCounter = 0;

/**
 * The WebSocket to the Parley server: hello/welcome, typed send/request, and
 * reconnection with backoff that resumes the server-side session when it can.
 */
export class SignalingClient extends Emitter<SignalingEvents> {
  private socket: WebSocketLike | null = null;
  private _state: SignalingState = 'idle';
  private resumeToken: string | undefined;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly waiters = new Map<string, Waiter>();
  private silence: SilenceWatch | null = null;
  /**
   * Frames waiting for the handshake. While connecting they are written behind `hello` on
   * every socket we greet, and kept until `welcome` says the server took that socket (a
   * socket that closes before it may not have delivered them; the next one carries them
   * again). While reconnecting they wait for a resumed `welcome`.
   */
  private outbox: string[] = [];
  /** The socket our `hello` went out on: frames sent while connecting follow it directly. */
  private greeted: WebSocketLike | null = null;
  private readonly createSocket: WebSocketFactory;
  private readonly policy: ReconnectPolicy;
  private readonly urls: readonly string[];
  private urlIndex = 0;
  /** The server's `welcome` on the current socket. */
  welcome: ServerMessageMap['welcome'] | null = null;

  constructor(private readonly options: SignalingOptions) {
    super();
    this.createSocket =
      options.createSocket ??
      ((url) => {
        const Ctor = (globalThis as { WebSocket?: new (u: string) => WebSocketLike }).WebSocket;
        if (!Ctor) {
          throw new Error('no global WebSocket: pass createSocket (e.g. from the "ws" package)');
        }
        return new Ctor(url);
      });
    this.policy = options.reconnect ?? new ExponentialBackoff();
    this.urls = typeof options.url === 'string' ? [options.url] : [...options.url];
    if (this.urls.length === 0) {
      throw new Error('SignalingClient needs at least one url');
    }
  }

  /** The address this client connects (or last connected) to. */
  get url(): string {
    return this.urls[this.urlIndex] as string;
  }

  /** Round robin; with one address (a load balancer), stay on it. */
  private nextUrl(): void {
    this.urlIndex = (this.urlIndex + 1) % this.urls.length;
  }

  get state(): SignalingState {
    return this._state;
  }

  private setState(state: SignalingState): void {
    if (this._state !== state) {
      this._state = state;
      this.emit('state', state);
    }
  }

  /** Open the socket and complete the handshake. Rejects if the first attempt fails. */
  connect(): Promise<void> {
    if (this._state === 'open') {
      return Promise.resolve();
    }
    if (this._state === 'closed') {
      return Promise.reject(new ParleyError('closed', 'this client was closed'));
    }
    this.setState('connecting');
    return this.open();
  }

  /**
   * @param lateHellos how many more fresh sockets to open when the server closes one
   *   for a hello that came too late (`hello_timeout`): it answered, so it is there,
   *   and the slowness was ours (a page still loading, a starved tab).
   */
  private open(lateHellos = LATE_HELLO_RETRIES): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let socket: WebSocketLike;
      try {
        socket = this.createSocket(this.url);
      } catch (err) {
        reject(err as Error);
        return;
      }
      this.socket = socket;
      // Handed over already open: a socket the page opened early, while it loaded.
      const adopted = socket.readyState === 1;
      const sendHello = (): void => {
        const hello: ClientMessageInput = { type: 'hello', v: PROTOCOL_VERSION };
        if (this.resumeToken) {
          hello.resume = this.resumeToken;
        }
        socket.send(JSON.stringify(hello));
        this.greeted = socket;
        if (this._state === 'connecting') {
          // Pipelined: the server handles frames after a hello in order, so the join (and
          // anything else queued) needs no round trip of its own.
          for (const frame of this.outbox) {
            socket.send(frame);
          }
        }
      };
      socket.onopen = sendHello;
      socket.onmessage = (ev) => {
        if (this.socket === socket) {
          this.silence?.heard();
        }
        let msg: ServerMessage;
        try {
          msg = JSON.parse(String(ev.data)) as ServerMessage;
        } catch {
          return;
        }
        if (!settled && msg.type === 'welcome') {
          settled = true;
          this.watchSilence(socket, msg.heartbeatMs);
          this.onWelcome(msg);
          resolve();
          return;
        }
        if (msg.type === 'server-draining') {
          if (this.socket !== socket) {
            return;
          }
          const moved = this.moveOn(socket, msg.retryAfterMs);
          if (settled) {
            moved.catch(() => {
              /* a failed attempt schedules the next one with backoff */
            });
            this.onMessage(msg);
          } else {
            // Told to move before the handshake: this connect goes on at the next node.
            settled = true;
            moved.then(resolve, reject);
          }
          return;
        }
        if (!settled && msg.type === 'error' && msg.code === 'version_mismatch') {
          settled = true;
          const err = new ParleyError(msg.code, msg.message);
          this.fail(err);
          reject(err);
          return;
        }
        this.onMessage(msg);
      };
      socket.onerror = () => {
        /* onclose follows and decides */
      };
      socket.onclose = (ev) => {
        if (this.socket !== socket) {
          return;
        }
        this.socket = null;
        this.stopWatching();
        const lateHello = ev.reason === ErrorCode.HelloTimeout;
        if (!settled && (adopted || lateHello) && lateHellos > 0) {
          // Closed before our hello was answered: the early socket of a page that loaded
          // for longer than the server's hello deadline, or a hello held up in a starved
          // tab. The server is there: open a fresh socket (a few times, not forever).
          settled = true;
          this.open(lateHellos - 1).then(resolve, reject);
          return;
        }
        if (!settled) {
          settled = true;
          // This node did not take us (down, refusing while it drains): try the next.
          this.nextUrl();
          if (this._state === 'connecting') {
            const err = new ParleyError('connection_closed', 'could not reach the Parley server');
            this.setState('idle');
            // What was queued for this connection will not be sent: fail its requests now.
            this.outbox = [];
            this.rejectWaiters(err);
            reject(err);
            return;
          }
        }
        this.onSocketLost(ev.code);
      };
      // A factory may hand over a socket that is already open (opened early, while the
      // page was loading): its open event has passed, so greet now.
      if (socket.readyState === 1) {
        sendHello();
      }
    });
  }

  /** Reconnect (and resume) when this socket goes silent; see SilenceWatch. */
  private watchSilence(socket: WebSocketLike, serverHeartbeatMs: number | undefined): void {
    this.stopWatching();
    const silenceMs = this.options.silenceMs ?? serverHeartbeatMs;
    if (silenceMs === false || silenceMs === undefined || silenceMs <= 0) {
      return;
    }
    this.silence = new SilenceWatch(
      silenceMs,
      () => socket.send(JSON.stringify({ type: 'ping' })),
      () => {
        if (this.socket !== socket) {
          return;
        }
        this.socket = null;
        this.silence = null;
        socket.close(CloseCode.Silent, 'no answer from the server');
        this.onSocketLost(CloseCode.Silent);
      },
    );
    this.silence.start();
  }

  private stopWatching(): void {
    this.silence?.stop();
    this.silence = null;
  }

  private onWelcome(msg: ServerMessageMap['welcome']): void {
    const wasReconnecting = this._state === 'reconnecting';
    const hadSession = this.resumeToken !== undefined;
    this.welcome = msg;
    this.resumeToken = msg.resumeToken;
    this.attempt = 0;
    this.setState('open');
    if (!wasReconnecting) {
      // The server took the socket that carried them behind our hello: delivered, once.
      this.outbox = [];
    }
    if (wasReconnecting && hadSession) {
      if (msg.resumed) {
        const queued = this.outbox;
        this.outbox = [];
        for (const frame of queued) {
          this.socket?.send(frame);
        }
        this.emit('resumed');
      } else {
        this.outbox = [];
        // Requests made for the old session will never be answered: fail them now rather
        // than after the request timeout.
        this.rejectWaiters(
          new ParleyError('resume_failed', 'the server lost this session; try again'),
        );
        this.emit('session-lost');
      }
    }
  }

  private onMessage(msg: ServerMessage): void {
    const rid = 'rid' in msg ? msg.rid : undefined;
    if (rid !== undefined) {
      const waiter = this.waiters.get(rid);
      if (waiter) {
        this.waiters.delete(rid);
        waiter.cancel();
        if (msg.type === 'error') {
          waiter.reject(new ParleyError(msg.code, msg.message));
        } else {
          waiter.resolve(msg);
        }
      }
    }
    this.emit('message', msg);
  }

  private onSocketLost(code: number): void {
    if (this._state === 'closed') {
      return;
    }
    if (code === CloseCode.ServerShutdown) {
      // That node is going away: our session with it, too.
      this.nextUrl();
    }
    // Codes the server uses to say "do not come back as you are".
    if (code === 4000) {
      this.fail(new ParleyError('version_mismatch', 'the server was updated: reload the page'));
      return;
    }
    if (code === 1009) {
      this.emit('message', {
        type: 'error',
        code: 'too_large',
        message: 'a message was too large and the server closed the connection',
      });
    }
    this.setState('reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = this.policy.nextDelayMs(this.attempt++);
    if (delay === null) {
      this.fail(
        new ParleyError(
          'connection_closed',
          'lost the connection to the server and could not get it back',
        ),
      );
      return;
    }
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this._state !== 'reconnecting') {
        return;
      }
      this.open().catch(() => {
        /* onclose schedules the next attempt */
      });
    }, delay);
  }

  /**
   * The node is draining: close with 4005 (it ends our session there at once, so the room
   * sees us leave) and connect to the next address without the backoff delay. The new
   * node does not know our session: the resume fails and 'session-lost' makes the room
   * rejoin as new.
   */
  private moveOn(socket: WebSocketLike, retryAfterMs = 0): Promise<void> {
    this.socket = null;
    this.stopWatching();
    socket.close(CloseCode.Moving, 'moving to another node');
    this.nextUrl();
    if (this._state === 'open') {
      this.setState('reconnecting');
    }
    // A crowd told to move at once may be asked to spread out.
    const delay = retryAfterMs > 0 ? Math.random() * retryAfterMs : 0;
    return new Promise((resolve, reject) => {
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        if (this._state !== 'reconnecting' && this._state !== 'connecting') {
          reject(new ParleyError('closed', 'this client was closed'));
          return;
        }
        this.open().then(resolve, reject);
      }, delay);
    });
  }

  /** Drop the socket as if the network failed (tests and "reconnect now" buttons). */
  dropConnection(): void {
    this.socket?.close(4100, 'dropped by client');
  }

  private fail(err: ParleyError): void {
    this.close();
    this.emit('failed', err);
  }

  private rejectWaiters(err: ParleyError): void {
    for (const [rid, w] of this.waiters) {
      w.cancel();
      this.waiters.delete(rid);
      w.reject(err);
    }
  }

  /**
   * Send a message. While connecting it is queued and goes out right behind `hello`
   * (past `outboxLimit` this throws `outbox_full`); while reconnecting it is queued
   * (bounded) and sent on resume; when idle or closed it is dropped.
   */
  send(message: ClientMessageInput): void {
    const frame = JSON.stringify(message);
    const limit = this.options.outboxLimit ?? 256;
    if (this._state === 'open' && this.socket) {
      this.socket.send(frame);
    } else if (this._state === 'connecting') {
      if (this.outbox.length >= limit) {
        throw new ParleyError(
          'outbox_full',
          `${limit} messages are already waiting for the connection (outboxLimit)`,
        );
      }
      this.outbox.push(frame);
      if (this.socket && this.socket === this.greeted && this.socket.readyState === 1) {
        this.socket.send(frame);
      }
    } else if (this._state === 'reconnecting' && this.outbox.length < limit) {
      this.outbox.push(frame);
    }
  }

  /**
   * Send and wait for the reply carrying the same `rid` (or its `error`). The timeout
   * counts from the open socket, not from a request queued while connecting.
   */
  request<T extends ServerMessageType>(
    message: ClientMessageInput,
    expect: T,
  ): Promise<ServerMessageMap[T]> {
    const rid = `r${++ridCounter}`;
    return new Promise((resolve, reject) => {
      const cancel = timeoutOnceOpen(this, this.options.requestTimeoutMs ?? 10_000, () => {
        this.waiters.delete(rid);
        reject(new ParleyError('timeout', `no answer to "${message.type}" from the server`));
      });
      this.waiters.set(rid, {
        resolve: (m) => {
          if (m.type === expect) {
            resolve(m as ServerMessageMap[T]);
          } else {
            reject(new ParleyError('internal', `expected "${expect}", got "${m.type}"`));
          }
        },
        reject,
        cancel,
      });
      try {
        this.send({ ...message, rid } as ClientMessageInput);
      } catch (err) {
        cancel();
        this.waiters.delete(rid);
        reject(err as Error);
      }
    });
  }

  /** Close for good (idempotent). Pending requests are rejected. */
  close(): void {
    if (this._state === 'closed') {
      return;
    }
    this.setState('closed');
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    this.stopWatching();
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'bye');
    this.rejectWaiters(new ParleyError('closed', 'the connection was closed'));
    this.outbox = [];
  }
}
