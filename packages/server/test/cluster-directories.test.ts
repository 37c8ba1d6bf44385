import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRef } from '../src/cluster/delivery.js';
import { closeRedis, openRedis, whenReady } from '../src/cluster/redis-connection.js';
import {
  InMemoryCallDirectory,
  type CallDirectory,
  type CallRecord,
} from '../src/calls/call-directory.js';
import { RedisCallDirectory } from '../src/calls/redis-call-directory.js';
import {
  InMemoryPresenceDirectory,
  type PresenceDirectory,
} from '../src/contacts/presence-directory.js';
import { RedisPresenceDirectory } from '../src/contacts/redis-presence-directory.js';
import { RedisRoomDirectory } from '../src/rooms/redis-room-directory.js';
import {
  InMemoryRoomDirectory,
  type RoomDirectory,
  type RoomLimits,
  type RoomMember,
} from '../src/rooms/room-directory.js';
import {
  InMemorySfuRoomDirectory,
  type SfuRoomDirectory,
} from '../src/media/sfu-room-directory.js';
import { RedisSfuRoomDirectory } from '../src/media/redis-sfu-room-directory.js';
import { InMemoryBoardDirectory, type BoardDirectory } from '../src/board/board-directory.js';
import { RedisBoardDirectory } from '../src/board/redis-board-directory.js';
import {
  InMemoryRoomControls,
  type RoomControlDirectory,
  type Waiter,
} from '../src/rooms/room-controls.js';
import { RedisRoomControls } from '../src/rooms/redis-room-controls.js';
import { dropPrefix, REDIS_TEST_URL, redisProblem, uniquePrefix } from './redis-env.js';

/**
 * One suite, two back ends: the in-process directories and the Redis ones. Every factory
 * returns two handles on the same state; on Redis they use two separate connections, so
 * the races below are real races between two clients (two nodes).
 */
interface Directories {
  rooms(limits: RoomLimits): [RoomDirectory, RoomDirectory];
  presence(): [PresenceDirectory, PresenceDirectory];
  calls(): [CallDirectory, CallDirectory];
  sfuRooms(): [SfuRoomDirectory, SfuRoomDirectory];
  roomControls(): [RoomControlDirectory, RoomControlDirectory];
  board(): [BoardDirectory, BoardDirectory];
}

function describeDirectories(title: string, suite: (dirs: () => Directories) => void): void {
  describe(`${title} [in-process]`, () => {
    suite(() => ({
      rooms: (limits) => twice(new InMemoryRoomDirectory(limits)),
      presence: () => twice(new InMemoryPresenceDirectory()),
      calls: () => twice(new InMemoryCallDirectory()),
      sfuRooms: () => twice(new InMemorySfuRoomDirectory()),
      roomControls: () => twice(new InMemoryRoomControls()),
      board: () => twice(new InMemoryBoardDirectory()),
    }));
  });
  describe.skipIf(redisProblem !== null)(`${title} [redis]`, () => {
    let a: Redis;
    let b: Redis;
    let prefix = '';
    beforeAll(async () => {
      a = openRedis(REDIS_TEST_URL, { name: 'test-a' });
      b = openRedis(REDIS_TEST_URL, { name: 'test-b' });
      await Promise.all([whenReady(a, 5000), whenReady(b, 5000)]);
    });
    afterAll(async () => {
      await Promise.all([closeRedis(a), closeRedis(b)]);
    });
    beforeEach(() => {
      prefix = uniquePrefix();
    });
    afterEach(async () => {
      await dropPrefix(REDIS_TEST_URL, prefix);
    });
    suite(() => ({
      rooms: (limits) => [
        new RedisRoomDirectory(a, prefix, limits),
        new RedisRoomDirectory(b, prefix, limits),
      ],
      presence: () => [
        new RedisPresenceDirectory(a, prefix),
        new RedisPresenceDirectory(b, prefix),
      ],
      calls: () => [new RedisCallDirectory(a, prefix), new RedisCallDirectory(b, prefix)],
      sfuRooms: () => [new RedisSfuRoomDirectory(a, prefix), new RedisSfuRoomDirectory(b, prefix)],
      roomControls: () => [new RedisRoomControls(a, prefix), new RedisRoomControls(b, prefix)],
      board: () => [new RedisBoardDirectory(a, prefix), new RedisBoardDirectory(b, prefix)],
    }));
  });
}

