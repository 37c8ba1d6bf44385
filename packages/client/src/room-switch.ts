import type { Participant, RoomEvents } from './room.js';
import type { MediaTopology, TopologyMode, TrackKind } from './topology/index.js';

/** How long a new topology may take to reach everyone before the old one closes anyway. */
export const DEFAULT_SWITCH_TIMEOUT_MS = 10_000;

/** What a room reports once media flows the new way (`mode-changed`). */
export interface ModeChange {
  mode: TopologyMode;
  /** From the server's `room-mode` to the old topology closing. */
  switchMs: number;
  /**
   * How long nobody's media came in: 0 when the new topology reached everyone before the
   * old one closed (make-before-break), else from the close to the new one reaching them.
   */
  gapMs: number;
  /** The old topology closed on the timeout, before the new one reached everyone. */
  timedOut: boolean;
}

/**
 * A topology being brought up beside the current one when the room changes mode. The
 * room keeps using the old one (tracks, data, states) while the new one connects to
 * everyone; what the new one reports meanwhile is kept here, so the room can hand it to
 * the participants in one go when it takes over. `ready` fires once, when the new
 * topology has a connected media path with a track to every participant who sends media
 * (`reachesEveryone`), or on the timeout; `reached` fires when it reaches everyone (also after a timeout).
 */
export class TopologySwitch {
  readonly startedAt = Date.now();
  /** What the new topology has delivered so far, per participant. */
  readonly tracks = new Map<string, Map<TrackKind, MediaStreamTrack>>();
  private readonly off: Array<() => void> = [];
  private readonly timer: ReturnType<typeof setTimeout>;
  private decided = false;
  private done = false;

  constructor(
    readonly topology: MediaTopology,
    readonly mode: TopologyMode,
    private readonly people: ReadonlyMap<string, Participant>,
    private readonly callbacks: { ready: (timedOut: boolean) => void; reached: () => void },
    timeoutMs = DEFAULT_SWITCH_TIMEOUT_MS,
  ) {
    this.off.push(
      topology.on('track-added', (id, track, kind) => {
        let mine = this.tracks.get(id);
        if (!mine) {
          mine = new Map();
          this.tracks.set(id, mine);
        }
        mine.set(kind, track);
        this.check();
      }),
      topology.on('track-removed', (id, kind) => this.tracks.get(id)?.delete(kind)),
      topology.on('connection-state', () => this.check()),
    );
    this.timer = setTimeout(() => this.decide(true), timeoutMs);
  }

  /**
   * Whether the new topology reaches every participant now: a connected path with a track
   * from each one who sends media. Someone with mic and camera off (a listener, a seat
   * without devices) publishes nothing to an SFU, so no track of theirs will ever come:
   * waiting for one made every switch with them in the room run into the timeout, close
   * the mesh early and never report. In a mesh they still have a connection of their own
   * (data), and that is waited for.
   */
  reachesEveryone(): boolean {
    return [...this.people.values()].every((p) => {
      const connected = this.topology.connectionState(p.id) === 'connected';
      if (!p.media.audio && !p.media.video) {
        return this.mode === 'sfu' || connected;
      }
      return connected && (this.tracks.get(p.id)?.size ?? 0) > 0;
    });
  }

  /** Look again (also right after the participants were added). */
  check(): void {
    if (this.done || !this.reachesEveryone()) {
      return;
    }
    this.decide(false);
    this.done = true;
    this.callbacks.reached();
    this.stop();
  }

  private decide(timedOut: boolean): void {
    if (!this.decided) {
      this.decided = true;
      clearTimeout(this.timer);
      this.callbacks.ready(timedOut);
    }
  }

  /** Stop listening (the topology itself stays: it is the room's now, or closed by it). */
  stop(): void {
    clearTimeout(this.timer);
    this.done = true;
    for (const f of this.off.splice(0)) {
      f();
    }
  }
}

type Emit = <K extends keyof RoomEvents>(event: K, ...args: RoomEvents[K]) => void;

/**
 * The new topology takes over: what it delivered while it was pending becomes the
 * participants' tracks and states, with the room events a change of each brings.
 */
export function handOver(
  pending: TopologySwitch,
  people: ReadonlyMap<string, Participant>,
  emit: Emit,
): void {
  for (const p of people.values()) {
    const now = pending.tracks.get(p.id) ?? new Map<TrackKind, MediaStreamTrack>();
    for (const kind of Object.keys(p.tracks) as TrackKind[]) {
      if (!now.has(kind)) {
        delete p.tracks[kind];
        emit('track-removed', p, kind);
      }
    }
    for (const [kind, track] of now) {
      if (p.tracks[kind] !== track) {
        p.tracks[kind] = track;
        emit('track-added', p, track, kind);
      }
    }
    const state = pending.topology.connectionState(p.id) ?? 'connecting';
    if (p.connection !== state) {
      p.connection = state;
      emit('connection-state', p, state);
    }
  }
}
