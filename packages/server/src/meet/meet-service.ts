import {
  PRIVATE_ROOM_PREFIX,
  isPrivateRoomId,
  type MeetEndReason,
  type MeetStateName,
  type ServerMessage,
} from '@parley/protocol';
import type { Gateway } from '../signaling/gateway.js';
import type { Session } from '../signaling/session.js';
import { ProtocolError, orUnavailable } from '../signaling/protocol-error.js';
import { randomId } from '../signaling/ids.js';
import { personOf, shownName } from '../signaling/person.js';
import type { Delivery, SessionRef } from '../cluster/delivery.js';
import type { NodeScoped } from '../cluster/cluster.js';
import type { RoomGrants } from '../rooms/index.js';
import { FOREVER, type EndOutcome, type MeetDirectory, type MeetPerson } from './meet-directory.js';
import { estimateWait, stateMessage } from './meet-messages.js';
import type { MeetStore } from './report-store.js';

export interface MeetOptions {
  enabled: boolean;
  anyoneAfterMs: number;
  skipMs: number;
  nextIntervalMs: number;
  joinTimeoutMs: number;
  pairIntervalMs: number;
  queuePushMs: number;
  scanLimit: number;
  /** How long the two may (re)join their private room. */
  grantTtlMs: number;
  /** Meet and the board exclude each other: does this person have open board posts? */
  hasOpenPosts: (personId: string) => Promise<boolean>;
  log: { error(obj: object, msg: string): void };
}

/** Meet as the composition root sees it. */
export interface MeetFeature extends NodeScoped {
  /** A session joined a room (rooms' afterJoin): the match's room makes it in-call. */
  afterJoin(session: Session, roomId: string): void;
  /** Is this person in meet (waiting, matched or in a call)? */
  isInMeet(personId: string): Promise<boolean>;
  close(): void;
}

/** The person a session put in meet (under `attachments`). */
const PERSON = 'meet.person';
const LAST_NEXT = 'meet.lastNext';

/** What this node knows of its own sessions in meet (for the pairing tick and the queue push). */
interface LocalEntry {
  session: Session;
  state: MeetStateName;
  /** The last `meet-queue` frame sent, so only changes go out. */
  pushed?: string;
}

/**
 * "Meet someone new": the server owns each person's state (idle, waiting, matched,
 * in-call) in the meet directory; this node handles its sessions' requests, pairs on
 * arrival and on a tick (for the wait and skip limits that run out), grants each match
 * a private room, and tells both sides through the delivery, on whichever node they are.
 */
