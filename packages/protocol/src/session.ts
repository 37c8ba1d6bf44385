import { z } from 'zod';
import { IceServer, RequestId } from './common.js';
import { ERROR_CODES, type ErrorCode } from './constants.js';

/** First frame on every connection. */
export const Hello = z.object({
  type: z.literal('hello'),
  /** PROTOCOL_VERSION the client was built with. */
  v: z.number().int(),
  /** A resume token from an earlier `welcome`, to take back a seat after a drop. */
  resume: z.string().max(256).optional(),
  rid: RequestId,
});

export const Welcome = z.object({
  type: z.literal('welcome'),
  v: z.number().int(),
  /** This connection's session id (stable across a resume). */
  sessionId: z.string(),
  /** Present this in `hello.resume` to take the seat back after a drop. */
  resumeToken: z.string(),
  /** How long the server keeps a dropped session's seat, in milliseconds. */
  resumeGraceMs: z.number().int(),
  /** True when this socket took over an earlier session. */
  resumed: z.boolean(),
  /** Server limits the client should respect up front. */
  limits: z.object({ maxMessageBytes: z.number().int(), maxRoomSize: z.number().int() }),
  /**
   * The server's heartbeat interval, in ms. A client that has heard nothing for this long
   * sends `ping`, and treats the connection as dead when as long again passes in silence.
   */
  heartbeatMs: z.number().int(),
  rid: RequestId,
});

/**
 * Client → server: "are you there?", after a silence. Browsers answer the server's
 * WebSocket pings without telling the page, so a half-open connection (a laptop lid,
 * a network switch, a NAT timeout) would otherwise look open for minutes.
 */
export const Ping = z.object({ type: z.literal('ping') });

/** Server → client: the answer to `ping`. */
export const Pong = z.object({ type: z.literal('pong') });

export const ErrorMessage = z.object({
  type: z.literal('error'),
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  /** The `rid` of the request that caused it, when it had one. */
  rid: z.string().optional(),
  /** The `type` of the frame that caused it, when it could be read. */
  of: z.string().optional(),
});

/**
 * Server → client: this node is shutting down (drain on SIGTERM). The client closes its
 * socket with 4005 (moving), which ends its session here at once (the room sees it leave),
 * and connects again: to another node, or to the same address behind a load balancer,
 * where it rejoins as new (sessions do not cross nodes).
 */
export const ServerDraining = z.object({
  type: z.literal('server-draining'),
  /**
   * Spread the crowd: reconnect after a random delay of up to this many ms. Absent (the
   * default) or 0: reconnect at once.
   */
  retryAfterMs: z.number().int().min(0).optional(),
});

/** Fresh ICE servers (TURN credentials expire; the server pushes new ones in time). */
export const IceServers = z.object({
  type: z.literal('ice-servers'),
  iceServers: z.array(IceServer),
  /** When these credentials stop working, ms since epoch; absent for static ones. */
  expiresAt: z.number().optional(),
});
