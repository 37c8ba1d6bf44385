/**
 * Several server nodes as in production (issue 9, docs/DEPLOY.md "Several nodes"): two
 * Parley processes sharing PostgreSQL and Redis behind nginx. A page addresses a node
 * directly when the test needs to be sure which node it is on, and the load balancer
 * otherwise. Times worth reporting (how long a dead node's seats took to leave, how long
 * /readyz took to change) are printed, never asserted against a stopwatch: the polling
 * timeouts are generous on purpose.
 */
import type { Page } from '@playwright/test';
import { befriend, contactRow, openContacts, signUp, startCall } from './fixtures/accounts';
import { chatTexts, openChat, say } from './fixtures/chat';
import { expect, test, type NodeName, type ParleyCluster } from './fixtures/cluster';
import { expectPeople, roomLink, type ServerAddress } from './fixtures/parley';
import { nextMessage, peerIdsNamed, recordSignaling } from './fixtures/signaling-log';
import { expectDecodingFromAll } from './fixtures/stats';

const node = (cluster: ParleyCluster, name: NodeName): ServerAddress => ({
  url: cluster.nodeUrl(name),
});
const lb = (cluster: ParleyCluster): ServerAddress => ({ url: cluster.lbUrl });

/** Signaling sockets held by each node (its /healthz), to know who is where. */
async function sessions(cluster: ParleyCluster): Promise<Record<NodeName, number | null>> {
  const [a, b] = await Promise.all([cluster.healthz('a'), cluster.healthz('b')]);
  return { a: a?.sessions ?? null, b: b?.sessions ?? null };
}

async function readiness(cluster: ParleyCluster): Promise<[boolean, boolean]> {
  return Promise.all([cluster.readyz('a'), cluster.readyz('b')]);
}

async function open(page: Page, at: ServerAddress, room: string, name: string): Promise<Page> {
  await page.goto(roomLink(at, room, name));
  return page;
}

const incoming = (page: Page) => page.getByTestId('incoming-call');
const callScreen = (page: Page) => page.getByTestId('call-screen');
const outcome = (page: Page) => page.getByTestId('call-outcome');

test('through nginx: pages load and WebSockets upgrade (two people, one node)', async ({
  cluster,
  newPerson,
}) => {
  test.setTimeout(90_000);
  // Both land on node A, so this holds with or without the cluster wiring: it checks
  // the proxying (static files, the upgrade on /ws), not the nodes talking to each other.
  await cluster.lbOnly('a');
  const ana = await open(await newPerson(), lb(cluster), 'lb-room', 'Ana');
  const bo = await open(await newPerson(), lb(cluster), 'lb-room', 'Bo');
  await expectPeople(ana, ['Ana', 'Bo']);
  await expectPeople(bo, ['Ana', 'Bo']);
  await expect.poll(() => sessions(cluster)).toEqual({ a: 2, b: 0 });
  await Promise.all([expectDecodingFromAll(ana, 1), expectDecodingFromAll(bo, 1)]);
});

test('two people on different nodes decode each other’s video and chat', async ({
  cluster,
  newPerson,
}) => {
  test.setTimeout(120_000);
  const ana = await open(await newPerson(), node(cluster, 'a'), 'across', 'Ana');
  const bo = await open(await newPerson(), node(cluster, 'b'), 'across', 'Bo');
  await expectPeople(ana, ['Ana', 'Bo']);
  await expectPeople(bo, ['Ana', 'Bo']);
  await expect.poll(() => sessions(cluster)).toEqual({ a: 1, b: 1 });
  await Promise.all([expectDecodingFromAll(ana, 1), expectDecodingFromAll(bo, 1)]);

  await openChat(ana);
  await openChat(bo);
  await say(ana, 'Hello from node A');
  await expect.poll(() => chatTexts(bo)).toEqual(['Hello from node A']);
  await say(bo, 'Hi from node B');
  for (const page of [ana, bo]) {
    await expect.poll(() => chatTexts(page)).toEqual(['Hello from node A', 'Hi from node B']);
  }
});

