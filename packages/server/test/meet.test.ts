import { expect, it } from 'vitest';
import { isPrivateRoomId } from '@parley/protocol';
import { MeetStore } from '../src/meet/index.js';
import { reportsCommand } from '../src/cli/reports.js';
import { eventually, pause, signUp, type Tab } from './accounts-harness.js';
import { describeDeployments } from './store-backends.js';
import { dropConnection, last, meetEnvs } from './meet-harness.js';

type Msg = Record<string, unknown>;
const media = { audio: true, video: true };

/** Start meet on a tab; resolves with the `waiting` answer. */
async function start(t: Tab, name: string, extra: Msg = {}): Promise<Msg> {
  const reply = await t.request({ type: 'meet-start', name, ...extra });
  expect(reply).toMatchObject({ type: 'meet-state', state: 'waiting' });
  return reply;
}

/** The next `matched` push of a tab. */
const matched = (t: Tab): Promise<Msg> =>
  t.next('meet-state', (m) => m.state === 'matched', 8000) as Promise<Msg>;
const matchOf = (m: Msg): { matchId: string; room: string; peer: Msg } =>
  m.match as { matchId: string; room: string; peer: Msg };

/**
 * "Meet someone new" over real WebSockets: the per-person state machine the server
 * owns, its races, exclusions and limits, on one node and across two.
 */
