import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Bus } from './bus.js';
import { InProcessBus } from './local-bus.js';

/**
 * This node's place in the cluster: its id, the bus, and the lease that tells the
 * other nodes it is alive. Features register what to do when another node dies (release
 * what it held) and when the shared state was lost and must be written again (Redis
 * restarted with nothing kept).
 */
export interface Cluster {
  readonly nodeId: string;
  readonly bus: Bus;
  /** False while the shared state (Redis) cannot be reached. */
  readonly ready: boolean;
  /** Runs on one surviving node, once, for each node whose lease ran out. */
  onNodeDead(handler: (nodeId: string) => Promise<void>): void;
  /**
   * Runs after the shared state came back empty (Redis restarted): each feature writes
   * this node's part of it again (seats, tabs, calls).
   */
  onRestore(handler: () => Promise<void>): void;
  /** Stop renewing the lease and close the connections (the lease is released). */
  close(): Promise<void>;
}

/** A node id that is unique enough: the host name and a random suffix. */
export function defaultNodeId(): string {
  return `${hostname()
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 40)}-${randomBytes(3).toString('hex')}`;
}

/** One process alone: no lease, no other node can die, nothing to restore. */
export class InProcessCluster implements Cluster {
  readonly bus = new InProcessBus();
  readonly ready = true;

  constructor(readonly nodeId: string = defaultNodeId()) {}

  onNodeDead(): void {}

  onRestore(): void {}

  close(): Promise<void> {
    return this.bus.close();
  }
}
