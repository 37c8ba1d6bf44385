import { describe, expect, it } from 'vitest';
import {
  api,
  befriend,
  eventually,
  pause,
  signUp,
  serverWithTabs,
  startServer,
  Tab,
  type TestUser,
} from './accounts-harness.js';
import { describeDeployments } from './store-backends.js';

/**
 * The direct-call state machine over real WebSockets: every transition, the races,
 * and who may do what. Each test uses fresh users so tests cannot disturb each other.
 */
describeDeployments('direct calls', (backend) => {
  const env = serverWithTabs(() => backend.options(), {
    callRingTimeoutMs: 1000,
    callDropGraceMs: 300,
    resumeGraceMs: 2000,
  });
  const tab = (user?: TestUser): Promise<Tab> => env.tab(user);

  /** Two contacts, each with one signed-in tab. */
  async function pair(): Promise<{ a: TestUser; b: TestUser; ta: Tab; tb: Tab }> {
    const a = await signUp(env.server, 'a');
    const b = await signUp(env.server, 'b');
    await befriend(env.server, a, b);
    return { a, b, ta: await tab(a), tb: await tab(b) };
  }

  async function ring(ta: Tab, tb: Tab, b: TestUser, media = 'video') {
    const reply = await ta.request({ type: 'call-invite', to: b.id, media });
    expect(reply).toMatchObject({ type: 'call-state', state: 'ringing', role: 'caller', media });
    const incoming = await tb.next('call-incoming');
    expect(incoming.callId).toBe(reply.callId);
    return reply.callId as string;
  }

  it('rings, is accepted, relays signaling and media state, and hangs up on both sides', async () => {
    const { a, b, ta, tb } = await pair();
    const callId = await ring(ta, tb, b);
    const incoming = tb.all('call-incoming')[0];
    expect(incoming).toMatchObject({ from: { id: a.id, username: a.username }, media: 'video' });

    const accepted = await tb.request({ type: 'call-accept', callId });
    expect(accepted).toMatchObject({ type: 'call-state', state: 'active', role: 'callee' });
    expect(Array.isArray(accepted.iceServers)).toBe(true);
    const callerActive = await ta.next('call-state', (m) => m.state === 'active');
    expect(callerActive).toMatchObject({ callId, role: 'caller', peer: { id: b.id } });

    ta.send({ type: 'call-signal', callId, description: { type: 'offer', sdp: 'v=0 offer' } });
    expect(await tb.next('call-signal')).toEqual({
      type: 'call-signal',
      callId,
      description: { type: 'offer', sdp: 'v=0 offer' },
    });
    tb.send({
      type: 'call-signal',
      callId,
      candidate: { candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host' },
    });
    expect((await ta.next('call-signal')).candidate).toMatchObject({
      candidate: expect.stringContaining('candidate:1'),
    });
    tb.send({ type: 'call-media', callId, media: { audio: false, video: true } });
    expect(await ta.next('call-media')).toMatchObject({ media: { audio: false, video: true } });

    const ended = await ta.request({ type: 'call-end', callId });
    expect(ended).toMatchObject({ state: 'ended', reason: 'hangup' });
    expect(await tb.next('call-state', (m) => m.state === 'ended')).toMatchObject({
      reason: 'hangup',
    });
    expect(env.server.gateway.sessionCount).toBeGreaterThan(0);

    // History is written right after the end, asynchronously: poll briefly.
    const history = await eventually(async () => {
      const h = await api<{ calls: Record<string, unknown>[] }>(env.server, 'GET', '/api/calls', {
        cookie: b.cookie,
      });
      return h.body.calls.length > 0 ? h.body.calls : undefined;
    });
    expect(history[0]).toMatchObject({
      outcome: 'answered',
      direction: 'incoming',
      peer: { id: a.id },
    });
  });

  it('declined by the callee ends the call for the caller and every callee tab', async () => {
    const { b, ta, tb } = await pair();
    const tb2 = await tab(b);
    const callId = await ring(ta, tb, b, 'audio');
    await tb2.next('call-incoming');
    expect(await tb.request({ type: 'call-end', callId })).toMatchObject({
      state: 'ended',
      reason: 'declined',
    });
    expect(await ta.next('call-state', (m) => m.state === 'ended')).toMatchObject({
      reason: 'declined',
    });
    expect(await tb2.next('call-state', (m) => m.state === 'ended')).toMatchObject({
      reason: 'declined',
    });
  });

  it('ends with no_answer after the ring timeout; the callee has a missed call until seen', async () => {
    const { a, b, ta, tb } = await pair();
    const callId = await ring(ta, tb, b);
    expect(await ta.next('call-state', (m) => m.state === 'ended', 4000)).toMatchObject({
      callId,
      reason: 'no_answer',
    });
    expect(await tb.next('call-state', (m) => m.state === 'ended', 4000)).toMatchObject({
      reason: 'no_answer',
    });
    // Once history has the call, every tab of the callee hears the new badge.
    expect(await tb.next('calls-missed')).toEqual({ type: 'calls-missed', missedUnseen: 1 });
    let badge = 0;
    for (let i = 0; i < 20 && badge === 0; i++) {
      const h = await api<{ missedUnseen: number }>(env.server, 'GET', '/api/calls', {
        cookie: b.cookie,
      });
      badge = h.body.missedUnseen;
      await pause(50);
    }
    expect(badge).toBe(1);
    const calls = await api<{ calls: unknown[] }>(env.server, 'GET', '/api/calls', {
      cookie: b.cookie,
    });
    expect(calls.body.calls[0]).toMatchObject({
      outcome: 'missed',
      unseen: true,
      peer: { id: a.id },
    });
    const callerView = await api<{ calls: unknown[]; missedUnseen: number }>(
      env.server,
      'GET',
      '/api/calls',
      { cookie: a.cookie },
    );
    expect(callerView.body.calls[0]).toMatchObject({ outcome: 'missed', direction: 'outgoing' });
    expect(callerView.body.missedUnseen).toBe(0);
    expect((await api(env.server, 'POST', '/api/calls/seen', { cookie: b.cookie })).status).toBe(
      204,
    );
    expect(
      (await api<{ missedUnseen: number }>(env.server, 'GET', '/api/calls', { cookie: b.cookie }))
        .body.missedUnseen,
    ).toBe(0);
  });

  it('answers busy when the callee is already in a call', async () => {
    const { b, ta, tb } = await pair();
    const callId = await ring(ta, tb, b);
    await tb.request({ type: 'call-accept', callId });
    const c = await signUp(env.server, 'c');
    await befriend(env.server, c, b);
    const tc = await tab(c);
    const reply = await tc.request({ type: 'call-invite', to: b.id, media: 'audio' });
    expect(reply).toMatchObject({ state: 'ended', reason: 'busy', role: 'caller' });
    await pause(100);
    expect(tb.all('call-incoming')).toHaveLength(1);
  });

  it('answers unavailable when the callee has no signed-in tab', async () => {
    const a = await signUp(env.server, 'a');
    const b = await signUp(env.server, 'b');
    await befriend(env.server, a, b);
    const ta = await tab(a);
    expect(await ta.request({ type: 'call-invite', to: b.id, media: 'video' })).toMatchObject({
      state: 'ended',
      reason: 'unavailable',
    });
  });

  it('the caller cancels while ringing', async () => {
    const { b, ta, tb } = await pair();
    const callId = await ring(ta, tb, b);
    expect(await ta.request({ type: 'call-end', callId })).toMatchObject({ reason: 'cancelled' });
    expect(await tb.next('call-state', (m) => m.state === 'ended')).toMatchObject({
      reason: 'cancelled',
    });
    expect(await tb.request({ type: 'call-accept', callId })).toMatchObject({
      type: 'error',
      code: 'call_not_ringing',
    });
  });

  it('rings every tab; accepting on one tells the others it was answered elsewhere', async () => {
    const { b, ta, tb } = await pair();
    const tb2 = await tab(b);
    const callId = await ring(ta, tb, b);
    await tb2.next('call-incoming');
    // A tab opened while it rings rings too.
    const tb3 = await tab(b);
    await tb3.next('call-incoming', (m) => m.callId === callId);
    await tb2.request({ type: 'call-accept', callId });
    for (const other of [tb, tb3]) {
      expect(await other.next('call-state')).toMatchObject({
        state: 'ended',
        reason: 'answered_elsewhere',
      });
    }
    // The other tabs are no longer part of the call.
    expect(await tb.request({ type: 'call-end', callId })).toMatchObject({
      type: 'error',
      code: 'unknown_call',
    });
    expect(await ta.next('call-state', (m) => m.state === 'active')).toBeTruthy();
  });

  it('race: accept on two tabs at once — exactly one wins', async () => {
    const { b, ta, tb } = await pair();
    const tb2 = await tab(b);
    const callId = await ring(ta, tb, b);
    await tb2.next('call-incoming');
    const [r1, r2] = await Promise.all([
      tb.request({ type: 'call-accept', callId }),
      tb2.request({ type: 'call-accept', callId }),
    ]);
    const replies = [r1, r2];
    expect(replies.filter((r) => r.type === 'call-state' && r.state === 'active')).toHaveLength(1);
    expect(replies.filter((r) => r.type === 'error' && r.code === 'call_not_ringing')).toHaveLength(
      1,
    );
    const loser = r1.type === 'error' ? tb : tb2;
    // On two nodes the winner's node tells the others over the bus: it may land after
    // the loser's own error reply.
    expect(await loser.next('call-state', (m) => m.reason === 'answered_elsewhere')).toMatchObject({
      state: 'ended',
    });
    await ta.next('call-state', (m) => m.state === 'active');
    await pause(100);
    expect(ta.all('call-state').filter((m) => m.state === 'active')).toHaveLength(1);
    expect(loser.all('call-state').at(-1)).toMatchObject({ reason: 'answered_elsewhere' });
  });

  it('race: cancel while the accept is in flight — both sides agree on the outcome', async () => {
    const { b, ta, tb } = await pair();
    const callId = await ring(ta, tb, b);
    const [end, accept] = await Promise.all([
      ta.request({ type: 'call-end', callId }),
      tb.request({ type: 'call-accept', callId }),
    ]);
    const callerEnd = ta.all('call-state').filter((m) => m.state === 'ended');
    await tb.next('call-state', (m) => m.state === 'ended');
    const calleeEnd = tb.all('call-state').filter((m) => m.state === 'ended');
    expect(callerEnd).toHaveLength(1);
    expect(calleeEnd).toHaveLength(1);
    expect(callerEnd[0]?.reason).toBe(calleeEnd[0]?.reason);
    if (accept.type === 'error') {
      expect(accept.code).toBe('call_not_ringing');
      expect(end.reason).toBe('cancelled');
    } else {
      expect(end.reason).toBe('hangup');
    }
    expect(env.server.gateway.sessionCount).toBeGreaterThan(0);
  });

  it('race: both call each other at the same moment — one call, connected', async () => {
    const { a, b, ta, tb } = await pair();
    const [ra, rb] = await Promise.all([
      ta.request({ type: 'call-invite', to: b.id, media: 'video' }),
      tb.request({ type: 'call-invite', to: a.id, media: 'video' }),
    ]);
    expect(ra.callId).toBe(rb.callId);
    const callId = ra.callId;
    // Whichever invite arrived second answered the first: it is `active` at once.
    expect([ra.state, rb.state].sort()).toEqual(['active', 'ringing']);
    const first = ra.state === 'ringing' ? ta : tb;
    await first.next('call-state', (m) => m.state === 'active' && m.callId === callId);
  });

  it('a tab that drops mid-call ends the call for the other side', async () => {
    const { b, ta, tb } = await pair();
    const callId = await ring(ta, tb, b);
    await tb.request({ type: 'call-accept', callId });
    await ta.next('call-state', (m) => m.state === 'active');
    tb.ws.terminate();
    expect(await ta.next('call-state', (m) => m.state === 'ended', 4000)).toMatchObject({
      callId,
      reason: 'failed',
    });
  });

  it('blocking ends a call in progress', async () => {
    const { a, b, ta, tb } = await pair();
    const callId = await ring(ta, tb, b);
    await tb.request({ type: 'call-accept', callId });
    await ta.next('call-state', (m) => m.state === 'active');
    expect(
      (await api(env.server, 'POST', `/api/contacts/${a.id}/block`, { cookie: b.cookie })).status,
    ).toBe(200);
    expect(await ta.next('call-state', (m) => m.state === 'ended')).toMatchObject({
      reason: 'hangup',
    });
    expect(await tb.next('call-state', (m) => m.state === 'ended')).toMatchObject({
      reason: 'hangup',
    });
  });

  it('one call at a time per user', async () => {
    const { a, b, ta, tb } = await pair();
    await ring(ta, tb, b);
    const c = await signUp(env.server, 'c');
    await befriend(env.server, a, c);
    await befriend(env.server, b, c);
    await tab(c);
    for (const t of [ta, tb]) {
      expect(await t.request({ type: 'call-invite', to: c.id, media: 'audio' })).toMatchObject({
        type: 'error',
        code: 'already_in_call',
      });
    }
  });

  it('refuses guests, strangers, blocked users and spoofed call ids', async () => {
    const { a, b, ta, tb } = await pair();
    const guest = await tab();
    expect(await guest.request({ type: 'call-invite', to: b.id, media: 'audio' })).toMatchObject({
      type: 'error',
      code: 'unauthenticated',
    });
    const stranger = await signUp(env.server, 's');
    const ts = await tab(stranger);
    expect(await ts.request({ type: 'call-invite', to: b.id, media: 'audio' })).toMatchObject({
      code: 'not_contact',
    });
    // A ringing call between a and b: nobody else may accept, end or signal it.
    const callId = await ring(ta, tb, b);
    for (const msg of [
      { type: 'call-accept', callId },
      { type: 'call-end', callId },
      { type: 'call-signal', callId, description: { type: 'offer', sdp: 'x' } },
    ]) {
      expect(await ts.request(msg)).toMatchObject({ type: 'error', code: 'unknown_call' });
      expect(await guest.request(msg)).toMatchObject({ type: 'error', code: 'unauthenticated' });
    }
    // The caller cannot answer their own call.
    expect(await ta.request({ type: 'call-accept', callId })).toMatchObject({
      code: 'unknown_call',
    });
    await ta.request({ type: 'call-end', callId });

    // b blocks a: a can no longer ring b.
    expect(
      (await api(env.server, 'POST', `/api/contacts/${a.id}/block`, { cookie: b.cookie })).status,
    ).toBe(200);
    expect(await ta.request({ type: 'call-invite', to: b.id, media: 'audio' })).toMatchObject({
      code: 'not_contact',
    });
  });
});

describeDeployments('direct calls across a resumed connection', (backend) => {
  it('a tab whose socket drops and resumes within the grace keeps its call', async () => {
    const server = await startServer(backend.options(), { callDropGraceMs: 5000 });
    const tabs: Tab[] = [];
    try {
      const a = await signUp(server, 'ra');
      const b = await signUp(server, 'rb');
      await befriend(server, a, b);
      const ta = await Tab.open(server, a.cookie);
      const tb = await Tab.open(server, b.cookie);
      tabs.push(ta, tb);
      const r = await ta.request({ type: 'call-invite', to: b.id, media: 'audio' });
      await tb.next('call-incoming');
      await tb.request({ type: 'call-accept', callId: r.callId });
      await ta.next('call-state', (m) => m.state === 'active');
      tb.ws.terminate();
      await pause(300); // let the server see the drop (the call's drop timer starts)
      // The same session comes back on a new socket (resume token), cookie and all.
      const back = await Tab.open(server, b.cookie, tb.welcome?.resumeToken as string, tb);
      tabs.push(back);
      expect(back.welcome).toMatchObject({ resumed: true });
      await pause(5500);
      expect(ta.all('call-state').filter((m) => m.state === 'ended')).toHaveLength(0);
      back.send({
        type: 'call-signal',
        callId: r.callId,
        description: { type: 'offer', sdp: 'v=0 still here' },
      });
      expect((await ta.next('call-signal')).description).toMatchObject({ sdp: 'v=0 still here' });
      expect(await back.request({ type: 'call-end', callId: r.callId })).toMatchObject({
        state: 'ended',
        reason: 'hangup',
      });
    } finally {
      await Promise.all(tabs.map((t) => t.close()));
      await server.close();
    }
  });
});

describe('call protocol validation', () => {
  it('rejects malformed call messages at the edge', async () => {
    const { parseClientMessage } = await import('@parley/protocol');
    expect(
      parseClientMessage(JSON.stringify({ type: 'call-invite', to: 'x', media: 'hologram' })),
    ).toMatchObject({ ok: false, code: 'bad_message' });
    expect(parseClientMessage(JSON.stringify({ type: 'call-signal', callId: 'c' }))).toMatchObject({
      ok: false,
    });
  });
});
