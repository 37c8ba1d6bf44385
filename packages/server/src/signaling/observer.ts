import {
  serverMessageSchemas,
  type ClientMessageType,
  type ErrorCode,
  type ServerMessageType,
} from '@parley/protocol';

/** A server message type, or `other` for a pre-serialized frame whose type was not given. */
export type OutboundType = ServerMessageType | 'other';

/**
 * What the gateway and its sessions report as traffic flows (metrics listen). Called on
 * the hot path, once per frame: implementations must be a counter increment, no more.
 * Every argument comes from a closed set, so a label never grows without bound.
 */
export interface GatewayObserver {
  /** A valid client message arrived (counted after validation, before its handler). */
  messageIn(type: ClientMessageType): void;
  /** A message was sent (or queued for a detached session). */
  messageOut(type: OutboundType): void;
  /** An `error` was sent to a client. */
  errorSent(code: ErrorCode): void;
}

/** The observer when nobody listens: saves a null check per frame. */
export const NO_OBSERVER: GatewayObserver = {
  messageIn() {},
  messageOut() {},
  errorSent() {},
};

const SERVER_TYPES: ReadonlySet<string> = new Set(Object.keys(serverMessageSchemas));
const TYPE_PREFIX = '{"type":"';

/**
 * The type of a frame the server serialized itself, without parsing it: our messages are
 * object literals with `type` first, so it is the first string. Anything else (the signal
 * relay's `{"from":…`, whose body is the client's own text) is `other`, and so is a
 * prefix naming no server message, so a label can never come from a client.
 */
export function frameType(frame: string): OutboundType {
  if (!frame.startsWith(TYPE_PREFIX)) {
    return 'other';
  }
  const end = frame.indexOf('"', TYPE_PREFIX.length);
  // The longest server type is far shorter than 40 characters: do not scan a large frame.
  if (end < 0 || end > TYPE_PREFIX.length + 40) {
    return 'other';
  }
  const type = frame.slice(TYPE_PREFIX.length, end);
  return SERVER_TYPES.has(type) ? (type as ServerMessageType) : 'other';
}