describeDeployments('meet', (backend) => {
  const env = meetEnvs(backend);

  /** Two strangers paired: their tabs and the match each was told. */
  async function pairTwo(e: Awaited<ReturnType<typeof env>>) {
    const a = await e.tab();
    const b = await e.tab();
    await start(a, 'Ann');
    const ma = matched(a);
    const mb = matched(b);
    await start(b, 'Bob');
    return { a, b, ma: await ma, mb: await mb };
  }

  it('pairs two waiting people into a private room; joining makes each in-call', async () => {
    const e = await env();
    const a = await e.tab();
    const b = await e.tab();
    await start(a, 'Ann', { interests: ['Chess', 'jazz'], language: 'en' });
    // Told the queue while waiting: only Ann so far.
    expect(await a.next('meet-queue')).toMatchObject({ waiting: 1 });
    const ma = matched(a);
    const mb = matched(b);
    await start(b, 'Bob', { interests: ['chess '] });
    const [A, B] = [matchOf(await ma), matchOf(await mb)];
    expect(A.matchId).toBe(B.matchId);
    expect(A.room).toBe(B.room);
    expect(isPrivateRoomId(A.room)).toBe(true);
    expect(A.peer).toEqual({ name: 'Bob', commonInterests: ['chess'] });
    expect(B.peer).toEqual({ name: 'Ann', language: 'en', commonInterests: ['chess'] });

    const inCall = a.next('meet-state', (m) => m.state === 'in-call');
    const ja = await a.request({ type: 'join', room: A.room, name: 'Ann', media });
    expect(ja.type).toBe('joined');
    expect(await inCall).toMatchObject({ match: { matchId: A.matchId } });
    const jb = await b.request({ type: 'join', room: B.room, name: 'Bob', media });
    expect((jb.peers as Msg[]).map((p) => p.name)).toEqual(['Ann']);
    await b.next('meet-state', (m) => m.state === 'in-call');
    // Chat beside the call, as in any room.
    b.send({ type: 'chat-send', clientId: 'c1', text: 'hi Ann' });
    expect(await a.next('chat-message')).toMatchObject({
      message: { text: 'hi Ann', name: 'Bob' },
    });
  });

  it('a paired couple can join their private room and nobody else can', async () => {
    const e = await env();
    const { a, ma } = await pairTwo(e);
    const { room } = matchOf(ma);
    const c = await e.tab();
    expect(await c.request({ type: 'join', room, name: 'Eve', media })).toMatchObject({
      type: 'error',
      code: 'room_private',
    });
    // Nor any other room of the reserved form; ordinary rooms stay open.
    expect(
      await c.request({ type: 'join', room: 'pair--made-up-by-eve', name: 'Eve', media }),
    ).toMatchObject({ code: 'room_private' });
    expect(await c.request({ type: 'join', room: 'open-room', name: 'Eve', media })).toMatchObject({
      type: 'joined',
    });
    expect(await a.request({ type: 'join', room, name: 'Ann', media })).toMatchObject({
      type: 'joined',
    });
  });

  it('prefers overlapping interests, and pairs anyone after the configured wait', async () => {
    const e = await env({ meetAnyoneAfterMs: 1500 });
    const chess = await e.tab();
    const music = await e.tab();
    await start(chess, 'Chess fan', { interests: ['chess'] });
    await start(music, 'Music fan', { interests: ['music'] });
    // No overlap: neither is paired yet, over many ticks.
    await pause(400);
    expect(chess.all('meet-state').some((m) => m.state === 'matched')).toBe(false);
    const other = await e.tab();
    const mOther = matched(other);
    const mChess = matched(chess);
    await start(other, 'Also chess', { interests: ['chess', 'go'] });
    expect(matchOf(await mOther).peer).toMatchObject({
      name: 'Chess fan',
      commonInterests: ['chess'],
    });
    await mChess;
    // Music waits alone; a newcomer without overlap is paired once either waited long enough.
    const late = await e.tab();
    const mLate = matched(late);
    await start(late, 'Late', { interests: ['cooking'] });
    expect(matchOf(await mLate).peer).toMatchObject({ name: 'Music fan', commonInterests: [] });
  });

  it('Next ends the call for both, tells the other they moved on, and queues both again', async () => {
    const e = await env();
    const { a, b } = await pairTwo(e);
    const bTold = b.next('meet-state', (m) => m.reason === 'moved_on');
    const reply = await a.request({ type: 'meet-next' });
    expect(reply).toMatchObject({ type: 'meet-state', state: 'waiting', reason: 'next' });
    expect(await bTold).toMatchObject({ state: 'waiting' });
    expect(await a.next('meet-queue', (m) => m.waiting === 2)).toBeTruthy();
  });

  it('the person you skipped is not paired with you straight away (only after --meet-skip-ms)', async () => {
    const e = await env({ meetSkipMs: 1500, meetAnyoneAfterMs: 0 });
    const { a, b } = await pairTwo(e);
    await a.request({ type: 'meet-next' });
    const skippedAt = Date.now();
    // Many pairing ticks pass with both waiting and nobody else: still not paired.
    await pause(700);
    expect(last(a, 'meet-state')).toMatchObject({ state: 'waiting' });
    expect(last(b, 'meet-state')).toMatchObject({ state: 'waiting' });
    // A third person is paired with one of them at once.
    const c = await e.tab();
    const mc = matched(c);
    await start(c, 'Cy');
    expect(['Ann', 'Bob']).toContain(matchOf(await mc).peer.name);
    await c.request({ type: 'meet-stop' });
    // Once the skip ran out, the two may meet again.
    await a.next(
      'meet-state',
      (m) => m.state === 'matched' && matchOf(m).peer.name === 'Bob',
      8000,
    );
    expect(Date.now() - skippedAt).toBeGreaterThanOrEqual(1400);
  });

  it('Next is rate-limited with next_too_soon', async () => {
    const e = await env({ meetNextIntervalMs: 60_000 });
    const { a, b } = await pairTwo(e);
    expect(await a.request({ type: 'meet-next' })).toMatchObject({ state: 'waiting' });
    // Bob leaves, so that the newcomer can only be paired with Ann.
    await b.request({ type: 'meet-stop' });
    const c = await e.tab();
    const ma = matched(a);
    await start(c, 'Cy');
    await ma;
    expect(await a.request({ type: 'meet-next' })).toMatchObject({
      type: 'error',
      code: 'next_too_soon',
    });
  });

  it('Next while a match is being made: both end up in one consistent state', async () => {
    const e = await env({ meetSkipMs: 60_000 });
    for (let round = 0; round < 5; round++) {
      const a = await e.tab();
      const b = await e.tab();
      await start(a, 'Ann');
      // B's arrival pairs them while A presses Next at the same moment.
      const nextReply = a.request({ type: 'meet-next' });
      await b.request({ type: 'meet-start', name: 'Bob' });
      await nextReply;
      await pause(300);
      await a.request({ type: 'meet-stop' }).catch(() => undefined);
      const sa = a.all('meet-state').filter((m) => m.state !== 'idle');
      const sb = b.all('meet-state').filter((m) => m.state !== 'idle');
      const aMatches = sa.filter((m) => m.state === 'matched').map((m) => matchOf(m).matchId);
      const bMatches = sb.filter((m) => m.state === 'matched').map((m) => matchOf(m).matchId);
      // Each was matched at most once, and only ever with each other.
      expect(aMatches.length).toBeLessThanOrEqual(1);
      expect(aMatches).toEqual(bMatches);
      await b.request({ type: 'meet-stop' });
    }
  });

  it('Stop takes you out; the other is told you left and is queued again', async () => {
    const e = await env();
    const { a, b } = await pairTwo(e);
    const bTold = b.next('meet-state', (m) => m.reason === 'left');
    expect(await a.request({ type: 'meet-stop' })).toMatchObject({
      state: 'idle',
      reason: 'stopped',
    });
    expect(await bTold).toMatchObject({ state: 'waiting' });
    expect(await a.request({ type: 'meet-next' })).toMatchObject({ code: 'meet_not_started' });
  });

  it('a disconnect while matched: the other hears it after the resume grace; a closed tab at once', async () => {
    const e = await env({ resumeGraceMs: 500 });
    const { a, b } = await pairTwo(e);
    const bTold = b.next('meet-state', (m) => m.reason === 'disconnected');
    const droppedAt = Date.now();
    dropConnection(a);
    expect(await bTold).toMatchObject({ state: 'waiting' });
    expect(Date.now() - droppedAt).toBeGreaterThanOrEqual(300);

    const c = await e.tab();
    const mb = matched(b);
    await start(c, 'Cy');
    await mb;
    const cTold = c.next('meet-state', (m) => m.reason === 'disconnected');
    await b.close();
    expect(await cTold).toMatchObject({ state: 'waiting' });
  });

  it('a dropped connection takes a waiting person out of the queue at once', async () => {
    const e = await env({ resumeGraceMs: 30_000 });
    const a = await e.tab();
    await start(a, 'Ann');
    dropConnection(a);
    const b = await e.tab();
    await start(b, 'Bob');
    await pause(500);
    expect(b.all('meet-state').some((m) => m.state === 'matched')).toBe(false);
    expect(last(b, 'meet-queue')).toMatchObject({ waiting: 1 });
  });

  it('blocked and reported pairs never meet again (signed-in: across sessions, stored)', async () => {
    const e = await env({ meetAnyoneAfterMs: 0, meetSkipMs: 0 });
    const [u1, u2, u3] = [
      await signUp(e.server, 'm'),
      await signUp(e.server, 'm'),
      await signUp(e.server, 'm'),
    ];
    const [t1, t2] = [await e.tab(u1), await e.tab(u2)];
    await start(t1, 'ignored');
    const m2 = matched(t2);
    const m1 = matched(t1);
    await start(t2, 'ignored');
    const match = matchOf(await m1);
    // Signed-in users are shown with their account's name.
    expect(match.peer.name).toBe(u2.username);
    await m2;
    const told = t2.next('meet-state', (m) => m.reason === 'moved_on');
    expect(await t1.request({ type: 'meet-block', matchId: match.matchId })).toMatchObject({
      state: 'waiting',
      reason: 'next',
    });
    await told;
    await pause(400);
    expect(last(t1, 'meet-state')).toMatchObject({ state: 'waiting' });
    expect(last(t2, 'meet-state')).toMatchObject({ state: 'waiting' });
    // New tabs (new sessions) of the same users: still never paired.
    await t1.close();
    await t2.close();
    const [n1, n2] = [await e.tab(u1), await e.tab(u2)];
    await start(n1, 'x');
    await start(n2, 'x');
    await pause(400);
    expect(n1.all('meet-state').some((m) => m.state === 'matched')).toBe(false);

    // A report: stored with both sessions and the time, and that pair never meets again.
    const t3 = await e.tab(u3);
    const m3 = matched(t3);
    await start(t3, 'x');
    const r = matchOf(await m3);
    const partner = r.peer.name === u1.username ? n1 : n2;
    await partner.next('meet-state', (m) => m.state === 'matched');
    const before = Date.now();
    const reported = await t3.request({
      type: 'meet-report',
      matchId: r.matchId,
      reason: 'harassment',
      text: '  rude  ',
      next: false,
    });
    expect(reported).toMatchObject({ state: 'idle', reason: 'stopped' });
    const reports = await new MeetStore(e.server.store.db).recentReports(10);
    expect(reports[0]).toMatchObject({
      matchId: r.matchId,
      reason: 'harassment',
      text: 'rude',
      reporterSession: t3.welcome?.sessionId,
      reportedSession: partner.welcome?.sessionId,
      reporterPerson: `u:${u3.id}`,
    });
    expect(reports[0]?.createdAt).toBeGreaterThanOrEqual(before);
    // What an operator sees with `parley reports`, from the same database.
    const db = backend.options();
    let printed = '';
    const code = await reportsCommand(
      db.databaseUrl ? ['--database-url', db.databaseUrl] : ['--data-dir', db.dataDir],
      {},
      (s) => (printed += s),
      (s) => (printed += s),
    );
    expect(code).toBe(0);
    expect(printed).toContain('harassment');
    expect(printed).toContain('"rude"');
    expect(printed).toContain(`reporter u:${u3.id} (session ${String(t3.welcome?.sessionId)})`);
    // Reporting a match that is not yours: refused.
    const stranger = await e.tab();
    expect(
      await stranger.request({ type: 'meet-report', matchId: r.matchId, reason: 'spam' }),
    ).toMatchObject({ code: 'unknown_match' });
    // Back in the queue, the reporter meets the other one waiting, never the reported one.
    const reportedName = r.peer.name;
    const again = matched(t3);
    await start(t3, 'x');
    expect(matchOf(await again).peer.name).not.toBe(reportedName);
  });

  it('a match nobody joins in time ends (no_show); the one who joined is queued again', async () => {
    const e = await env({ meetJoinTimeoutMs: 1000 });
    const { a, b, ma } = await pairTwo(e);
    await a.request({ type: 'join', room: matchOf(ma).room, name: 'Ann', media });
    expect(await b.next('meet-state', (m) => m.reason === 'no_show', 5000)).toMatchObject({
      state: 'idle',
    });
    expect(await a.next('meet-state', (m) => m.reason === 'no_show', 5000)).toMatchObject({
      state: 'waiting',
    });
  });

  it('refuses bad requests with stable codes and harms nothing else', async () => {
    const e = await env();
    const a = await e.tab();
    expect(await a.request({ type: 'meet-next' })).toMatchObject({ code: 'meet_not_started' });
    expect(
      await a.request({ type: 'meet-start', name: 'A', interests: Array(11).fill('x') }),
    ).toMatchObject({ code: 'bad_message' });
    expect(
      await a.request({ type: 'meet-start', name: 'A', language: 'not a language' }),
    ).toMatchObject({ code: 'bad_message' });
    await start(a, 'Ann');
    expect(await a.request({ type: 'meet-start', name: 'A' })).toMatchObject({
      code: 'meet_already_started',
    });
    // While in meet, the board refuses (and the other way round).
    expect(
      await a.request({ type: 'board-post', name: 'A', topic: 'hi', media: 'audio' }),
    ).toMatchObject({ code: 'busy' });
    const b = await e.tab();
    await b.request({ type: 'board-post', name: 'B', topic: 'hi', media: 'audio' });
    expect(await b.request({ type: 'meet-start', name: 'B' })).toMatchObject({ code: 'busy' });
    expect(last(a, 'meet-state')).toMatchObject({ state: 'waiting' });
  });

  it('--meet-enabled=false refuses meet with meet_disabled', async () => {
    const e = await env({ meetEnabled: false });
    const a = await e.tab();
    expect(await a.request({ type: 'meet-start', name: 'A' })).toMatchObject({
      code: 'meet_disabled',
    });
    await eventually(async () => (a.ws.readyState === a.ws.OPEN ? true : undefined));
  });
});
