/**
 * The Janus API as it travels over Janus's WebSocket transport (subprotocol
 * `janus-protocol`): what we send and what Janus sends back. Names follow Janus's own
 * JSON (snake_case), documented in janus-gateway's docs/rest.md and src/janus.c.
 */

/** Session and handle ids: random integers below 2^53, so they survive JSON.parse. */
export type JanusNumericId = number;

/** An SDP offer or answer with Janus's extras (`trickle`, simulcast hints, e2ee). */
export interface Jsep {
  type: 'offer' | 'answer';
  sdp: string;
  /** false: the SDP already holds every candidate (no trickle will follow). */
  trickle?: boolean;
  /** Janus 1.x: order of simulcast rids ("hml" by default). */
  rid_order?: 'hml' | 'lmh';
  e2ee?: boolean;
}

/** An ICE candidate as trickled to Janus (RTCIceCandidateInit). */
export interface TrickleCandidate {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
}

/** What a plugin said: `plugindata` of a `success` or `event`. */
export interface PluginData<D = Record<string, unknown>> {
  plugin: string;
  data: D;
}

/** Requests of the Janus API that we send (the `janus` field). */
export type JanusVerb =
  | 'info'
  | 'create'
  | 'attach'
  | 'message'
  | 'trickle'
  | 'keepalive'
  | 'hangup'
  | 'detach'
  | 'destroy';

export interface JanusRequest {
  janus: JanusVerb;
  transaction: string;
  session_id?: JanusNumericId;
  handle_id?: JanusNumericId;
  apisecret?: string;
  plugin?: string;
  opaque_id?: string;
  body?: Record<string, unknown>;
  jsep?: Jsep;
  candidate?: TrickleCandidate | { completed: true };
  candidates?: TrickleCandidate[];
}

/** Everything Janus sends: replies carry our `transaction`, notifications a `sender`. */
export interface JanusMessage {
  /**
   * server_info, success, ack or error answer a request; event is a plugin's answer or
   * notification; webrtcup, media, hangup, slowlink, detached, trickle are about a
   * handle; timeout is about a session.
   */
  janus: string;
  transaction?: string;
  session_id?: JanusNumericId;
  /** The handle a notification is about. */
  sender?: JanusNumericId;
  data?: { id?: JanusNumericId } & Record<string, unknown>;
  plugindata?: PluginData;
  jsep?: Jsep;
  error?: { code: number; reason: string };
  // media
  type?: string;
  mid?: string;
  receiving?: boolean;
  seconds?: number;
  // hangup
  reason?: string;
  // slowlink
  uplink?: boolean;
  media?: string;
  lost?: number;
  // trickle
  candidate?: TrickleCandidate | { completed: true };
  [key: string]: unknown;
}

/** The `server_info` reply to `info` (the fields Parley reads; Janus mixes name styles). */
export interface JanusServerInfo {
  name: string;
  version: number;
  version_string: string;
  'server-name': string;
  'session-timeout': number;
  'local-ip': string;
  api_secret: boolean;
  plugins: Record<string, { name: string; version_string: string }>;
  transports: Record<string, { name: string }>;
  [key: string]: unknown;
}
