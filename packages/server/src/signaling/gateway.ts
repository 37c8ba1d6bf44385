import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  CloseCode,
  PROTOCOL_VERSION,
  type ErrorCode,
  parseClientMessage,
  type ClientMessage,
  type ClientMessageMap,
  type ClientMessageType,
  type ServerMessageMap,
} from '@parley/protocol';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { ProtocolError } from './protocol-error.js';
import { Session } from './session.js';
import { NO_OBSERVER, type GatewayObserver } from './observer.js';
import { AddressLimits } from './address-limits.js';
import { accountOf } from './session-account.js';

/**
 * Handles one validated message. `raw` is the frame's text as received, for handlers
 * that forward it without re-serializing (signal relay).
 */
export type MessageHandler<T extends ClientMessageType> = (
  session: Session,
  message: ClientMessageMap[T],
  raw: string,
) => void | Promise<void>;

export type SessionEndReason = 'left' | 'timeout';

export interface GatewayHooks {
  /** The session is gone for good (closed cleanly, or its resume grace ran out). */
  sessionEnded?(session: Session, reason: SessionEndReason): void;
  /**
   * A new session said hello: what must be in place before it is told `welcome` (a
   * signed-in tab reachable for calls on every node). Frames from the client wait.
   */
  sessionStarting?(session: Session): Promise<void> | void;
  /** A new session completed its hello (not called for a resume). */
  sessionStarted?(session: Session): void;
  /** The socket dropped; the session waits for a resume. */
  sessionDetached?(session: Session): void;
  /** A dropped session came back on a new socket. */
  sessionResumed?(session: Session): void;
}

type GatewayConfig = Pick<
  Config,
  | 'maxMessageBytes'
  | 'rateLimit'
  | 'heartbeatMs'
  | 'resumeGraceMs'
  | 'resumeBufferSize'
  | 'maxConnections'
  | 'maxConnectionsPerAddress'
  | 'connectRatePerAddress'
  | 'helloTimeoutMs'
  | 'maxRoomSize'
>;

/**
 * The heartbeat pings one slice of the sessions per tick, so every session is pinged once
 * per `heartbeatMs` but never all at once: a ping costs 10–20 µs, and pinging 5,000
 * sockets in one go held every frame back for 60–100 ms (bench/NOTES.md).
 */
const HEARTBEAT_SLICES = 10;

/** The `of` and `rid` an error echoes, so that the request it answers fails now. */
function replyExtraOf(message: ClientMessage): { of: string; rid?: string } {
  const rid = 'rid' in message && typeof message.rid === 'string' ? message.rid : undefined;
  return { of: message.type, ...(rid === undefined ? {} : { rid }) };
}

/**
 * The WebSocket edge. It owns sockets, the hello handshake, validation, rate limits,
 * heartbeats and resume; features register typed handlers and never see raw frames.
 */
export class Gateway {
  private readonly wss: WebSocketServer;
  private readonly handlers = new Map<string, MessageHandler<never>>();
  private readonly ordered = new Set<string>();
  private readonly hooks: GatewayHooks[] = [];
  private readonly sessions = new Set<Session>();
  private readonly byToken = new Map<string, Session>();
  private readonly graceTimers = new Map<Session, NodeJS.Timeout>();
  /** Sessions by heartbeat slice; one slice is pinged per tick. */
  private readonly beatSlices = Array.from({ length: HEARTBEAT_SLICES }, () => new Set<Session>());
  private nextSlice = 0;
  private beatTick = 0;
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;
  private draining = false;
  /** Sockets open right now, greeted or not (the `parley_connections` gauge). */
  private openSockets = 0;
  /** Sockets and connection rate per client address. */
  private readonly addressLimits: AddressLimits;
  private readonly addressSweep: NodeJS.Timeout;
  /** Sockets that have not said hello yet, and when they will be closed for it. */
  private readonly helloTimers = new Map<Session, NodeJS.Timeout>();
  /** Resolved when the last session ends (drain waits on it). */
  private emptyWaiters: Array<() => void> = [];

  constructor(
    private readonly config: GatewayConfig,
    private readonly log: Logger,
    private readonly observer: GatewayObserver = NO_OBSERVER,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: config.maxMessageBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
    const tickMs = Math.max(1, Math.round(config.heartbeatMs / HEARTBEAT_SLICES));
    this.heartbeat = setInterval(() => this.beatSlice(), tickMs);
    this.heartbeat.unref();
    this.addressLimits = new AddressLimits({
      maxPerAddress: config.maxConnectionsPerAddress,
      ratePerMinute: config.connectRatePerAddress,
    });
    this.addressSweep = setInterval(() => this.addressLimits.sweep(), 60_000);
    this.addressSweep.unref();
    // The page-visible side of the heartbeat: a client that heard nothing for a while asks.
    this.handle('ping', (session) => session.send({ type: 'pong' }));
  }

