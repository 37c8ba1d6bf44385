import type { SessionRef } from '../cluster/delivery.js';

/**
 * The meet queue as the cluster keeps it: one record per person who is not idle (idle =
 * no record), the waiting people in arrival order, recent matches, and who must not be
 * paired with whom. Every change is one atomic step (in Redis, one Lua script), so that
 * "nobody is paired twice", "Next while a match is being made" and the like hold across
 * nodes: whichever step runs second sees what the first did.
 */

/** Who the matched person sees on the other side. */
export interface MeetPeerInfo {
  name: string;
  language?: string;
  commonInterests: string[];
}

/** One person in meet (waiting, matched or in a call). */
export interface MeetPerson {
  /** The person (see `personOf`): a signed-in user, or a guest's session. */
  id: string;
  /** The tab that takes part. */
  ref: SessionRef;
  name: string;
  /** Lower-cased tags. */
  interests: string[];
  language?: string;
  state: 'waiting' | 'matched' | 'in-call';
  /** Waiting since (ms since epoch): arrival order, and how long they waited. */
  since: number;
  /** Set while matched or in a call. */
  matchId?: string;
  room?: string;
  joinBy?: number;
  peer?: MeetPeerInfo;
}

/** A pairing: kept after it ended for a while, so that either side can still report the other. */
export interface MeetMatchRecord {
  id: string;
  room: string;
  a: MeetPerson;
  b: MeetPerson;
  createdAt: number;
  joinBy: number;
  endedAt?: number;
}

/** The choices a pairing makes: from the configuration, and the ids of the match it makes. */
export interface PairRequest {
  now: number;
  /** After this long waiting (either side), anyone acceptable is paired. */
  anyoneAfterMs: number;
  /** Consider at most this many of the longest-waiting people. */
  scanLimit: number;
  matchId: string;
  room: string;
  joinBy: number;
}

export interface EndRequest {
  now: number;
  /** Only end this match (a no-show timer); anything else is `stale`. */
  matchId?: string;
  /** Queue the person again (Next) rather than taking them out (Stop, gone). */
  requeue: boolean;
  /** Not paired with each other again before this time (Next); absent: no skip. */
  skipUntil?: number;
}

export type EndOutcome =
  /** Not in meet. */
  | { kind: 'idle' }
  /** Was waiting: still waiting (`requeue`), or taken out. */
  | { kind: 'waiting'; removed: boolean }
  /** `matchId` was given and is not the person's current match. */
  | { kind: 'stale' }
  /**
   * A match ended. `other` is the other side queued again, or undefined when they had
   * left that match already.
   */
  | { kind: 'ended'; match: MeetMatchRecord; other: MeetPerson | undefined };

/** An exclusion that never runs out (block, report). */
export const FOREVER = 1e15;

export interface MeetDirectory {
  /** Start waiting; false when the person is in meet already. */
  start(person: MeetPerson): Promise<boolean>;
  get(personId: string): Promise<MeetPerson | undefined>;
  /** Pair this waiting person with the best acceptable waiting person, both at once. */
  pair(personId: string, request: PairRequest): Promise<MeetMatchRecord | undefined>;
  /** matched → in-call, when the person joined the match's room. The record, or undefined. */
  joined(personId: string, matchId: string): Promise<MeetPerson | undefined>;
  /** End the person's current match (both sides), or their wait. */
  end(personId: string, request: EndRequest): Promise<EndOutcome>;
  /** Keep two people apart until `until` (both ways); a later, shorter one does not shorten it. */
  exclude(a: string, b: string, until: number): Promise<void>;
  match(matchId: string): Promise<MeetMatchRecord | undefined>;
  waitingCount(): Promise<number>;
  /** The waits of the latest pairings, in ms (newest first). */
  recentWaits(): Promise<number[]>;
  /** Everyone whose tab is on that node. */
  ofNode(nodeId: string): Promise<MeetPerson[]>;
}