test('a call from a tab on node A rings the callee’s tabs on nodes A and B, and is answered on B', async ({
  cluster,
  newPerson,
}) => {
  test.setTimeout(120_000);
  const a = node(cluster, 'a');
  const xena = await newPerson();
  const yuriOnA = await newPerson();
  // One database behind both nodes: accounts and contacts made on A are known on B.
  const xenaUser = await signUp(xena, a, 'xena');
  const yuriUser = await signUp(yuriOnA, a, 'yuri');
  await befriend(xena, yuriOnA, a, yuriUser, xenaUser);
  // A second tab of Yuri's browser (same session cookie), on node B.
  const yuriOnB = await yuriOnA.context().newPage();
  await openContacts(yuriOnB, node(cluster, 'b'));
  await expect(contactRow(yuriOnB, xenaUser.username)).toBeVisible();

  await startCall(xena, yuriUser.username, 'video');
  await expect(callScreen(xena)).toHaveAttribute('data-state', 'ringing');
  for (const tab of [yuriOnA, yuriOnB]) {
    await expect(incoming(tab)).toHaveAttribute('data-caller', xenaUser.username);
  }
  await incoming(yuriOnB).getByTestId('accept-call').click();
  // The tab on node A stops ringing and says why.
  await expect(incoming(yuriOnA)).toHaveCount(0);
  await expect(outcome(yuriOnA)).toHaveAttribute('data-reason', 'answered_elsewhere');
  await expect(callScreen(yuriOnA)).toHaveCount(0);
  for (const page of [xena, yuriOnB]) {
    await expect(callScreen(page)).toHaveAttribute('data-state', 'active');
    await expect(page.getByTestId('call-status')).toHaveText('Connected', { timeout: 30_000 });
  }
  await Promise.all([expectDecodingFromAll(xena, 1), expectDecodingFromAll(yuriOnB, 1)]);

  await yuriOnB.getByTestId('call-end').click();
  for (const page of [xena, yuriOnB]) {
    await expect(outcome(page)).toHaveAttribute('data-reason', 'hangup');
  }
});

