/**
 * The client SDK's chat against a real server: the outbox survives a server restart
 * and the message is stored once. Node has no RTCPeerConnection: @roamhq/wrtc stands in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import wrtc from '@roamhq/wrtc';
import {
  ChatClient,
  ExponentialBackoff,
  Room,
  SignalingClient,
  type ChatEntry,
  type WebSocketLike,
} from '@parley/client';
import type { ParleyServer } from '../src/index.js';
import { startServer } from './helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    await c();
  }
});

async function start(
  dataDir: string,
  port = 0,
  chatRateLimit = 5,
  chatMaxLength = 4000,
): Promise<ParleyServer> {
  const server = await startServer({ port, dataDir, chatRateLimit, chatMaxLength });
  cleanups.push(() => server.close());
  return server;
}

function participant(url: string): { room: Room; chat: ChatClient } {
  const signaling = new SignalingClient({
    url,
    createSocket: (u) => new WebSocket(u) as unknown as WebSocketLike,
    reconnect: new ExponentialBackoff({ baseMs: 100, maxMs: 400 }),
  });
  const room = new Room(signaling, {
    RTCPeerConnection: wrtc.RTCPeerConnection as unknown as typeof RTCPeerConnection,
  });
  const chat = new ChatClient(room, { retryDelayMs: 200 });
  cleanups.push(() => {
    chat.close();
    room.close();
    signaling.close();
  });
  return { room, chat };
}

function until(chat: ChatClient, test: (entries: readonly ChatEntry[]) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    if (test(chat.entries)) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(
          `timed out; entries: ${JSON.stringify(chat.entries.map((e) => [e.text, e.status]))}`,
        ),
      );
    }, 15_000);
    const off = chat.on('change', (entries) => {
      if (test(entries)) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
}

it('delivers a message written while the server was down once it is back, exactly once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-chat-client-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const s1 = await start(dir);
  const port = Number(new URL(s1.url).port);
  const ada = participant(s1.wsUrl);
  await ada.room.join('outbox-room', { name: 'Ada' });
  ada.chat.send('before the outage');
  await until(ada.chat, (e) =>
    e.some((x) => x.text === 'before the outage' && x.status === 'sent'),
  );

  await s1.close();
  await new Promise<void>((resolve) => {
    if (ada.room.signaling.state === 'reconnecting') {
      resolve();
    }
    ada.room.signaling.on('state', (st) => st === 'reconnecting' && resolve());
  });
  const offline = ada.chat.send('written while the server is down');
  expect(offline.status).toBe('pending');
  await new Promise((r) => setTimeout(r, 500));
  expect(ada.chat.entries.find((e) => e.clientId === offline.clientId)?.status).toBe('pending');

  const s2 = await start(dir, port);
  await until(ada.chat, (e) =>
    e.some((x) => x.clientId === offline.clientId && x.status === 'sent'),
  );
  // A late joiner sees both, once each, in order, with the sender stamped.
  const bob = participant(s2.wsUrl);
  await bob.room.join('outbox-room', { name: 'Bob' });
  await until(bob.chat, (e) => e.length >= 2);
  expect(bob.chat.entries.map((e) => [e.text, e.name, e.own])).toEqual([
    ['before the outage', 'Ada', false],
    ['written while the server is down', 'Ada', false],
  ]);
  // Ada's copy is marked as hers even though her peer id changed with the new server.
  expect(ada.chat.entries.every((e) => e.own)).toBe(true);
  // Bob talks; Ada receives it live.
  const live = new Promise<ChatEntry>((resolve) => ada.chat.once('message', resolve));
  bob.chat.send('welcome back');
  expect((await live).text).toBe('welcome back');
});

it('fetches what was said while its session was lost', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-chat-client-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const s1 = await start(dir);
  const ada = participant(s1.wsUrl);
  const bob = participant(s1.wsUrl);
  await ada.room.join('catchup', { name: 'Ada' });
  await bob.room.join('catchup', { name: 'Bob' });
  bob.chat.send('one');
  await until(ada.chat, (e) => e.some((x) => x.text === 'one'));
  // Ada drops; Bob keeps talking; Ada's room comes back (resumed, so the server buffered
  // what she missed, or rejoined, and she fetches after her last seen message).
  ada.room.signaling.dropConnection();
  for (const t of ['two', 'three', 'four']) {
    bob.chat.send(t);
  }
  await until(ada.chat, (e) => e.filter((x) => x.status === 'sent').length === 4);
  expect(ada.chat.entries.map((e) => e.text)).toEqual(['one', 'two', 'three', 'four']);
});

it('keeps writing order when the rate limit holds messages back', async () => {
  const s1 = await start(':memory:', 0, 1);
  const ada = participant(s1.wsUrl);
  await ada.room.join('ordered', { name: 'Ada' });
  const written = ['a', 'b', 'c', 'd', 'e'];
  for (const text of written) {
    ada.chat.send(text);
  }
  // Burst of 2, then 1 a second: the rest wait in the outbox and go out in order.
  await until(ada.chat, (e) => e.length === 5 && e.every((x) => x.status === 'sent'));
  const entries = ada.chat.entries;
  expect(entries.map((e) => e.text)).toEqual(written);
  const seqs = entries.map((e) => e.seq as number);
  expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
});

it('marks a message the server refuses as failed, with the reason, until retried or deleted', async () => {
  const s1 = await start(':memory:', 0, 5, 10);
  const ada = participant(s1.wsUrl);
  // Written before joining: the client does not know the server's limit yet.
  const entry = ada.chat.send('this is longer than ten characters');
  expect(entry.status).toBe('pending');
  await ada.room.join('refused', { name: 'Ada' });
  await until(ada.chat, (e) => e[0]?.status === 'failed');
  expect(ada.chat.entries[0]?.error).toMatchObject({ code: 'message_too_long' });
  expect(ada.chat.limits?.maxLength).toBe(10);
  // Now the limit is known, the client refuses at once.
  expect(() => ada.chat.send('also far too long')).toThrow(/at most 10 characters/);
  ada.chat.retry(entry.clientId);
  await until(ada.chat, (e) => e[0]?.status === 'failed');
  ada.chat.discard(entry.clientId);
  expect(ada.chat.entries).toEqual([]);
  ada.chat.send('short');
  await until(ada.chat, (e) => e.length === 1 && e[0]?.status === 'sent');
});
