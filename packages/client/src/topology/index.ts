/**
 * The media topology: the only way into it from the rest of the SDK. Implementations
 * live in subfolders (`mesh/`, later `sfu/`) and are reached through this file alone;
 * topology-boundary.test.ts keeps it that way.
 */
import type { TopologyFactory } from './media-topology.js';
import { createMeshTopology } from './mesh/mesh-topology.js';

export type {
  Arrival,
  ConnectionState,
  LocalTracks,
  MediaTopology,
  TopologyContext,
  TopologyEvents,
  TopologyFactory,
  TrackKind,
} from './media-topology.js';
export type { DataStream, DataStreamEvents, DataStreamState } from './data-stream.js';
export { MeshTopology, createMeshTopology, type MeshOptions } from './mesh/mesh-topology.js';
export type { SignalPayload } from './mesh/peer-link.js';

/** What a room uses unless told otherwise: the mesh (an SFU topology would decide here). */
export const createDefaultTopology: TopologyFactory = createMeshTopology;
