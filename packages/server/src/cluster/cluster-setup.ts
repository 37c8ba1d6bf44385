import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { InMemoryRoomDirectory, type RoomDirectory } from '../rooms/room-directory.js';
import {
  InMemoryPresenceDirectory,
  type PresenceDirectory,
} from '../contacts/presence-directory.js';
import { InMemoryCallDirectory, type CallDirectory } from '../calls/call-directory.js';
import { InMemorySfuRoomDirectory, type SfuRoomDirectory } from '../media/sfu-room-directory.js';
import { InProcessCluster, type Cluster } from './cluster.js';
import { LocalSequencer, type Sequencer } from './sequencer.js';
import { FixedWindowLimiter, type AttemptLimiter } from '../accounts/sign-in-limiter.js';
import { InMemoryRoomGrants, type RoomGrants } from '../rooms/room-access.js';
import { InMemoryRoomControls, type RoomControlDirectory } from '../rooms/room-controls.js';
import { InMemoryMeetDirectory, type MeetDirectory } from '../meet/meet-directory.js';
import { InMemoryBoardDirectory, type BoardDirectory } from '../board/board-directory.js';

/** The shared state of a node: its cluster membership and the directories. */
export interface ClusterState {
  readonly cluster: Cluster;
  readonly rooms: RoomDirectory;
  readonly presence: PresenceDirectory;
  readonly calls: CallDirectory;
  /** Each room's media mode and its Janus videoroom. */
  readonly sfuRooms: SfuRoomDirectory;
  /** Who may join which private pair room. */
  readonly grants: RoomGrants;
  /** Each room's host, password, lock and lobby. */
  readonly roomControls: RoomControlDirectory;
  /** The meet queue, matches and exclusions. */
  readonly meet: MeetDirectory;
  /** The open-call board's posts. */
  readonly board: BoardDirectory;
  /** One-at-a-time sections across nodes (room chat's store-and-announce). */
  readonly sequencer: Sequencer;
  /** Attempt windows counted across nodes (sign-in and registration limits). */
  limiter(name: string, max: number, windowMs: number): AttemptLimiter;
}

/**
 * In-process directories by default; with `redisUrl`, Redis ones shared with the other
 * nodes. The Redis code (and ioredis) is only loaded when it is configured.
 */
export async function openClusterState(
  config: Config,
  nodeId: string,
  log: Logger,
  onBusLatency?: (ms: number) => void,
): Promise<ClusterState> {
  const limits = { maxRoomSize: config.maxRoomSize, maxRooms: config.maxRooms };
  if (!config.redisUrl) {
    return {
      cluster: new InProcessCluster(nodeId),
      rooms: new InMemoryRoomDirectory(limits),
      presence: new InMemoryPresenceDirectory(),
      calls: new InMemoryCallDirectory(),
      sfuRooms: new InMemorySfuRoomDirectory(),
      grants: new InMemoryRoomGrants(),
      roomControls: new InMemoryRoomControls(),
      meet: new InMemoryMeetDirectory(),
      board: new InMemoryBoardDirectory(),
      sequencer: new LocalSequencer(),
      limiter: (_name, max, windowMs) => new FixedWindowLimiter(max, windowMs),
    };
  }
  const [
    { RedisCluster },
    { RedisRoomDirectory },
    { RedisPresenceDirectory },
    { RedisCallDirectory },
    { RedisSequencer },
    { RedisWindowLimiter },
    { RedisSfuRoomDirectory },
    { RedisRoomGrants },
    { RedisMeetDirectory },
    { RedisBoardDirectory },
    { RedisRoomControls },
  ] = await Promise.all([
    import('./redis-cluster.js'),
    import('../rooms/redis-room-directory.js'),
    import('../contacts/redis-presence-directory.js'),
    import('../calls/redis-call-directory.js'),
    import('./redis-sequencer.js'),
    import('../accounts/redis-attempt-limiter.js'),
    import('../media/redis-sfu-room-directory.js'),
    import('../rooms/redis-room-grants.js'),
    import('../meet/redis-meet-directory.js'),
    import('../board/redis-board-directory.js'),
    import('../rooms/redis-room-controls.js'),
  ]);
  const cluster = await RedisCluster.start({
    url: config.redisUrl,
    prefix: config.redisPrefix,
    nodeId,
    leaseTtlMs: config.leaseTtlMs,
    log,
    ...(onBusLatency ? { onBusLatency } : {}),
  });
  const { redis, prefix } = cluster;
  return {
    cluster,
    rooms: new RedisRoomDirectory(redis, prefix, limits),
    presence: new RedisPresenceDirectory(redis, prefix),
    calls: new RedisCallDirectory(redis, prefix),
    sfuRooms: new RedisSfuRoomDirectory(redis, prefix),
    grants: new RedisRoomGrants(redis, prefix),
    roomControls: new RedisRoomControls(redis, prefix),
    meet: new RedisMeetDirectory(redis, prefix),
    board: new RedisBoardDirectory(redis, prefix),
    sequencer: new RedisSequencer(redis, prefix),
    limiter: (name, max, windowMs) =>
      new RedisWindowLimiter(redis, `${prefix}limit:${name}:`, max, windowMs),
  };
}
