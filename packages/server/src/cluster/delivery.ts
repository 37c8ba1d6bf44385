import type { Session } from '../signaling/session.js';
import type { OutboundType } from '../signaling/observer.js';
import { topics, type BusHandler, type BusMessage } from './bus.js';
import type { Cluster } from './cluster.js';

interface Subscription {
  handler: BusHandler;
  /** Settles once the topic's subscription is active. */
  ready: Promise<void>;
}

/** Where one session lives: enough to reach it from any node. */
export interface SessionRef {
  readonly sessionId: string;
  readonly nodeId: string;
}

/**
 * Fan-out for every feature, on one node or many (socket.io's adapter is the model).
 * A frame is serialized once and addressed by plain ids: a session, a room or a user.
 * This node delivers to its own sockets; what is for sockets elsewhere goes over the
 * bus, one message per topic (room, user) or per node (named sessions).
 *
 * Local indexes: which of this node's sessions sit in each room and which are tabs of
 * each user. A node subscribes to a room's or user's topic while it has one there.
 */
export class Delivery {
  private readonly sessions = new Map<string, Session>();
  private readonly rooms = new Map<string, Set<Session>>();
  private readonly users = new Map<string, Set<Session>>();
  private readonly roomHandlers = new Map<string, Subscription>();
  private readonly userHandlers = new Map<string, Subscription>();
  private readonly channels = new Map<string, Set<Session>>();
  private readonly channelHandlers = new Map<string, Subscription>();
  private readonly onNodeMessage: BusHandler = (m) => {
    if (m.kind === 'frame-to') {
      for (const id of m.sessions) {
        this.sessions.get(id)?.sendRaw(m.frame, m.type);
      }
    }
  };

  constructor(private readonly cluster: Cluster) {}

  get nodeId(): string {
    return this.cluster.nodeId;
  }

  /** Listen on this node's own topic (frames for named sessions). */
  start(): Promise<void> {
    return this.cluster.bus.subscribe(topics.node(this.nodeId), this.onNodeMessage);
  }

  close(): void {
    this.cluster.bus.unsubscribe(topics.node(this.nodeId), this.onNodeMessage);
  }

  /** A reference to a session of this node, for directories to store. */
  refOf(session: Session): SessionRef {
    return { sessionId: session.id, nodeId: this.nodeId };
  }

  /** This node's session with that id, if it is still here. */
  local(sessionId: string): Session | undefined {
    return this.sessions.get(sessionId);
  }

  /** Every session of this node (for revocation and re-registration). */
  localSessions(): IterableIterator<Session> {
    return this.sessions.values();
  }

  /** Make a session reachable by id (after its hello). */
  add(session: Session): void {
    this.sessions.set(session.id, session);
  }

  remove(session: Session): void {
    this.sessions.delete(session.id);
  }

  /** `type` labels the frame in metrics when it does not start with its type (a relay). */
  toSession(ref: SessionRef, frame: string, type?: OutboundType): void {
    if (ref.nodeId === this.nodeId) {
      this.sessions.get(ref.sessionId)?.sendRaw(frame, type);
    } else {
      this.cluster.bus.publish(topics.node(ref.nodeId), {
        kind: 'frame-to',
        frame,
        sessions: [ref.sessionId],
        ...(type === undefined ? {} : { type }),
      });
    }
  }

  /** One bus message per node, whatever the number of sessions there. */
  toSessions(refs: Iterable<SessionRef>, frame: string): void {
    const byNode = new Map<string, string[]>();
    for (const ref of refs) {
      if (ref.nodeId === this.nodeId) {
        this.sessions.get(ref.sessionId)?.sendRaw(frame);
      } else {
        const list = byNode.get(ref.nodeId);
        if (list) {
          list.push(ref.sessionId);
        } else {
          byNode.set(ref.nodeId, [ref.sessionId]);
        }
      }
    }
    for (const [nodeId, sessions] of byNode) {
      this.cluster.bus.publish(topics.node(nodeId), { kind: 'frame-to', frame, sessions });
    }
  }