  /** Register the handler for one client message type. */
  handle<T extends ClientMessageType>(type: T, handler: MessageHandler<T>): void {
    if (type === 'hello') {
      throw new Error('hello is handled by the gateway');
    }
    this.handlers.set(type, handler as MessageHandler<never>);
  }

  /**
   * While the (asynchronous) handler of `type` runs, the session's later frames wait and
   * then run in order. For `join`: a client may send frames right behind it (one round
   * trip to join, docs/PROTOCOL.md), and they must find the seat taken, not `not_joined`.
   */
  keepOrderAfter(type: ClientMessageType): void {
    this.ordered.add(type);
  }

  addHooks(hooks: GatewayHooks): void {
    this.hooks.push(hooks);
  }

  /** Number of live sessions (attached or waiting for a resume). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Every live session (attached or waiting for a resume). */
  allSessions(): IterableIterator<Session> {
    return this.sessions.values();
  }

  /** Number of open WebSockets (a detached session has none; a socket before hello has one). */
  get connectionCount(): number {
    return this.openSockets;
  }

  /** True once `drain` was called: new sockets are refused. */
  get isDraining(): boolean {
    return this.draining;
  }

  /**
   * Hand an HTTP upgrade request on /ws to the gateway. `init` runs on the new session
   * before any frame is read (accounts attach the cookie's user there). `address` is
   * the client's (behind trusted proxies, from X-Forwarded-For); the per-address
   * limits count it.
   */
  handleUpgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    init?: (session: Session) => void,
    address: string = req.socket.remoteAddress ?? 'unknown',
  ): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    if (this.draining) {
      // A plain answer, so a load balancer retries another node and a person reading
      // the proxy's log sees why.
      const body = 'this node is draining: connect to another one\n';
      socket.end(
        'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\n' +
          `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    const origin = req.headers.origin ?? null;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, address, origin, init));
  }

  private accept(
    ws: WebSocket,
    address: string,
    origin: string | null,
    init?: (session: Session) => void,
  ): void {
    this.openSockets++;
    ws.once('close', () => this.openSockets--);
    if (this.sessions.size >= this.config.maxConnections) {
      this.refuse(ws, 'overloaded', 'server is full, try again later', CloseCode.TryAgainLater);
      return;
    }
    const refused = this.addressLimits.admit(address);
    if (refused === 'too_many_connections') {
      this.refuse(
        ws,
        refused,
        'too many connections from your network; close some Parley tabs and try again',
        CloseCode.PolicyViolation,
      );
      return;
    }
    if (refused === 'connect_rate_limited') {
      this.refuse(
        ws,
        refused,
        'connecting too often from your network; wait a minute and try again',
        CloseCode.TryAgainLater,
      );
      return;
    }
    ws.once('close', () => this.addressLimits.release(address));
    const session = new Session(
      ws,
      this.config.rateLimit,
      this.config.resumeBufferSize,
      this.observer,
    );
    session.origin = origin;
    session.address = address;
    init?.(session);
    this.track(session);
    this.bindSocket(session, ws);
    // A socket that never says hello would hold its slot for good.
    const timer = setTimeout(() => {
      // After a stall of this process, Node runs due timers before it reads the sockets:
      // a hello that came in time may be waiting. Decide after the next read (setImmediate
      // runs after the poll phase), so only a socket that really said nothing is closed.
      setImmediate(() => {
        this.helloTimers.delete(session);
        if (session.state === 'new' && session.socket === ws) {
          session.sendError('hello_timeout', `no hello within ${this.config.helloTimeoutMs} ms`);
          ws.close(CloseCode.PolicyViolation, 'hello_timeout');
        }
      });
    }, this.config.helloTimeoutMs);
    timer.unref();
    this.helloTimers.set(session, timer);
    ws.once('close', () => this.clearHelloTimer(session));
  }

  /** Answer a socket we will not serve with an error it can show, then close it. */
  private refuse(ws: WebSocket, code: ErrorCode, message: string, closeCode: number): void {
    this.observer.messageOut('error');
    this.observer.errorSent(code);
    ws.send(JSON.stringify({ type: 'error', code, message }));
    ws.close(closeCode, code);
  }

  private clearHelloTimer(session: Session): void {
    const timer = this.helloTimers.get(session);
    if (timer) {
      clearTimeout(timer);
      this.helloTimers.delete(session);
    }
  }

  private bindSocket(session: Session, ws: WebSocket): void {
    ws.on('message', (data, isBinary) => {
      if (session.socket === ws) {
        session.lastSeen = Date.now();
        this.onFrame(session, data, isBinary);
      }
    });
    ws.on('pong', () => {
      if (session.socket === ws) {
        session.alive = true;
        session.lastSeen = Date.now();
      }
    });
    ws.on('error', (err) => {
      // ws closes with 1009 itself when maxPayload is exceeded; the rest is logged.
      this.log.debug({ err: err.message, session: session.id }, 'socket error');
    });
    ws.on('close', (code) => {
      if (session.socket === ws) {
        this.onSocketClosed(session, code);
      }
    });
  }

  private onFrame(session: Session, data: RawData, isBinary: boolean): void {
    if (session.inbox) {
      // Its welcome (or an ordered handler's answer) is not out yet: keep the client's
      // frames in order until it is.
      session.inbox.push({ data, isBinary });
      return;
    }
    if (!session.limiter.take()) {
      session.sendRateLimited('frame');
      return;
    }
    if (isBinary) {
      session.sendError('bad_message', 'binary frames are not part of the protocol');
      return;
    }
    const raw = data.toString();
    const parsed = parseClientMessage(raw);
    if (!parsed.ok) {
      // Echo the request id when it was readable, so the request fails now, not on timeout.
      const extra = {
        ...(parsed.of === undefined ? {} : { of: parsed.of }),
        ...(parsed.rid === undefined ? {} : { rid: parsed.rid }),
      };
      session.sendError(parsed.code, parsed.message, extra);
      return;
    }
    const message = parsed.message;
    this.observer.messageIn(message.type);
    // Nothing is allocated for the reply on the way through: at thousands of frames a
    // second, per-frame garbage is what brings the collector's pauses (bench/NOTES.md).
    if (message.type === 'hello') {
      this.onHello(session, message, replyExtraOf(message));
      return;
    }
    if (session.state !== 'ready') {
      session.sendError('hello_required', 'send hello first', replyExtraOf(message));
      return;
    }
    const handler = this.handlers.get(message.type) as
      MessageHandler<typeof message.type> | undefined;
    if (!handler) {
      session.sendError(
        'unknown_type',
        `"${message.type}" is not handled by this server`,
        replyExtraOf(message),
      );
      return;
    }
    try {
      const result = (handler as MessageHandler<ClientMessageType>)(session, message as never, raw);
      if (result instanceof Promise) {
        const failed = result.catch((err: unknown) => this.handlerFailed(session, message, err));
        if (this.ordered.has(message.type)) {
          session.inbox = [];
          void failed.then(() => this.drainInbox(session));
        }
      }
    } catch (err) {
      this.handlerFailed(session, message, err);
    }
  }

  private handlerFailed(session: Session, message: ClientMessage, err: unknown): void {
    if (err instanceof ProtocolError) {
      session.sendError(err.code, err.message, replyExtraOf(message));
    } else {
      this.log.error({ err, type: message.type, session: session.id }, 'handler failed');
      session.sendError(
        'internal',
        'the server could not handle this message',
        replyExtraOf(message),
      );
    }
  }

  private onHello(
    session: Session,
    hello: ClientMessageMap['hello'],
    replyExtra: { rid?: string; of?: string },
  ): void {
    this.clearHelloTimer(session);
    if (session.state !== 'new') {
      session.sendError(
        'already_greeted',
        'hello was already received on this connection',
        replyExtra,
      );
      return;
    }
    if (hello.v !== PROTOCOL_VERSION) {
      session.sendError(
        'version_mismatch',
        `this server speaks protocol ${PROTOCOL_VERSION}, the client ${hello.v}: reload the page to update`,
        replyExtra,
      );
      session.socket?.close(CloseCode.VersionMismatch, 'version_mismatch');
      return;
    }
    let target = session;
    let resumed = false;
    if (hello.resume !== undefined) {
      const old = this.byToken.get(hello.resume);
      if (old && old.lostMessages) {
        // More arrived for it than the buffer holds: resuming would leave the client with a
        // silently wrong picture of the room (a missed peer-left, a lost offer). Release the
        // seat now (the others see it leave) and let the client rejoin as new.
        this.log.warn({ session: old.id }, 'resume buffer overflowed; the session rejoins as new');
        this.endSession(old, 'timeout');
      }
      if (old && old.state !== 'closed' && old !== session && this.sameOwner(old, session)) {
        target = this.takeOver(old, session);
        resumed = true;
      } else {
        if (old && old !== session && old.state !== 'closed') {
          this.log.warn(
            { session: old.id },
            'resume refused: another origin or account than the session was opened with',
          );
        }
        // The old seat is gone: the client starts afresh and rejoins.
        session.sendError(
          'resume_failed',
          'the earlier session has ended; joining as new',
          replyExtra,
        );
      }
    }
    if (!resumed) {
      session.state = 'ready';
      this.byToken.set(session.resumeToken, session);
      const starting = this.startHooks(session);
      if (starting) {
        // Hold what is sent to it, and what it sends, until the hooks are done.
        session.hold();
        session.inbox = [];
        starting.then(
          () => this.welcome(session, false, replyExtra),
          (err: unknown) => {
            this.log.error({ err, session: session.id }, 'session start failed');
            session.release();
            session.inbox = null;
            session.sendError(
              'unavailable',
              'the server could not start this session; try again in a moment',
              replyExtra,
            );
            const ws = session.socket;
            this.endSession(session, 'left');
            ws?.close(CloseCode.ServerShutdown, 'start failed');
          },
        );
        return;
      }
    }
    this.welcome(target, resumed, replyExtra);
  }

  /** Run the sessionStarting hooks; a promise when one of them is asynchronous. */
  private startHooks(session: Session): Promise<void> | undefined {
    const pending: Promise<void>[] = [];
    for (const h of this.hooks) {
      const r = h.sessionStarting?.(session);
      if (r instanceof Promise) {
        pending.push(r);
      }
    }
    return pending.length > 0 ? Promise.all(pending).then(() => undefined) : undefined;
  }

  private welcome(
    target: Session,
    resumed: boolean,
    replyExtra: { rid?: string; of?: string },
  ): void {
    if (target.state === 'closed') {
      return;
    }
    const welcome = {
      type: 'welcome' as const,
      v: PROTOCOL_VERSION,
      sessionId: target.id,
      resumeToken: target.resumeToken,
      resumeGraceMs: this.config.resumeGraceMs,
      resumed,
      limits: {
        maxMessageBytes: this.config.maxMessageBytes,
        maxRoomSize: this.config.maxRoomSize,
      },
      heartbeatMs: this.config.heartbeatMs,
      ...(replyExtra.rid === undefined ? {} : { rid: replyExtra.rid }),
    } satisfies ServerMessageMap['welcome'];
    target.release(JSON.stringify(welcome));
    this.drainInbox(target);
    this.log.debug({ session: target.id, resumed }, 'session greeted');
    if (!resumed) {
      for (const h of this.hooks) {
        h.sessionStarted?.(target);
      }
    }
    if (resumed) {
      for (const frame of target.drainBuffer().frames) {
        target.deliver(frame);
      }
      for (const h of this.hooks) {
        h.sessionResumed?.(target);
      }
    }
  }

  /**
   * Handle the frames that waited for a welcome or an ordered handler, in order. One of
   * them may start another wait: the rest then queue again behind it, still in order.
   */
  private drainInbox(session: Session): void {
    const inbox = session.inbox;
    session.inbox = null;
    if (session.state === 'closed') {
      return;
    }
    for (const { data, isBinary } of inbox ?? []) {
      this.onFrame(session, data, isBinary);
    }
  }

  /**
   * A resume token alone is not enough: the new socket must come from the page origin
   * the session was opened from, with the same account (its cookie) or none, so a token
   * that leaked cannot take a signed-in session over from elsewhere.
   */
  private sameOwner(old: Session, fresh: Session): boolean {
    return old.origin === fresh.origin && accountOf(old)?.user.id === accountOf(fresh)?.user.id;
  }

  /** Move the new socket onto the old session; the temporary session disappears. */
  private takeOver(old: Session, fresh: Session): Session {
    const ws = fresh.socket as WebSocket;
    this.untrack(fresh);
    fresh.state = 'closed';
    fresh.socket = null;
    const timer = this.graceTimers.get(old);
    if (timer) {
      clearTimeout(timer);
      this.graceTimers.delete(old);
    }
    const previous = old.socket;
    old.socket = ws;
    old.state = 'ready';
    old.alive = true;
    if (previous && previous !== ws) {
      // Resumed while the old socket still looked open (half-dead link): retire it.
      previous.close(CloseCode.Replaced, 'replaced');
    }
    this.bindSocket(old, ws);
    // Every resume spends its token: the welcome carries the next one.
    this.byToken.delete(old.resumeToken);
    old.rotateResumeToken();
    this.byToken.set(old.resumeToken, old);
    return old;
  }

  private onSocketClosed(session: Session, code: number): void {
    session.socket = null;
    if (session.state === 'closed') {
      return;
    }
    // 1000 is our SDK's goodbye; 1001 is a browser closing or leaving the page, whose
    // in-memory resume token is gone with it, so holding the seat would only show a ghost;
    // 4005 is a client moving to another node, where this session cannot follow.
    const goodbye =
      code === CloseCode.Normal || code === CloseCode.GoingAway || code === CloseCode.Moving;
    // Its features may hand over to where it goes (a direct call waits for its rejoin).
    session.moving = code === CloseCode.Moving || this.draining;
    // A draining node takes no new sockets, so nobody could resume here: no grace either.
    if (session.state === 'new' || goodbye || this.draining || this.config.resumeGraceMs === 0) {
      // A clean close (the client said goodbye) ends the session at once.
      this.endSession(session, goodbye ? 'left' : 'timeout');
      return;
    }
    session.state = 'detached';
    for (const h of this.hooks) {
      h.sessionDetached?.(session);
    }
    // The grace counts from the last sign of life, so that a socket the heartbeat found
    // dead (already silent for up to two intervals) is not held for a full grace on top.
    const remaining = Math.max(0, this.config.resumeGraceMs - (Date.now() - session.lastSeen));
    const timer = setTimeout(() => {
      this.graceTimers.delete(session);
      this.endSession(session, 'timeout');
    }, remaining);
    timer.unref();
    this.graceTimers.set(session, timer);
  }

  private endSession(session: Session, reason: SessionEndReason): void {
    if (session.state === 'closed') {
      return;
    }
    const wasReady = session.state !== 'new';
    session.state = 'closed';
    this.untrack(session);
    if (this.sessions.size === 0) {
      for (const resolve of this.emptyWaiters.splice(0)) {
        resolve();
      }
    }
    this.byToken.delete(session.resumeToken);
    const timer = this.graceTimers.get(session);
    if (timer) {
      clearTimeout(timer);
      this.graceTimers.delete(session);
    }
    if (!wasReady) {
      return;
    }
    this.log.debug({ session: session.id, reason }, 'session ended');
    for (const h of this.hooks) {
      try {
        h.sessionEnded?.(session, reason);
      } catch (err) {
        this.log.error({ err, session: session.id }, 'sessionEnded hook failed');
      }
    }
  }

  private track(session: Session): void {
    this.sessions.add(session);
    this.beatSlices[this.nextSlice]?.add(session);
    this.nextSlice = (this.nextSlice + 1) % HEARTBEAT_SLICES;
  }

  private untrack(session: Session): void {
    this.sessions.delete(session);
    for (const slice of this.beatSlices) {
      slice.delete(session);
    }
  }

  /** Ping the next slice of sessions; one that did not answer its previous ping is dead. */
  private beatSlice(): void {
    this.beatTick = (this.beatTick + 1) % HEARTBEAT_SLICES;
    for (const session of this.beatSlices[this.beatTick] ?? []) {
      const ws = session.socket;
      if (!ws) {
        continue;
      }
      if (!session.alive) {
        // Terminate without a close handshake: the peer is not answering anyway.
        ws.terminate();
        continue;
      }
      session.alive = false;
      ws.ping();
    }
  }

  /**
   * Stop taking sockets (upgrades get 503) and tell every client to move to another node.
   * Each session ends as its client closes with 4005; a session whose socket already
   * dropped ends now, since it could only resume here. Resolves once no session is left
   * (the caller bounds the wait and then calls `close`).
   */
  drain(notice: ServerMessageMap['server-draining'] = { type: 'server-draining' }): Promise<void> {
    if (!this.draining && !this.closed) {
      this.draining = true;
      this.log.info({ sessions: this.sessions.size }, 'draining: telling clients to move');
      for (const session of [...this.sessions]) {
        if (session.state === 'detached') {
          this.endSession(session, 'timeout');
        } else {
          session.send(notice);
        }
      }
    }
    if (this.sessions.size === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  /** Close every socket and stop timers. Sessions end without waiting for a resume. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    clearInterval(this.heartbeat);
    clearInterval(this.addressSweep);
    for (const timer of this.helloTimers.values()) {
      clearTimeout(timer);
    }
    this.helloTimers.clear();
    for (const session of [...this.sessions]) {
      session.socket?.close(CloseCode.ServerShutdown, 'server shutting down');
      this.endSession(session, 'timeout');
    }
    for (const timer of this.graceTimers.values()) {
      clearTimeout(timer);
    }
    this.graceTimers.clear();
    this.wss.close();
    for (const resolve of this.emptyWaiters.splice(0)) {
      resolve();
    }
  }
}
