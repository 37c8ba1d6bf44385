// The media feature's public surface (large rooms through the SFU): other features
// import from here only.
export {
  MESH_FALLBACK_MAX,
  registerMediaHandlers,
  type MediaFeature,
  type MediaOptions,
} from './media-handlers.js';
export { SfuService, type SfuServiceOptions } from './sfu-service.js';
export {
  InMemorySfuRoomDirectory,
  type MediaMode,
  type SfuRoomDirectory,
  type SfuRoomRecord,
} from './sfu-room-directory.js';
