/**
 * The media topology: the only way into it from the rest of the SDK. Implementations
 * live in subfolders (`mesh/`, `sfu/`) and are reached through this file alone;
 * topology-boundary.test.ts keeps it that way.
 */
import type { TopologyFactory } from './media-topology.js';
import { createMeshTopology } from './mesh/mesh-topology.js';
import { createSfuTopology } from './sfu/sfu-topology.js';

export type {
  Arrival,
  ConnectionState,
  LocalTracks,
  MediaTopology,
  SimulcastLayer,
  TopologyContext,
  TopologyEvents,
  TopologyFactory,
  TopologyMode,
  TrackKind,
} from './media-topology.js';
export type { DataStream, DataStreamEvents, DataStreamState } from './data-stream.js';
export { MeshTopology, createMeshTopology, type MeshOptions } from './mesh/mesh-topology.js';
export type { SignalPayload } from './mesh/peer-link.js';
export { SfuTopology, createSfuTopology } from './sfu/sfu-topology.js';

/** What a room uses unless told otherwise: the SFU for `mode: 'sfu'`, else the mesh. */
export const createDefaultTopology: TopologyFactory = (context) =>
  context.mode === 'sfu' ? createSfuTopology(context) : createMeshTopology(context);
