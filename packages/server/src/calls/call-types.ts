import type {
  CallEndReason,
  CallMedia,
  CallState,
  IceServer,
  PublicUser,
  ServerMessage,
} from '@parley/protocol';
import type { SessionRef } from '../cluster/delivery.js';
import type { CallRecord } from './call-directory.js';

/** A call as history keeps it when it ends. */
export interface CallSnapshot {
  id: string;
  caller: PublicUser;
  callee: PublicUser;
  media: CallMedia;
  state: CallState;
  createdAt: number;
  answeredAt?: number;
  endedAt?: number;
  endReason?: CallEndReason;
}

export interface CallEngineOptions {
  /** This node: timers for a call's endpoints run on the node that holds them. */
  nodeId: string;
  /** How long a call rings before it ends with `no_answer`. */
  ringTimeoutMs: number;
  /** How long a dropped socket may take to resume before its call ends with `failed`. */
  dropGraceMs: number;
  /** The signed-in tabs of a user, right now, on every node. */
  endpointsOf(userId: string): Promise<SessionRef[]>;
  /** Deliver a message to one tab, wherever it is. */
  send(to: SessionRef, message: ServerMessage): void;
  /** ICE servers for one endpoint's peer connection. */
  iceFor(endpoint: SessionRef): { iceServers: IceServer[]; expiresAt?: number };
  /**
   * This node shuts down while `handover.ep` (a tab that moved away) is due to rejoin its
   * call: tell the other nodes (they call `watchHandover`).
   */
  handOver?(handover: CallHandover): void;
  now?: () => number;
}

/** A call left by a node that shut down to its tab that moved to another node. */
export interface CallHandover {
  callId: string;
  /** The tab's old session: if the call still names it at `until`, it ends as failed. */
  ep: SessionRef;
  /** ms since epoch */
  until: number;
}

/** What the engine tells its owner. A listener that throws never corrupts a call. */
export interface CallEngineListener {
  /** A call ended (for history); once per call in the cluster, also for calls that never rang. */
  ended?(call: CallSnapshot): void;
  /** The user's "in a call" status changed (true once a call is active, false at its end). */
  inCall?(userId: string, inCall: boolean): void;
}

export function snapshot(call: CallRecord): CallSnapshot {
  const out: CallSnapshot = {
    id: call.id,
    caller: call.caller,
    callee: call.callee,
    media: call.media,
    state: call.state,
    createdAt: call.createdAt,
  };
  if (call.answeredAt !== undefined) {
    out.answeredAt = call.answeredAt;
  }
  if (call.endedAt !== undefined) {
    out.endedAt = call.endedAt;
  }
  if (call.endReason !== undefined) {
    out.endReason = call.endReason;
  }
  return out;
}
