import type { OutboundType } from '../signaling/observer.js';

/**
 * Publish/subscribe between the nodes of a Parley cluster. Topics are plain strings
 * (see `topics`); messages are JSON values. The in-process bus is the embedded default;
 * the Redis bus carries the same messages between nodes.
 */

/** What travels on the bus. Every kind is JSON-serializable. */
export type BusMessage =
  /**
   * A serialized server frame for the local sessions subscribed to a room or user topic;
   * the session `except` gets nothing, or `ownFrame` when that is set (the sender's own
   * copy, in the same stream as everyone else's).
   */
  | { kind: 'frame'; frame: string; except?: string; ownFrame?: string }
  /** A serialized server frame for named sessions on one node (a `node:` topic). */
  | { kind: 'frame-to'; frame: string; sessions: string[]; type?: OutboundType }
  /** Sign-in tokens revoked (sign-out, password change): every node ends their sockets. */
  | { kind: 'revoke'; tokenHashes: string[] }
  /** A feature's own cluster-wide event (e.g. a call's timers moving between nodes). */
  | { kind: 'event'; name: string; data: unknown };

export type BusHandler = (message: BusMessage) => void;

export const topics = {
  room: (roomId: string): string => `room:${roomId}`,
  user: (userId: string): string => `user:${userId}`,
  node: (nodeId: string): string => `node:${nodeId}`,
  /** A feature's named audience (e.g. everyone watching the board). */
  channel: (name: string): string => `channel:${name}`,
  /** Every node. */
  all: 'all',
} as const;

export interface Bus {
  /**
   * Deliver `message` to every handler of `topic` on every node. Handlers on this node
   * run synchronously, before `publish` returns, so local delivery costs no hop.
   */
  publish(topic: string, message: BusMessage): void;
  /**
   * Deliver to every handler of `topic`, on every node including this one, in the one
   * order the broker received them: what two nodes publish in turn (one after the
   * other's promise resolved) arrives everywhere in that turn. Costs a broker round trip
   * even for local handlers; for what must be seen in one order (room chat).
   */
  publishInOrder(topic: string, message: BusMessage): Promise<void>;
  /** Add a handler; resolves once messages published anywhere after it will reach it. */
  subscribe(topic: string, handler: BusHandler): Promise<void>;
  /** Remove a handler (the topic is dropped with its last handler). */
  unsubscribe(topic: string, handler: BusHandler): void;
  close(): Promise<void>;
}