test('node A is killed mid-call: the person on B sees the other’s seat leave within the lease, and the other is back through nginx without touching the page', async ({
  cluster,
  newPerson,
}) => {
  test.setTimeout(180_000);
  // Ana must be on node A for this to mean anything: while she joins, nginx sends new
  // connections to A only (B marked `down`, as before maintenance). Bo goes to B directly.
  await cluster.lbOnly('a');
  const ana = await newPerson();
  const anaLog = recordSignaling(ana);
  await open(ana, lb(cluster), 'failover', 'Ana');
  const bo = await newPerson();
  const boLog = recordSignaling(bo);
  await open(bo, node(cluster, 'b'), 'failover', 'Bo');
  await expectPeople(ana, ['Ana', 'Bo']);
  await expectPeople(bo, ['Ana', 'Bo']);
  await expect.poll(() => sessions(cluster)).toEqual({ a: 1, b: 1 });
  // Both nodes take new connections again; Ana's socket stays where it is, on A.
  await cluster.lbOnly(null);
  await Promise.all([expectDecodingFromAll(ana, 1), expectDecodingFromAll(bo, 1)]);
  const [anaSeatOnA] = peerIdsNamed(boLog, 'Ana');
  expect(anaSeatOnA).toBeDefined();
  // Set in the page now: still there at the end means the page was never reloaded.
  await ana.evaluate(() => {
    (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
  });

  const killedAt = Date.now();
  await cluster.kill9('a');

  // Bo is told that the seat Ana held on A is gone once A's lease runs out.
  const left = await nextMessage(
    boLog,
    (m) => m.type === 'peer-left' && m.peerId === anaSeatOnA,
    cluster.leaseTtlMs + 30_000,
    `peer-left for Ana's seat on node A (lease ${cluster.leaseTtlMs} ms)`,
  );
  console.log(
    `kill -9 node A: Bo got peer-left for Ana's seat there after ${left.at - killedAt} ms (lease TTL ${cluster.leaseTtlMs} ms)`,
  );
  expect(left.message.reason).toBe('timeout');

  // Ana's page reconnected by itself to the same address (nginx), which skipped the dead
  // node, and took a new seat on B.
  const rejoined = await nextMessage(
    anaLog,
    (m, at) => m.type === 'joined' && at > killedAt,
    60_000,
    'Ana joined again through nginx',
  );
  console.log(`kill -9 node A: Ana had a seat again after ${rejoined.at - killedAt} ms`);
  expect(rejoined.socket.startsWith(cluster.lbUrl.replace(/^http/, 'ws'))).toBe(true);
  await expect(ana.getByTestId('call')).toHaveAttribute('data-state', 'joined');
  await expectPeople(ana, ['Ana', 'Bo']);
  await expectPeople(bo, ['Ana', 'Bo']);
  expect(peerIdsNamed(boLog, 'Ana')).toHaveLength(2);
  await expect.poll(() => sessions(cluster)).toEqual({ a: null, b: 2 });
  expect(
    await ana.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
  ).toBe(true);
  await Promise.all([expectDecodingFromAll(ana, 1), expectDecodingFromAll(bo, 1)]);
});

test('Redis restarts mid-call: media keeps flowing, /readyz goes false and back to true, then chat and a newcomer work', async ({
  cluster,
  newPerson,
}) => {
  test.setTimeout(180_000);
  const ana = await open(await newPerson(), node(cluster, 'a'), 'redis-room', 'Ana');
  const bo = await open(await newPerson(), node(cluster, 'b'), 'redis-room', 'Bo');
  await expectPeople(ana, ['Ana', 'Bo']);
  await expectPeople(bo, ['Ana', 'Bo']);
  await Promise.all([expectDecodingFromAll(ana, 1), expectDecodingFromAll(bo, 1)]);
  await openChat(ana);
  await openChat(bo);
  await say(ana, 'before the restart');
  await expect.poll(() => chatTexts(bo)).toEqual(['before the restart']);
  await expect.poll(() => readiness(cluster)).toEqual([true, true]);

  await cluster.redisRestart(async () => {
    const killedAt = Date.now();
    await expect
      .poll(() => readiness(cluster), { timeout: 30_000, intervals: [250] })
      .toEqual([false, false]);
    console.log(`Redis killed: /readyz false on both nodes after ${Date.now() - killedAt} ms`);
    // Media is peer to peer: the call does not need Redis.
    await Promise.all([expectDecodingFromAll(ana, 1), expectDecodingFromAll(bo, 1)]);
  });
  const restartedAt = Date.now();
  await expect
    .poll(() => readiness(cluster), { timeout: 60_000, intervals: [250] })
    .toEqual([true, true]);
  console.log(`Redis restarted: /readyz true on both nodes after ${Date.now() - restartedAt} ms`);

  // The nodes wrote their state again: chat crosses nodes, nothing lost or doubled…
  await say(bo, 'after the restart');
  for (const page of [ana, bo]) {
    await expect
      .poll(() => chatTexts(page), { timeout: 30_000 })
      .toEqual(['before the restart', 'after the restart']);
  }
  // …and a newcomer through nginx finds both in the room, with the history.
  const cy = await open(await newPerson(), lb(cluster), 'redis-room', 'Cy');
  for (const page of [ana, bo, cy]) {
    await expectPeople(page, ['Ana', 'Bo', 'Cy']);
  }
  await expectDecodingFromAll(cy, 2);
  await openChat(cy);
  await expect.poll(() => chatTexts(cy)).toEqual(['before the restart', 'after the restart']);
});

test('node A drains on SIGTERM: the person on it moves to node B without touching the page, and A comes back ready (one step of a rolling restart)', async ({
  cluster,
  newPerson,
}) => {
  test.setTimeout(180_000);
  await cluster.lbOnly('a');
  const ana = await newPerson();
  const anaLog = recordSignaling(ana);
  await open(ana, lb(cluster), 'drain-room', 'Ana');
  const bo = await open(await newPerson(), node(cluster, 'b'), 'drain-room', 'Bo');
  await expectPeople(ana, ['Ana', 'Bo']);
  await expectPeople(bo, ['Ana', 'Bo']);
  await expect.poll(() => sessions(cluster)).toEqual({ a: 1, b: 1 });
  await cluster.lbOnly(null);
  await Promise.all([expectDecodingFromAll(ana, 1), expectDecodingFromAll(bo, 1)]);
  await ana.evaluate(() => {
    (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
  });

  const stoppedAt = Date.now();
  await cluster.terminate('a');
  console.log(`SIGTERM node A: it drained and exited after ${Date.now() - stoppedAt} ms`);
  const moved = await nextMessage(
    anaLog,
    (m, at) => m.type === 'joined' && at > stoppedAt,
    60_000,
    'Ana in the room again after node A drained',
  );
  console.log(`SIGTERM node A: Ana had a seat on B after ${moved.at - stoppedAt} ms`);
  await expectPeople(ana, ['Ana', 'Bo']);
  await expectPeople(bo, ['Ana', 'Bo']);
  await expect.poll(() => sessions(cluster)).toEqual({ a: null, b: 2 });
  expect(
    await ana.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
  ).toBe(true);
  await Promise.all([expectDecodingFromAll(ana, 1), expectDecodingFromAll(bo, 1)]);

  // The next step of a rolling restart waits for this.
  await cluster.restart('a');
  await expect.poll(() => cluster.readyz('a'), { timeout: 30_000 }).toBe(true);
});

test('a direct call goes on when the caller’s node drains: the tab moves to node B and takes its call along', async ({
  cluster,
  newPerson,
}) => {
  test.setTimeout(180_000);
  const b = node(cluster, 'b');
  const xena = await newPerson();
  const yuri = await newPerson();
  const xenaUser = await signUp(xena, b, 'xena');
  const yuriUser = await signUp(yuri, b, 'yuri');
  await befriend(xena, yuri, b, yuriUser, xenaUser);
  // Xena's tab reaches node A through nginx; Yuri's is on node B.
  await cluster.lbOnly('a');
  await openContacts(xena, lb(cluster));
  await openContacts(yuri, b);
  await expect(contactRow(xena, yuriUser.username)).toBeVisible();
  await expect.poll(() => sessions(cluster)).toEqual({ a: 1, b: 1 });
  await cluster.lbOnly(null);

  await startCall(xena, yuriUser.username, 'video');
  await incoming(yuri).getByTestId('accept-call').click();
  for (const page of [xena, yuri]) {
    await expect(page.getByTestId('call-status')).toHaveText('Connected', { timeout: 30_000 });
  }
  await Promise.all([expectDecodingFromAll(xena, 1), expectDecodingFromAll(yuri, 1)]);

  const stoppedAt = Date.now();
  await cluster.terminate('a');
  console.log(`SIGTERM node A during a direct call: drained after ${Date.now() - stoppedAt} ms`);
  await expect.poll(() => sessions(cluster)).toEqual({ a: null, b: 2 });
  for (const page of [xena, yuri]) {
    await expect(callScreen(page)).toHaveAttribute('data-state', 'active');
  }
  // Media never stopped, and the call's signaling now runs through node B: hang up.
  await Promise.all([expectDecodingFromAll(xena, 1), expectDecodingFromAll(yuri, 1)]);
  await xena.getByTestId('call-end').click();
  for (const page of [xena, yuri]) {
    await expect(outcome(page)).toHaveAttribute('data-reason', 'hangup');
  }
});
