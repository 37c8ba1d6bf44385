import type {
  CallEndReason,
  CallMedia,
  CallState,
  IceServer,
  PublicUser,
  ServerMessage,
} from '@parley/protocol';

/** One tab of a signed-in user, as the call engine sees it (a gateway Session in production). */
export interface CallEndpoint {
  readonly id: string;
  send(message: ServerMessage): void;
}

/** A call as it is kept while live, and handed to history when it ends. */
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

export interface LiveCall extends CallSnapshot {
  callerEndpoint: CallEndpoint;
  /** The callee tab that answered (set on accept). */
  calleeEndpoint?: CallEndpoint;
  /** Callee tabs that are ringing (while `ringing`). */
  ringing: Set<CallEndpoint>;
  ringTimer?: ReturnType<typeof setTimeout>;
  /** Per endpoint: the timer that ends the call if a dropped socket does not come back. */
  dropTimers: Map<CallEndpoint, ReturnType<typeof setTimeout>>;
}

export interface CallEngineOptions {
  /** How long a call rings before it ends with `no_answer`. */
  ringTimeoutMs: number;
  /** How long a dropped socket may take to resume before its call ends with `failed`. */
  dropGraceMs: number;
  /** The signed-in tabs of a user, right now. */
  endpointsOf(userId: string): CallEndpoint[];
  /** ICE servers for one endpoint's peer connection. */
  iceFor(endpoint: CallEndpoint): { iceServers: IceServer[]; expiresAt?: number };
  now?: () => number;
}

/** What the engine tells its owner. A listener that throws never corrupts a call. */
export interface CallEngineListener {
  /** A call ended (for history); once per call, also for calls that never rang. */
  ended?(call: CallSnapshot): void;
  /** The user's "in a call" status changed (true once a call is active, false at its end). */
  inCall?(userId: string, inCall: boolean): void;
}

export function snapshot(call: LiveCall): CallSnapshot {
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
