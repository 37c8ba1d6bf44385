// The rooms feature's public surface: other features import from here only.
export {
  registerRoomHandlers,
  seatOf,
  type Seat,
  type RoomOptions,
  type RoomMedia,
} from './room-handlers.js';
export {
  InMemoryRoomDirectory,
  toPeerInfo,
  type RoomDirectory,
  type RoomMember,
  type RoomLimits,
  type JoinOutcome,
  type SeatRef,
} from './room-directory.js';
export {
  InMemoryRoomGrants,
  privateRoomPolicy,
  type RoomAccessPolicy,
  type RoomGrants,
} from './room-access.js';