  /** Everyone in a room, on every node, but the session `except`. */
  toRoom(roomId: string, frame: string, except?: string): void {
    this.cluster.bus.publish(topics.room(roomId), frameMessage(frame, except));
  }

  /**
   * Everyone in a room, on every node, in the one order of the bus (see
   * `Bus.publishInOrder`); the sender gets `ownFrame` (its reply) in that same order.
   */
  toRoomInOrder(roomId: string, frame: string, sender: string, ownFrame: string): Promise<void> {
    return this.cluster.bus.publishInOrder(topics.room(roomId), {
      kind: 'frame',
      frame,
      except: sender,
      ownFrame,
    });
  }

  /** Every signed-in tab of a user, on every node, but the session `except`. */
  toUser(userId: string, frame: string, except?: string): void {
    this.cluster.bus.publish(topics.user(userId), frameMessage(frame, except));
  }

  /** Seat a local session in a room's fan-out (before the directory join, so nothing is missed). */
  joinRoom(roomId: string, session: Session): Promise<void> {
    return this.enter(this.rooms, this.roomHandlers, topics.room(roomId), roomId, session);
  }

  leaveRoom(roomId: string, session: Session): void {
    this.exit(this.rooms, this.roomHandlers, topics.room(roomId), roomId, session);
  }

  addUserTab(userId: string, session: Session): Promise<void> {
    return this.enter(this.users, this.userHandlers, topics.user(userId), userId, session);
  }

  removeUserTab(userId: string, session: Session): void {
    this.exit(this.users, this.userHandlers, topics.user(userId), userId, session);
  }

  /** Add a local session to a named audience (the board's watchers), on every node's fan-out. */
  watch(channel: string, session: Session): Promise<void> {
    return this.enter(
      this.channels,
      this.channelHandlers,
      topics.channel(channel),
      channel,
      session,
    );
  }

  unwatch(channel: string, session: Session): void {
    this.exit(this.channels, this.channelHandlers, topics.channel(channel), channel, session);
  }

  /** Everyone in a named audience, on every node, but the session `except`. */
  toChannel(channel: string, frame: string, except?: string): void {
    this.cluster.bus.publish(topics.channel(channel), frameMessage(frame, except));
  }

  /** Rooms with a seat on this node. */
  get localRoomCount(): number {
    return this.rooms.size;
  }

  /** Every user with a tab on this node, and those tabs. */
  localUsers(): IterableIterator<[string, ReadonlySet<Session>]> {
    return this.users.entries();
  }

  /** This node's tabs of a user. */
  localTabs(userId: string): Session[] {
    return [...(this.users.get(userId) ?? [])];
  }

  private enter(
    index: Map<string, Set<Session>>,
    handlers: Map<string, Subscription>,
    topic: string,
    key: string,
    session: Session,
  ): Promise<void> {
    let set = index.get(key);
    if (!set) {
      set = new Set();
      index.set(key, set);
    }
    set.add(session);
    const existing = handlers.get(key);
    if (existing) {
      return existing.ready;
    }
    const members = set;
    const handler: BusHandler = (m: BusMessage) => {
      if (m.kind !== 'frame') {
        return;
      }
      for (const s of members) {
        if (s.id !== m.except) {
          s.sendRaw(m.frame);
        } else if (m.ownFrame !== undefined) {
          s.sendRaw(m.ownFrame);
        }
      }
    };
    const ready = this.cluster.bus.subscribe(topic, handler);
    handlers.set(key, { handler, ready });
    return ready;
  }

  private exit(
    index: Map<string, Set<Session>>,
    handlers: Map<string, Subscription>,
    topic: string,
    key: string,
    session: Session,
  ): void {
    const set = index.get(key);
    if (!set || !set.delete(session) || set.size > 0) {
      return;
    }
    index.delete(key);
    const sub = handlers.get(key);
    if (sub) {
      handlers.delete(key);
      this.cluster.bus.unsubscribe(topic, sub.handler);
    }
  }
}

function frameMessage(frame: string, except: string | undefined): BusMessage {
  return except === undefined ? { kind: 'frame', frame } : { kind: 'frame', frame, except };
}