function twice<T>(x: T): [T, T] {
  return [x, x];
}

const LIMITS: RoomLimits = { maxRoomSize: 6, maxRooms: 100 };

function member(peerId: string, nodeId = 'n1'): RoomMember {
  return {
    peerId,
    sessionId: `s-${peerId}`,
    nodeId,
    name: `Name ${peerId} ✓ "quoted"\nnewline`,
    media: { audio: true, video: false },
    joinedAt: 1_795_778_561_633,
  };
}

describeDirectories('room directory', (dirs) => {
  it('seats members and lists them in join order', async () => {
    const [rooms] = dirs().rooms(LIMITS);
    expect(await rooms.join('r', member('p1'))).toEqual({ ok: true, peers: [] });
    expect(await rooms.join('r', member('p2'))).toEqual({ ok: true, peers: [member('p1')] });
    expect(await rooms.join('r', member('p3'))).toEqual({
      ok: true,
      peers: [member('p1'), member('p2')],
    });
    for (let i = 4; i <= 6; i++) {
      await rooms.join('r', member(`p${i}`));
    }
    expect((await rooms.members('r')).map((m) => m.peerId)).toEqual([
      'p1',
      'p2',
      'p3',
      'p4',
      'p5',
      'p6',
    ]);
    expect(await rooms.get('r', 'p2')).toEqual(member('p2'));
    expect(await rooms.get('r', 'nobody')).toBeUndefined();
    expect(await rooms.members('empty')).toEqual([]);
    expect(await rooms.roomCount()).toBe(1);
    expect(await rooms.seatCount()).toBe(6);
  });

  it('refuses a seat in a full room', async () => {
    const [rooms] = dirs().rooms({ maxRoomSize: 2, maxRooms: 10 });
    await rooms.join('r', member('p1'));
    await rooms.join('r', member('p2'));
    expect(await rooms.join('r', member('p3'))).toEqual({ ok: false, reason: 'full' });
    expect(await rooms.seatCount()).toBe(2);
  });

  it('gives the last seats to exactly as many of 20 concurrent joins', async () => {
    const [a, b] = dirs().rooms(LIMITS);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).join('r', member(`p${i}`))),
    );
    const seated = outcomes.filter((o) => o.ok);
    expect(seated).toHaveLength(6);
    expect(outcomes.filter((o) => !o.ok && o.reason === 'full')).toHaveLength(14);
    expect(await a.members('r')).toHaveLength(6);
    expect(await b.seatCount()).toBe(6);
  });

  it('refuses to open one room too many, and counts rooms', async () => {
    const [rooms] = dirs().rooms({ maxRoomSize: 6, maxRooms: 2 });
    await rooms.join('r1', member('p1'));
    await rooms.join('r2', member('p2'));
    expect(await rooms.join('r3', member('p3'))).toEqual({ ok: false, reason: 'too_many_rooms' });
    expect((await rooms.join('r1', member('p4'))).ok).toBe(true);
    expect(await rooms.roomCount()).toBe(2);
    await rooms.leave('r2', 'p2');
    expect(await rooms.roomCount()).toBe(1);
    expect((await rooms.join('r3', member('p3'))).ok).toBe(true);
  });

  it('leave returns the rest, and the last leave closes the room', async () => {
    const [rooms] = dirs().rooms(LIMITS);
    await rooms.join('r', member('p1'));
    await rooms.join('r', member('p2'));
    await rooms.join('r', member('p3'));
    expect(await rooms.leave('r', 'p2')).toEqual([member('p1'), member('p3')]);
    expect(await rooms.leave('r', 'p2')).toBeUndefined();
    expect(await rooms.leave('nowhere', 'p1')).toBeUndefined();
    expect(await rooms.leave('r', 'p1')).toEqual([member('p3')]);
    expect(await rooms.leave('r', 'p3')).toEqual([]);
    expect(await rooms.members('r')).toEqual([]);
    expect(await rooms.roomCount()).toBe(0);
    expect(await rooms.seatCount()).toBe(0);
    expect(await rooms.seatsOfNode('n1')).toEqual([]);
  });

  it('changes a seat’s media state', async () => {
    const [rooms] = dirs().rooms(LIMITS);
    await rooms.join('r', member('p1'));
    await rooms.join('r', member('p2'));
    const media = { audio: false, video: true, screen: true };
    expect(await rooms.setMedia('r', 'p1', media)).toBe(true);
    expect(await rooms.get('r', 'p1')).toEqual({ ...member('p1'), media });
    expect((await rooms.members('r')).map((m) => m.peerId)).toEqual(['p1', 'p2']);
    expect(await rooms.setMedia('r', 'gone', media)).toBe(false);
    expect(await rooms.setMedia('nowhere', 'p1', media)).toBe(false);
  });

  it('lists the seats held through a node', async () => {
    const [rooms] = dirs().rooms(LIMITS);
    await rooms.join('r1', member('p1', 'n1'));
    await rooms.join('r1', member('p2', 'n2'));
    await rooms.join('r2', member('p3', 'n1'));
    await rooms.join('r2', member('p4', 'n2'));
    await rooms.leave('r2', 'p4');
    const sorted = (refs: { roomId: string; peerId: string }[]) =>
      [...refs].sort((x, y) => x.peerId.localeCompare(y.peerId));
    expect(sorted(await rooms.seatsOfNode('n1'))).toEqual([
      { roomId: 'r1', peerId: 'p1' },
      { roomId: 'r2', peerId: 'p3' },
    ]);
    expect(await rooms.seatsOfNode('n2')).toEqual([{ roomId: 'r1', peerId: 'p2' }]);
    expect(await rooms.seatsOfNode('n3')).toEqual([]);
  });

  it('restores seats beyond the limits, once each', async () => {
    const [rooms] = dirs().rooms({ maxRoomSize: 1, maxRooms: 1 });
    await rooms.restore('r1', member('p1'));
    await rooms.restore('r1', member('p2', 'n2'));
    await rooms.restore('r2', member('p3'));
    await rooms.restore('r1', member('p1'));
    expect((await rooms.members('r1')).map((m) => m.peerId)).toEqual(['p1', 'p2']);
    expect(await rooms.roomCount()).toBe(2);
    expect(await rooms.seatCount()).toBe(3);
    expect(await rooms.seatsOfNode('n2')).toEqual([{ roomId: 'r1', peerId: 'p2' }]);
    expect(await rooms.join('r1', member('p4'))).toEqual({ ok: false, reason: 'full' });
    expect(await rooms.leave('r1', 'p2')).toEqual([member('p1')]);
  });
});

