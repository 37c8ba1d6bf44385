/**
 * The SFU module: a client of Janus's API and a wrapper of its videoroom plugin. Parley
 * is Janus's only API client; browsers reach Janus for media only (docs/SFU.md).
 */
export {
  JanusClient,
  JANUS_SUBPROTOCOL,
  type JanusClientEvents,
  type JanusClientOptions,
  type JanusClientState,
  type ReplyKind,
} from './janus-client.js';
export {
  JanusHandle,
  JanusSession,
  type JanusEndReason,
  type JanusHandleEndReason,
  type JanusHandleEvents,
  type JanusSessionEvents,
  type MediaNotice,
  type PluginReply,
  type SlowLinkNotice,
} from './janus-session.js';
export type { Jsep, JanusServerInfo, TrickleCandidate } from './janus-api.js';
export { SfuError, type SfuErrorCode } from './sfu-error.js';
export {
  VideoRoomAdmin,
  VideoRoomPublisher,
  VideoRoomSubscriber,
  type PublisherEvents,
  type SubscriberEvents,
} from './videoroom.js';
export * from './videoroom-types.js';
