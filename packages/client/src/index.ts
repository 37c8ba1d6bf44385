export {
  SignalingClient,
  type SignalingState,
  type SignalingEvents,
  type SignalingOptions,
  type WebSocketLike,
  type WebSocketFactory,
} from './signaling-client.js';
export {
  Room,
  type RoomState,
  type RoomEvents,
  type Participant,
  type JoinOptions,
  type RoomOptions,
  type LeaveReason,
} from './room.js';
export { RoomHosting, type RoomHostingEvents } from './hosting/room-hosting.js';
export type { LobbyWaiter, RoomAccess } from '@parley/protocol';
export {
  MeshTopology,
  createMeshTopology,
  SfuTopology,
  createSfuTopology,
  createDefaultTopology,
  type MeshOptions,
  type Arrival,
  type ConnectionState,
  type DataStream,
  type DataStreamEvents,
  type DataStreamState,
  type LocalTracks,
  type MediaTopology,
  type SignalPayload,
  type SimulcastLayer,
  type TopologyContext,
  type TopologyEvents,
  type TopologyFactory,
  type TopologyMode,
  type TrackKind,
} from './topology/index.js';
export { Emitter, ExponentialBackoff, type EventMap, type ReconnectPolicy } from '@parley/common';
export { ParleyError } from './errors.js';
export {
  CallClient,
  type CallClientEvents,
  type CallClientOptions,
  type IncomingCall,
} from './calls/call-client.js';
export { DirectCall, type DirectCallEvents, type CallConnection } from './calls/direct-call.js';
export { AccountsApi } from './contacts/contacts-api.js';
export * from './quality/index.js';
export * from './bandwidth/index.js';
export * from './chat/index.js';
export * from './data/index.js';
export {
  DmConversation,
  type DmEntry,
  type DmConversationEvents,
} from './contacts/dm-conversation.js';
export {
  MeetClient,
  type MeetClientEvents,
  type MeetQueueInfo,
  type MeetSnapshot,
  type MeetStartOptions,
} from './meet/meet-client.js';
export { BoardClient, type BoardClientEvents, type BoardPairing } from './board/board-client.js';