const tab = (sessionId: string, nodeId = 'n1'): SessionRef => ({ sessionId, nodeId });

describeDirectories('presence directory', (dirs) => {
  it('reports each change of presence exactly once', async () => {
    const [p] = dirs().presence();
    expect(await p.presenceOf('u')).toBe('offline');
    expect(await p.addTab('u', tab('s1'))).toBe('online');
    expect(await p.addTab('u', tab('s2', 'n2'))).toBeNull();
    expect(await p.addTab('u', tab('s2', 'n2'))).toBeNull();
    expect(await p.setInCall('u', true)).toBe('in_call');
    expect(await p.setInCall('u', true)).toBeNull();
    expect(await p.presenceOf('u')).toBe('in_call');
    expect(await p.setInCall('u', false)).toBe('online');
    expect(await p.removeTab('u', tab('s1'))).toBeNull();
    expect(await p.removeTab('u', tab('s2', 'n2'))).toBe('offline');
    expect(await p.removeTab('u', tab('s2', 'n2'))).toBeNull();
    expect(await p.setInCall('u', false)).toBeNull();
    expect(await p.presenceOf('u')).toBe('offline');
  });

  it('keeps "in a call" while offline, like the engine expects', async () => {
    const [p] = dirs().presence();
    expect(await p.setInCall('u', true)).toBeNull();
    expect(await p.addTab('u', tab('s1'))).toBe('in_call');
    expect(await p.removeTab('u', tab('s1'))).toBe('offline');
  });

  it('of two concurrent removals of the last two tabs, exactly one sees offline', async () => {
    const [a, b] = dirs().presence();
    for (let i = 0; i < 10; i++) {
      const user = `u${i}`;
      await a.addTab(user, tab(`s${i}a`, 'n1'));
      await b.addTab(user, tab(`s${i}b`, 'n2'));
      const results = await Promise.all([
        a.removeTab(user, tab(`s${i}a`, 'n1')),
        b.removeTab(user, tab(`s${i}b`, 'n2')),
      ]);
      expect(results.filter((r) => r === 'offline')).toHaveLength(1);
      expect(results.filter((r) => r === null)).toHaveLength(1);
    }
    expect(await a.onlineCount()).toBe(0);
  });

  it('lists the tabs of a user and of a node, and counts who is online', async () => {
    const [p] = dirs().presence();
    await p.addTab('u1', tab('s1', 'n1'));
    await p.addTab('u1', tab('s-2_x', 'node/with/slashes'));
    await p.addTab('u2', tab('s3', 'n1'));
    await p.setInCall('u2', true);
    const bySession = <T extends { sessionId: string }>(list: T[]) =>
      [...list].sort((x, y) => x.sessionId.localeCompare(y.sessionId));
    expect(bySession(await p.tabsOf('u1'))).toEqual([
      { sessionId: 's-2_x', nodeId: 'node/with/slashes' },
      { sessionId: 's1', nodeId: 'n1' },
    ]);
    expect(await p.tabsOf('nobody')).toEqual([]);
    expect(bySession(await p.tabsOfNode('n1'))).toEqual([
      { userId: 'u1', sessionId: 's1' },
      { userId: 'u2', sessionId: 's3' },
    ]);
    expect(await p.tabsOfNode('node/with/slashes')).toEqual([{ userId: 'u1', sessionId: 's-2_x' }]);
    expect(await p.onlineCount()).toBe(2);
    expect(await p.presenceOfMany(['u1', 'u2', 'u3', 'u1'])).toEqual(
      new Map([
        ['u1', 'online'],
        ['u2', 'in_call'],
        ['u3', 'offline'],
      ]),
    );
    expect(await p.presenceOfMany([])).toEqual(new Map());
    await p.removeTab('u1', tab('s1', 'n1'));
    expect(await p.tabsOfNode('n1')).toEqual([{ userId: 'u2', sessionId: 's3' }]);
    expect(await p.onlineCount()).toBe(2);
  });
});