export function registerMeet(
  gateway: Gateway,
  directory: MeetDirectory,
  grants: RoomGrants,
  delivery: Delivery,
  store: MeetStore,
  options: MeetOptions,
): MeetFeature {
  const local = new Map<string, LocalEntry>();
  const send = (ref: SessionRef, message: ServerMessage): void => {
    delivery.toSession(ref, JSON.stringify(message));
  };
  const note = (p: MeetPerson | undefined, id: string): void => {
    const entry = local.get(id);
    if (entry) {
      if (p) {
        entry.state = p.state;
      } else {
        forget(entry.session, id);
      }
    }
  };
  const forget = (session: Session, id: string): void => {
    if (local.get(id)?.session === session) {
      local.delete(id);
    }
    session.attachments.delete(PERSON);
  };
  const failed = (what: string) => (err: unknown) => options.log.error({ err }, what);
  const enabled = (): void => {
    if (!options.enabled) {
      throw new ProtocolError('meet_disabled', 'meet is turned off on this server');
    }
  };
  const shared = orUnavailable;

  /** Pair this person if anyone acceptable waits; tell both sides. */
  const tryPair = async (personId: string): Promise<void> => {
    const now = Date.now();
    const match = await directory.pair(personId, {
      now,
      anyoneAfterMs: options.anyoneAfterMs,
      scanLimit: options.scanLimit,
      matchId: randomId(),
      room: PRIVATE_ROOM_PREFIX + randomId(16),
      joinBy: now + options.joinTimeoutMs,
    });
    if (!match) {
      return;
    }
    // The grant before the news, so that a client that hears `matched` can join at once;
    // but the news goes out even if the grant failed (Redis away): both are matched in the
    // directory now, and a match nobody hears of would hold them until the no-show. A
    // join without the grant is refused, and the no-show then ends the match.
    await grants
      .grant(match.room, [match.a.ref.sessionId, match.b.ref.sessionId], options.grantTtlMs)
      .catch(failed('meet: room grant'));
    for (const p of [match.a, match.b]) {
      note(p, p.id);
      send(p.ref, stateMessage(p));
    }
  };

  /** After a match ended: the other side hears why, and both may be paired anew. */
  const afterEnd = async (outcome: EndOutcome, reason: MeetEndReason): Promise<void> => {
    if (outcome.kind !== 'ended' || !outcome.other) {
      return;
    }
    const other = outcome.other;
    note(other, other.id);
    send(other.ref, stateMessage(other, { reason }));
    await tryPair(other.id);
  };

  /** The person a session acts for in meet; only the tab that started can act. */
  const actor = (session: Session): string | undefined =>
    session.attachments.get(PERSON) as string | undefined;

  gateway.handle('meet-start', async (session, msg) => {
    enabled();
    if (actor(session) !== undefined) {
      throw new ProtocolError('meet_already_started', 'already in meet: stop first');
    }
    const id = personOf(session);
    if (await shared(options.hasOpenPosts(id))) {
      throw new ProtocolError('busy', 'withdraw your open board posts before meeting someone');
    }
    const now = Date.now();
    // Stored exclusions matter for signed-in users (they outlive sessions). A guest's are
    // keyed by its session and are in the directory already since it made them; skipping
    // the query keeps the database off a guest's Start (it was the two-node bottleneck).
    const excluded = id.startsWith('u:') ? await shared(store.excludedFor(id)) : [];
    await shared(Promise.all(excluded.map((other) => directory.exclude(id, other, FOREVER))));
    const started = await shared(
      directory.start({
        id,
        ref: delivery.refOf(session),
        name: shownName(session, msg.name),
        interests: [...new Set(msg.interests)],
        ...(msg.language === undefined ? {} : { language: msg.language }),
        state: 'waiting',
        since: now,
      }),
    );
    if (!started) {
      throw new ProtocolError('meet_already_started', 'already in meet (in another tab?)');
    }
    session.attachments.set(PERSON, id);
    const entry: LocalEntry = { session, state: 'waiting' };
    local.set(id, entry);
    session.send({ type: 'meet-state', state: 'waiting', ...rid(msg.rid) });
    await pushQueue([entry]).catch(failed('meet: queue push'));
    await tryPair(id).catch(failed('meet: pairing'));
  });

  gateway.handle('meet-next', async (session, msg) => {
    enabled();
    const id = actor(session);
    if (id === undefined) {
      throw new ProtocolError('meet_not_started', 'press Start first');
    }
    const now = Date.now();
    const last = session.attachments.get(LAST_NEXT) as number | undefined;
    if (last !== undefined && now - last < options.nextIntervalMs) {
      throw new ProtocolError(
        'next_too_soon',
        `wait ${Math.ceil((options.nextIntervalMs - (now - last)) / 1000)} s before the next Next`,
      );
    }
    const outcome = await shared(
      directory.end(id, { now, requeue: true, skipUntil: now + options.skipMs }),
    );
    if (outcome.kind === 'idle') {
      forget(session, id);
      throw new ProtocolError('meet_not_started', 'not in meet any more: press Start');
    }
    if (outcome.kind === 'ended') {
      session.attachments.set(LAST_NEXT, now);
    }
    const entry = local.get(id);
    if (entry) {
      entry.state = 'waiting';
    }
    session.send({
      type: 'meet-state',
      state: 'waiting',
      ...(outcome.kind === 'ended' ? { reason: 'next' as const } : {}),
      ...rid(msg.rid),
    });
    await afterEnd(outcome, 'moved_on').catch(failed('meet: next'));
    await tryPair(id).catch(failed('meet: pairing'));
  });

  gateway.handle('meet-stop', async (session, msg) => {
    enabled();
    const id = actor(session);
    const outcome =
      id === undefined
        ? ({ kind: 'idle' } as const)
        : await shared(directory.end(id, { now: Date.now(), requeue: false }));
    if (id !== undefined) {
      forget(session, id);
    }
    session.send({
      type: 'meet-state',
      state: 'idle',
      ...(outcome.kind === 'ended' ? { reason: 'stopped' as const } : {}),
      ...rid(msg.rid),
    });
    await afterEnd(outcome, 'left').catch(failed('meet: stop'));
  });

  const reportOrBlock = async (
    session: Session,
    msg: { matchId: string; next: boolean; rid?: string | undefined },
    record: (me: MeetPerson, other: MeetPerson, at: number) => Promise<void>,
  ): Promise<void> => {
    enabled();
    const id = actor(session) ?? personOf(session);
    const m = await shared(directory.match(msg.matchId));
    if (!m || (m.a.id !== id && m.b.id !== id)) {
      throw new ProtocolError('unknown_match', 'no recent match of yours with that id');
    }
    const [me, other] = m.a.id === id ? [m.a, m.b] : [m.b, m.a];
    const now = Date.now();
    await shared(directory.exclude(id, other.id, FOREVER));
    await shared(record(me, other, now));
    const current = await shared(directory.get(id));
    let outcome: EndOutcome = { kind: 'stale' };
    if (current?.matchId === m.id && current.ref.sessionId === session.id) {
      outcome = await shared(directory.end(id, { now, matchId: m.id, requeue: msg.next }));
    }
    const after = await shared(directory.get(id));
    note(after, id);
    if (!after) {
      forget(session, id);
    }
    session.send(
      stateMessage(after, {
        ...(outcome.kind === 'ended' ? { reason: msg.next ? 'next' : 'stopped' } : {}),
        rid: msg.rid,
      }),
    );
    await afterEnd(outcome, 'moved_on').catch(failed('meet: report'));
    if (after?.state === 'waiting') {
      await tryPair(id).catch(failed('meet: pairing'));
    }
  };

  gateway.handle('meet-report', (session, msg) =>
    reportOrBlock(session, msg, (me, other, at) =>
      store.report({
        createdAt: at,
        matchId: msg.matchId,
        reason: msg.reason,
        text: msg.text?.trim() || null,
        reporterSession: me.ref.sessionId,
        reportedSession: other.ref.sessionId,
        reporterPerson: me.id,
        reportedPerson: other.id,
      }),
    ),
  );

  gateway.handle('meet-block', (session, msg) =>
    reportOrBlock(session, msg, (me, other, at) => store.block(me.id, other.id, at)),
  );

  /** Gone for good (tab closed, resume grace over): the other side hears `disconnected`. */
  const gone = async (session: Session): Promise<void> => {
    const id = actor(session);
    if (id === undefined) {
      return;
    }
    forget(session, id);
    const p = await directory.get(id);
    if (p?.ref.sessionId !== session.id) {
      return;
    }
    await afterEnd(await directory.end(id, { now: Date.now(), requeue: false }), 'disconnected');
  };

  gateway.addHooks({
    // A dropped socket leaves the queue at once (nobody is paired with a ghost); a match
    // or a call waits for the resume grace, as the room seat does.
    sessionDetached: (session) => {
      const id = actor(session);
      if (id === undefined) {
        return;
      }
      void (async () => {
        const p = await directory.get(id);
        if (p?.state !== 'waiting' || p.ref.sessionId !== session.id) {
          return;
        }
        // Paired in between: that match ends too (the other is queued again).
        const outcome = await directory.end(id, { now: Date.now(), requeue: false });
        forget(session, id);
        session.send({ type: 'meet-state', state: 'idle' });
        await afterEnd(outcome, 'disconnected');
      })().catch(failed('meet: detach'));
    },
    sessionEnded: (session) => {
      gone(session).catch(failed('meet: session end'));
    },
  });

  /** Tell waiting people the queue length and the wait estimate, when it changed. */
  const pushQueue = async (entries: LocalEntry[]): Promise<void> => {
    if (entries.length === 0) {
      return;
    }
    const [waiting, waits] = await Promise.all([directory.waitingCount(), directory.recentWaits()]);
    const frame = JSON.stringify({
      type: 'meet-queue',
      waiting,
      estimatedWaitMs: estimateWait(waits),
    });
    for (const entry of entries) {
      if (entry.pushed !== frame && entry.state === 'waiting') {
        entry.pushed = frame;
        entry.session.sendRaw(frame, 'meet-queue');
      }
    }
  };

  /**
   * The tick: retry pairing, end matches nobody joined in time. An arrival already
   * scans everyone waiting (acceptability is mutual), so the tick only retries what time
   * changes: people who waited past --meet-anyone-after-ms (anyone is acceptable now),
   * and everyone every tenth tick (skips that ran out). Retrying everyone on every tick
   * cost a scan of the queue per waiting person per tick: with a thousand waiting, more
   * than Redis could do (bench/results/meet.json).
   */
  let ticking = false;
  let ticks = 0;
  const tick = async (): Promise<void> => {
    if (ticking || local.size === 0) {
      return;
    }
    ticking = true;
    const everyone = ++ticks % 10 === 0;
    try {
      const now = Date.now();
      for (const [id, entry] of [...local]) {
        const p = await directory.get(id);
        if (!p || p.ref.sessionId !== entry.session.id) {
          forget(entry.session, id);
          continue;
        }
        entry.state = p.state;
        if (p.state === 'waiting') {
          if (everyone || now - p.since >= options.anyoneAfterMs) {
            await tryPair(id);
          }
        } else if (p.state === 'matched' && p.joinBy !== undefined && p.joinBy <= now) {
          const outcome = await directory.end(id, {
            now,
            requeue: false,
            ...(p.matchId === undefined ? {} : { matchId: p.matchId }),
          });
          if (outcome.kind === 'ended') {
            forget(entry.session, id);
            entry.session.send({ type: 'meet-state', state: 'idle', reason: 'no_show' });
            await afterEnd(outcome, 'no_show');
          }
        }
      }
    } finally {
      ticking = false;
    }
  };
  const pairTimer = setInterval(() => {
    tick().catch(failed('meet: tick'));
  }, options.pairIntervalMs);
  pairTimer.unref();
  const pushTimer = setInterval(() => {
    pushQueue([...local.values()]).catch(failed('meet: queue push'));
  }, options.queuePushMs);
  pushTimer.unref();

  return {
    afterJoin(session, roomId) {
      const id = actor(session);
      if (id === undefined || !isPrivateRoomId(roomId)) {
        return;
      }
      void (async () => {
        const p = await directory.get(id);
        if (!p || p.room !== roomId || p.matchId === undefined || p.state === 'waiting') {
          return;
        }
        const now = await directory.joined(id, p.matchId);
        if (now) {
          note(now, id);
          session.send(stateMessage(now));
        }
      })().catch(failed('meet: joined'));
    },
    async isInMeet(personId) {
      return (await directory.get(personId)) !== undefined;
    },
    // A dead node's people: their matches end (`disconnected`), their waits go.
    async releaseNode(nodeId) {
      for (const p of await directory.ofNode(nodeId)) {
        await afterEnd(
          await directory.end(p.id, { now: Date.now(), requeue: false }),
          'disconnected',
        );
      }
    },
    // The shared state was lost (Redis restarted empty): this node's people start again.
    async restore() {
      for (const [id, entry] of [...local]) {
        forget(entry.session, id);
        entry.session.send({ type: 'meet-state', state: 'idle' });
      }
    },
    close() {
      clearInterval(pairTimer);
      clearInterval(pushTimer);
    },
  };
}

function rid(r: string | undefined): { rid?: string } {
  return r === undefined ? {} : { rid: r };
}