/** Recent waits kept for the estimate. */
export const RECENT_WAITS = 50;
/** How long an ended match stays readable (to report the person afterwards). */
export const MATCH_KEEP_MS = 3600_000;

/**
 * Whether `c` is acceptable for `me` now, and how good: overlapping interests first
 * (10 a tag), the same language next (5). Without interests on either side, two people
 * are acceptable when their languages do not differ; after `anyoneAfterMs` of waiting
 * (either side) anyone is. The Redis script implements the same rule in Lua.
 */
export function pairScore(
  me: MeetPerson,
  c: MeetPerson,
  now: number,
  anyoneAfterMs: number,
): { score: number; common: string[] } | null {
  const mine = new Set(me.interests);
  const common = c.interests.filter((t) => mine.has(t));
  const myLang = me.language?.toLowerCase();
  const theirLang = c.language?.toLowerCase();
  const sameLang = myLang !== undefined && myLang === theirLang;
  const langOk = myLang === undefined || theirLang === undefined || sameLang;
  const long = now - me.since >= anyoneAfterMs || now - c.since >= anyoneAfterMs;
  const ok =
    long || common.length > 0 || (me.interests.length === 0 && c.interests.length === 0 && langOk);
  return ok ? { score: common.length * 10 + (sameLang ? 5 : 0), common } : null;
}

/** The best score `me` could get: stop looking once a candidate reaches it. */
export function bestPossible(me: MeetPerson): number {
  return me.interests.length * 10 + (me.language ? 5 : 0);
}

export function peerOf(of: MeetPerson, common: string[]): MeetPeerInfo {
  return {
    name: of.name,
    ...(of.language === undefined ? {} : { language: of.language }),
    commonInterests: common,
  };
}

/** One process alone: plain maps, each step synchronous (so atomic). */
export class InMemoryMeetDirectory implements MeetDirectory {
  private readonly people = new Map<string, MeetPerson>();
  /** Insertion order = waiting order (re-inserted when queued again). */
  private readonly waiting = new Set<string>();
  private readonly matches = new Map<string, MeetMatchRecord>();
  private readonly exclusions = new Map<string, Map<string, number>>();
  private waits: number[] = [];
  private lastSweep = 0;

  start(person: MeetPerson): Promise<boolean> {
    if (this.people.has(person.id)) {
      return Promise.resolve(false);
    }
    this.people.set(person.id, { ...person, state: 'waiting' });
    this.waiting.add(person.id);
    return Promise.resolve(true);
  }

  get(personId: string): Promise<MeetPerson | undefined> {
    const p = this.people.get(personId);
    return Promise.resolve(p && structuredClone(p));
  }

  pair(personId: string, r: PairRequest): Promise<MeetMatchRecord | undefined> {
    const me = this.people.get(personId);
    if (!me || me.state !== 'waiting') {
      return Promise.resolve(undefined);
    }
    const excluded = this.exclusions.get(personId);
    const max = bestPossible(me);
    let best: { c: MeetPerson; score: number; common: string[] } | undefined;
    let scanned = 0;
    for (const id of this.waiting) {
      if (scanned++ >= r.scanLimit) {
        break;
      }
      const c = this.people.get(id);
      if (id === personId || !c || (excluded?.get(id) ?? 0) > r.now) {
        continue;
      }
      const s = pairScore(me, c, r.now, r.anyoneAfterMs);
      if (s && (!best || s.score > best.score)) {
        best = { c, ...s };
        if (s.score >= max) {
          break;
        }
      }
    }
    if (!best) {
      return Promise.resolve(undefined);
    }
    const other = best.c;
    for (const [p, q] of [
      [me, other],
      [other, me],
    ] as const) {
      this.waiting.delete(p.id);
      this.waits = [r.now - p.since, ...this.waits].slice(0, RECENT_WAITS);
      Object.assign(p, {
        state: 'matched',
        matchId: r.matchId,
        room: r.room,
        joinBy: r.joinBy,
        peer: peerOf(q, best.common),
      });
    }
    const match: MeetMatchRecord = {
      id: r.matchId,
      room: r.room,
      a: structuredClone(me),
      b: structuredClone(other),
      createdAt: r.now,
      joinBy: r.joinBy,
    };
    this.matches.set(match.id, match);
    this.forgetOldMatches(r.now);
    return Promise.resolve(structuredClone(match));
  }