function callRecord(id: string, caller: string, callee: string): CallRecord {
  return {
    id,
    caller: { id: caller, username: `@${caller}` },
    callee: { id: callee, username: `@${callee}` },
    media: 'video',
    state: 'ringing',
    createdAt: 1_795_778_561_633,
    version: 1,
    callerEndpoint: { sessionId: `s-${caller}`, nodeId: 'n1' },
    ringing: [
      { sessionId: `s-${callee}-1`, nodeId: 'n2' },
      { sessionId: `s-${callee}-2`, nodeId: 'n3' },
    ],
  };
}

/** The same call, one version on, accepted by the callee's first tab. */
function accepted(call: CallRecord): CallRecord {
  const { ringing, ...rest } = call;
  return {
    ...rest,
    version: call.version + 1,
    state: 'active',
    answeredAt: call.createdAt + 1000,
    calleeEndpoint: ringing[0],
    ringing: [],
  };
}

function ended(call: CallRecord): CallRecord {
  return {
    ...call,
    version: call.version + 1,
    state: 'ended',
    endedAt: call.createdAt + 5000,
    endReason: 'hangup',
    ringing: [],
  };
}

describeDirectories('call directory', (dirs) => {
  it('creates a call unless the caller or the callee already has one', async () => {
    const [calls] = dirs().calls();
    expect(await calls.create(callRecord('c1', 'a', 'b'))).toEqual({ ok: true });
    expect(await calls.create(callRecord('c2', 'c', 'b'))).toEqual({ ok: false, busyUserId: 'b' });
    expect(await calls.create(callRecord('c3', 'a', 'c'))).toEqual({ ok: false, busyUserId: 'a' });
    expect(await calls.create(callRecord('c4', 'b', 'a'))).toEqual({ ok: false, busyUserId: 'b' });
    expect(await calls.get('c2')).toBeUndefined();
    expect(await calls.liveCount()).toBe(1);
  });

  it('finds a call by id and by either user', async () => {
    const [calls] = dirs().calls();
    const c1 = callRecord('c1', 'a', 'b');
    await calls.create(c1);
    expect(await calls.get('c1')).toEqual(c1);
    expect(await calls.ofUser('a')).toEqual(c1);
    expect(await calls.ofUser('b')).toEqual(c1);
    expect(await calls.ofUser('c')).toBeUndefined();
    expect(await calls.get('nope')).toBeUndefined();
  });

  it('replaces by compare and set on the version', async () => {
    const [a, b] = dirs().calls();
    const c1 = callRecord('c1', 'a', 'b');
    await a.create(c1);
    const active = accepted(c1);
    expect(await a.replace(active)).toBe(true);
    expect(await b.replace(active)).toBe(false);
    expect(await b.get('c1')).toEqual(active);

    const mine = { ...active, version: active.version + 1, media: 'audio' as const };
    const theirs = { ...active, version: active.version + 1, answeredAt: 42 };
    for (let i = 0; i < 5; i++) {
      const next = (x: CallRecord) => ({ ...x, version: x.version + i });
      const wins = await Promise.all([a.replace(next(mine)), b.replace(next(theirs))]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      const stored = await a.get('c1');
      expect(stored).toEqual(wins[0] ? next(mine) : next(theirs));
    }
  });

  it('an ended call frees both users and stays readable for a while', async () => {
    const [calls] = dirs().calls();
    const c1 = callRecord('c1', 'a', 'b');
    await calls.create(c1);
    const over = ended(c1);
    expect(await calls.replace(over)).toBe(true);
    expect(await calls.replace({ ...over, version: over.version + 1 })).toBe(false);
    expect(await calls.get('c1')).toEqual(over);
    expect(await calls.ofUser('a')).toBeUndefined();
    expect(await calls.ofUser('b')).toBeUndefined();
    expect(await calls.liveCount()).toBe(0);
    expect(await calls.ofNode('n1')).toEqual([]);
    expect(await calls.create(callRecord('c2', 'b', 'a'))).toEqual({ ok: true });
    expect(await calls.ofUser('a')).toMatchObject({ id: 'c2' });
  });

  it('lists the live calls with an endpoint on a node', async () => {
    const [calls] = dirs().calls();
    const c1 = callRecord('c1', 'a', 'b');
    const c2 = {
      ...callRecord('c2', 'c', 'd'),
      callerEndpoint: { sessionId: 's-c', nodeId: 'n4' },
    };
    await calls.create(c1);
    await calls.create(c2);
    const ids = async (node: string) => (await calls.ofNode(node)).map((c) => c.id).sort();
    expect(await ids('n1')).toEqual(['c1']);
    expect(await ids('n2')).toEqual(['c1', 'c2']);
    expect(await ids('n3')).toEqual(['c1', 'c2']);
    expect(await ids('n4')).toEqual(['c2']);
    const active = accepted(c1);
    await calls.replace(active);
    expect(await ids('n2')).toEqual(['c1', 'c2']);
    expect(await ids('n3')).toEqual(['c2']);
    expect(await calls.ofNode('n1')).toEqual([active]);
    await calls.replace(ended(active));
    expect(await ids('n1')).toEqual([]);
    expect(await ids('n2')).toEqual(['c2']);
  });

  it('restores a lost call, and leaves a known one alone', async () => {
    const [calls] = dirs().calls();
    const c1 = callRecord('c1', 'a', 'b');
    await calls.restore(c1);
    expect(await calls.get('c1')).toEqual(c1);
    expect(await calls.ofUser('b')).toEqual(c1);
    await calls.restore({ ...c1, version: 7 });
    expect(await calls.get('c1')).toEqual(c1);
    expect(await calls.liveCount()).toBe(1);
  });
});

describeDirectories('SFU room directory', (dirs) => {
  const record = (id: string) => ({ janusRoom: id, secret: `s-${id}`, pin: `p-${id}` });

  it('switches a room once: of two nodes racing, one moves it and announces it', async () => {
    const [a, b] = dirs().sfuRooms();
    expect(await a.mode('r')).toBe('mesh');
    const won = await Promise.all([
      a.switchMode('r', 'mesh', 'sfu'),
      b.switchMode('r', 'mesh', 'sfu'),
    ]);
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await b.mode('r')).toBe('sfu');
    expect(await a.switchMode('r', 'sfu', 'mesh')).toBe(true);
    expect(await b.mode('r')).toBe('mesh');
  });

  it('keeps the first videoroom record, and forgets it with the room', async () => {
    const [a, b] = dirs().sfuRooms();
    const [one, two] = await Promise.all([
      a.videoroom('r', record('1')),
      b.videoroom('r', record('2')),
    ]);
    expect(one).toEqual(two);
    await a.switchMode('r', 'mesh', 'sfu');
    expect(await b.remove('r')).toEqual(one);
    expect(await a.mode('r')).toBe('mesh');
    expect(await a.remove('r')).toBeUndefined();
  });
});

