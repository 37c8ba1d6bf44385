import { expect, it } from 'vitest';
import { isPrivateRoomId } from '@parley/protocol';
import { signUp, type Tab } from './accounts-harness.js';
import { describeDeployments } from './store-backends.js';
import { dropConnection, meetEnvs } from './meet-harness.js';

type Msg = Record<string, unknown>;
const media = { audio: true, video: true };

async function watch(t: Tab): Promise<Msg> {
  const snap = await t.request({ type: 'board-watch' });
  expect(snap.type).toBe('board-snapshot');
  return snap;
}

async function post(t: Tab, topic = 'anyone up for a chat?', name = 'Poster'): Promise<Msg> {
  const reply = await t.request({ type: 'board-post', name, topic, media: 'video' });
  expect(reply.type).toBe('board-posted');
  return reply.post as Msg;
}

/**
 * The open-call board over real WebSockets: live updates to every watcher, the first
 * answer winning atomically, withdrawal, expiry and the poster's departure, the limits,
 * on one node and across two.
 */
describeDeployments('open-call board', (backend) => {
  const env = meetEnvs(backend);

  it('shows a post live to every watcher; the first answer pairs both in a private room', async () => {
    const e = await env();
    const [poster, w1, w2] = [await e.tab(), await e.tab(), await e.tab()];
    const snap = await watch(w1);
    expect(snap).toMatchObject({
      posts: [],
      limits: { maxPostsPerPerson: 1, maxTopicLength: 140 },
    });
    await watch(w2);
    const p = await post(poster, '  Spanish practice  ', 'Pat');
    expect(p).toMatchObject({ name: 'Pat', topic: 'Spanish practice', media: 'video' });
    for (const w of [w1, w2]) {
      expect(await w.next('board-added')).toMatchObject({ post: p });
    }
    // A late watcher gets it in the snapshot.
    const w3 = await e.tab();
    expect((await watch(w3)).posts).toEqual([p]);

    const posterPaired = poster.next('board-paired');
    const answered = await w1.request({ type: 'board-answer', postId: p.id, name: 'Wes' });
    expect(answered).toMatchObject({
      type: 'board-paired',
      role: 'answerer',
      peer: { name: 'Pat' },
      media: 'video',
      topic: 'Spanish practice',
    });
    const pp = await posterPaired;
    expect(pp).toMatchObject({ role: 'poster', peer: { name: 'Wes' }, room: answered.room });
    expect(isPrivateRoomId(answered.room as string)).toBe(true);
    // The others see it go.
    for (const w of [w2, w3]) {
      expect(await w.next('board-removed')).toEqual({
        type: 'board-removed',
        postId: p.id,
        reason: 'answered',
      });
    }
    // Both can join the private room, nobody else can.
    const room = answered.room as string;
    expect(await poster.request({ type: 'join', room, name: 'Pat', media })).toMatchObject({
      type: 'joined',
    });
    expect(await w1.request({ type: 'join', room, name: 'Wes', media })).toMatchObject({
      type: 'joined',
    });
    expect(await w2.request({ type: 'join', room, name: 'Eve', media })).toMatchObject({
      code: 'room_private',
    });
  });

  it('two answers to the same post at the same moment: exactly one wins', async () => {
    const e = await env({ boardMaxPostsPerPerson: 1 });
    for (let round = 0; round < 5; round++) {
      const [poster, x, y] = [await e.tab(), await e.tab(), await e.tab()];
      const p = await post(poster);
      const [rx, ry] = await Promise.all([
        x.request({ type: 'board-answer', postId: p.id, name: 'X' }),
        y.request({ type: 'board-answer', postId: p.id, name: 'Y' }),
      ]);
      const outcomes = [rx, ry].map((r) => (r.type === 'board-paired' ? 'paired' : r.code));
      expect(outcomes.sort()).toEqual(['paired', 'post_gone']);
      const winner = rx.type === 'board-paired' ? 'X' : 'Y';
      expect(await poster.next('board-paired')).toMatchObject({ peer: { name: winner } });
      // A round trip later, still only one pairing reached the poster.
      await poster.request({ type: 'board-unwatch' });
      expect(poster.all('board-paired')).toHaveLength(1);
    }
  });

  it('withdraw while an answer is in flight: either the withdrawal or the answer, never both', async () => {
    const e = await env();
    const seen = new Set<string>();
    for (let round = 0; round < 6; round++) {
      const [poster, x] = [await e.tab(), await e.tab()];
      const p = await post(poster);
      const [rw, ra] = await Promise.all([
        poster.request({ type: 'board-withdraw', postId: p.id }),
        x.request({ type: 'board-answer', postId: p.id, name: 'X' }),
      ]);
      if (rw.type === 'board-withdrawn') {
        expect(ra).toMatchObject({ type: 'error', code: 'post_gone' });
        seen.add('withdrawn');
      } else {
        expect(rw).toMatchObject({ type: 'error', code: 'post_gone' });
        expect(ra.type).toBe('board-paired');
        expect(await poster.next('board-paired')).toMatchObject({ room: ra.room });
        seen.add('answered');
      }
    }
    expect(seen.size).toBeGreaterThan(0);
  });

  it('the poster withdraws: watchers see it go; a second withdrawal is post_gone', async () => {
    const e = await env();
    const [poster, w] = [await e.tab(), await e.tab()];
    await watch(w);
    const p = await post(poster);
    await w.next('board-added');
    expect(await poster.request({ type: 'board-withdraw', postId: p.id })).toMatchObject({
      type: 'board-withdrawn',
      postId: p.id,
    });
    expect(await w.next('board-removed')).toMatchObject({ postId: p.id, reason: 'withdrawn' });
    expect(await poster.request({ type: 'board-withdraw', postId: p.id })).toMatchObject({
      code: 'post_gone',
    });
    // Someone else's post cannot be withdrawn by you.
    const q = await post(poster);
    expect(await w.request({ type: 'board-withdraw', postId: q.id })).toMatchObject({
      code: 'post_gone',
    });
  });

  it('a post goes when its poster disconnects or closes the tab, and after its TTL', async () => {
    const e = await env({ boardPostTtlMs: 1000, resumeGraceMs: 30_000 });
    const w = await e.tab();
    await watch(w);
    const dropped = await e.tab();
    const p1 = await post(dropped, 'dropping');
    dropConnection(dropped);
    expect(await w.next('board-removed', (m) => m.postId === p1.id)).toMatchObject({
      reason: 'left',
    });
    const closer = await e.tab();
    const p2 = await post(closer, 'closing');
    await closer.close();
    expect(await w.next('board-removed', (m) => m.postId === p2.id)).toMatchObject({
      reason: 'left',
    });
    const slow = await e.tab();
    const p3 = await post(slow, 'expiring');
    const postedAt = Date.now();
    expect(await w.next('board-removed', (m) => m.postId === p3.id, 5000)).toMatchObject({
      reason: 'expired',
    });
    expect(Date.now() - postedAt).toBeGreaterThanOrEqual(900);
    // The poster hears it too, though not watching.
    expect(await slow.next('board-removed')).toMatchObject({ postId: p3.id, reason: 'expired' });
    expect((await watch(w)).posts).toEqual([]);
  });

  it('enforces its limits with stable codes', async () => {
    const e = await env({ boardMaxPosts: 2, boardMaxTopicLength: 10, boardMaxPostsPerPerson: 1 });
    const [a, b, c] = [await e.tab(), await e.tab(), await e.tab()];
    expect(
      await a.request({ type: 'board-post', name: 'A', topic: 'x'.repeat(11), media: 'audio' }),
    ).toMatchObject({ code: 'topic_too_long' });
    expect(
      await a.request({ type: 'board-post', name: 'A', topic: '   ', media: 'audio' }),
    ).toMatchObject({ code: 'bad_message' });
    expect(
      await a.request({ type: 'board-post', name: 'A', topic: 'hi', media: 'screen' }),
    ).toMatchObject({ code: 'bad_message' });
    const pa = await post(a, 'one');
    expect(
      await a.request({ type: 'board-post', name: 'A', topic: 'two', media: 'audio' }),
    ).toMatchObject({ code: 'too_many_posts' });
    await post(b, 'bee');
    expect(
      await c.request({ type: 'board-post', name: 'C', topic: 'sea', media: 'audio' }),
    ).toMatchObject({ code: 'board_full' });
    expect(await a.request({ type: 'board-answer', postId: pa.id, name: 'A' })).toMatchObject({
      code: 'own_post',
    });
    expect(await c.request({ type: 'board-answer', postId: 'nope', name: 'C' })).toMatchObject({
      code: 'post_gone',
    });
    // Nothing else was harmed: the two posts are there.
    expect(((await watch(c)).posts as Msg[]).map((p) => p.topic)).toEqual(['one', 'bee']);
  });

  it('signed-in posters are shown with their account name', async () => {
    const e = await env();
    const u = await signUp(e.server, 'b');
    const t = await e.tab(u);
    expect(await post(t, 'hello', 'Someone Else')).toMatchObject({ name: u.username });
  });

  it('--board-enabled=false refuses the board with board_disabled', async () => {
    const off = await env({ boardEnabled: false });
    const g = await off.tab();
    expect(await g.request({ type: 'board-watch' })).toMatchObject({ code: 'board_disabled' });
  });
});