  joined(personId: string, matchId: string): Promise<MeetPerson | undefined> {
    const p = this.people.get(personId);
    if (!p || p.matchId !== matchId) {
      return Promise.resolve(undefined);
    }
    p.state = 'in-call';
    return Promise.resolve(structuredClone(p));
  }

  end(personId: string, r: EndRequest): Promise<EndOutcome> {
    const me = this.people.get(personId);
    if (!me) {
      return Promise.resolve({ kind: 'idle' });
    }
    if (me.state === 'waiting') {
      if (r.matchId !== undefined) {
        return Promise.resolve({ kind: 'stale' });
      }
      if (!r.requeue) {
        this.people.delete(personId);
        this.waiting.delete(personId);
      }
      return Promise.resolve({ kind: 'waiting', removed: !r.requeue });
    }
    if (r.matchId !== undefined && me.matchId !== r.matchId) {
      return Promise.resolve({ kind: 'stale' });
    }
    const match = this.matches.get(me.matchId ?? '');
    const otherId = match && (match.a.id === personId ? match.b.id : match.a.id);
    this.leaveMatch(me, r.requeue, r.now);
    let other: MeetPerson | undefined;
    const o = otherId === undefined ? undefined : this.people.get(otherId);
    if (o && match && o.matchId === match.id) {
      this.leaveMatch(o, true, r.now);
      other = structuredClone(o);
    }
    if (r.skipUntil !== undefined && otherId !== undefined) {
      this.excludeNow(personId, otherId, r.skipUntil);
    }
    if (!match) {
      return Promise.resolve({ kind: 'waiting', removed: !r.requeue });
    }
    match.endedAt = r.now;
    return Promise.resolve({ kind: 'ended', match: structuredClone(match), other });
  }

  exclude(a: string, b: string, until: number): Promise<void> {
    this.excludeNow(a, b, until);
    return Promise.resolve();
  }

  match(matchId: string): Promise<MeetMatchRecord | undefined> {
    const m = this.matches.get(matchId);
    return Promise.resolve(m && structuredClone(m));
  }

  waitingCount(): Promise<number> {
    return Promise.resolve(this.waiting.size);
  }

  recentWaits(): Promise<number[]> {
    return Promise.resolve([...this.waits]);
  }

  ofNode(nodeId: string): Promise<MeetPerson[]> {
    return Promise.resolve(
      [...this.people.values()]
        .filter((p) => p.ref.nodeId === nodeId)
        .map((p) => structuredClone(p)),
    );
  }

  private leaveMatch(p: MeetPerson, requeue: boolean, now: number): void {
    if (!requeue) {
      this.people.delete(p.id);
      this.waiting.delete(p.id);
      return;
    }
    delete p.matchId;
    delete p.room;
    delete p.joinBy;
    delete p.peer;
    p.state = 'waiting';
    p.since = now;
    this.waiting.delete(p.id);
    this.waiting.add(p.id);
  }

  private excludeNow(a: string, b: string, until: number): void {
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      let m = this.exclusions.get(x);
      if (!m) {
        m = new Map();
        this.exclusions.set(x, m);
      }
      m.set(y, Math.max(m.get(y) ?? 0, until));
    }
  }

  private forgetOldMatches(now: number): void {
    // At most once a minute: a pass over the matches costs their number.
    if (now - this.lastSweep < 60_000) {
      return;
    }
    this.lastSweep = now;
    for (const [id, m] of this.matches) {
      if (m.endedAt !== undefined && now - m.endedAt >= MATCH_KEEP_MS) {
        this.matches.delete(id);
      }
    }
  }
}