// Both lists are shown in order to people ("the longest waiting first", "oldest post
// first"), and a host answers the first waiter: the order must not depend on the clock.
const SAME_MS = 1_795_778_561_633;

function waiter(id: string, nodeId: string): Waiter {
  return { id, sessionId: `s-${id}`, nodeId, name: id, since: SAME_MS };
}

describeDirectories('lobby', (dirs) => {
  it('lists waiters in the order they knocked, from two nodes within one millisecond', async () => {
    const [a, b] = dirs().roomControls();
    const ids = ['w6', 'w2', 'w3', 'w1', 'w5', 'w4'];
    for (const [i, id] of ids.entries()) {
      expect(await (i % 2 ? b : a).addWaiter('r', waiter(id, i % 2 ? 'n2' : 'n1'), 10)).toBe(true);
    }
    expect(await a.addWaiter('r', waiter('w7', 'n1'), 6)).toBe(false);
    expect((await b.waiters('r')).map((w) => w.id)).toEqual(ids);
    expect((await a.takeWaiter('r', 'w3'))?.id).toBe('w3');
    expect(await b.takeWaiter('r', 'w3')).toBeUndefined();
    const left = ['w6', 'w2', 'w1', 'w5', 'w4'];
    expect((await a.waiters('r')).map((w) => w.id)).toEqual(left);
    expect((await b.delete('r')).map((w) => w.id)).toEqual(left);
    expect(await a.waiters('r')).toEqual([]);
  });
});

describeDirectories('board directory', (dirs) => {
  it('lists posts in the order they were taken, from two nodes within one millisecond', async () => {
    const [a, b] = dirs().board();
    const limits = { maxPosts: 10, maxPerPerson: 1 };
    // Ids that sort against the posting order: a tie on the clock must not fall back to them.
    const topics = ['t6', 't2', 't3', 't1', 't5', 't4'];
    for (const [i, topic] of topics.entries()) {
      const post = {
        id: `id-${topic}`,
        name: topic,
        topic,
        media: 'audio' as const,
        postedAt: SAME_MS,
        expiresAt: SAME_MS + 60_000,
        owner: `owner-${topic}`,
        ref: { nodeId: i % 2 ? 'n2' : 'n1', sessionId: `s-${topic}` },
      };
      expect(await (i % 2 ? b : a).post(post, limits)).toBe('ok');
    }
    expect((await b.list()).map((p) => p.topic)).toEqual(topics);
    expect((await a.withdraw('id-t2', 'owner-t2'))?.topic).toBe('t2');
    expect((await b.list()).map((p) => p.topic)).toEqual(['t6', 't3', 't1', 't5', 't4']);
  });
});
