import { describe, expect, it } from 'vitest';
import { befriend, pause, serverWithTabs, signUp } from './accounts-harness.js';

/** Sign-ins in this suite last 3 s (an override; the CLI minimum is one hour). */
const TTL_MS = 3_000;

describe('a sign-in that expires while its socket is open', () => {
  const env = serverWithTabs(() => ({ dataDir: ':memory:' }), {
    sessionTtlHours: TTL_MS / 3_600_000,
  });

  it('ends like a sign-out: the socket loses the account and contacts see it go offline', async () => {
    const a = await signUp(env.server, 'exp');
    // b signs up a second later, so it is still signed in when a's sign-in runs out.
    await pause(1_000);
    const b = await signUp(env.server, 'watch');
    await befriend(env.server, a, b);
    const tb = await env.tab(b);
    const ta = await env.tab(a);
    expect(await tb.next('presence', (m) => m.userId === a.id)).toMatchObject({
      presence: 'online',
    });
    // Still signed in: an account-only request is served, not refused.
    const before = await ta.request({ type: 'call-invite', to: b.id, media: 'audio' });
    expect(before).not.toMatchObject({ code: 'unauthenticated' });
    await ta.request({ type: 'call-end', callId: before.callId });

    // The tab is told, so it can ask to sign in again.
    expect(await ta.next('signed-out')).toEqual({ type: 'signed-out', reason: 'expired' });
    expect(
      await tb.next('presence', (m) => m.userId === a.id && m.presence === 'offline'),
    ).toBeTruthy();
    expect(await ta.request({ type: 'call-invite', to: b.id, media: 'audio' })).toMatchObject({
      type: 'error',
      code: 'unauthenticated',
    });
    // The socket itself stays open as a guest, as after signing out.
    expect(ta.ws.readyState).toBe(ta.ws.OPEN);
  });
});
