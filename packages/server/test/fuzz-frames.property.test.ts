import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientMessageSchemas,
  CloseCode,
  ERROR_CODES,
  parseServerMessage,
  type ServerMessage,
} from '@parley/protocol';
import type { ParleyServer } from '../src/app.js';
import { anyJson, arbitraryOf } from '../../protocol/test/schema-arbitraries.js';
import { startServer, TestClient } from './helpers.js';

/**
 * A live server under arbitrary frames (property-based, fast-check): each run opens a
 * socket, greets or not, sends a burst of random, mutated and valid frames, and then a
 * barrier. Whatever it sent, the socket gets only well-formed `error` frames with known
 * codes (or replies of known types), or a close with a documented code; and two
 * participants in a call on the same server keep exchanging signals, intact and in order.
 */

const MAX_MESSAGE_BYTES = 4096;
/** Close codes the server may use on a socket that sent garbage (docs/PROTOCOL.md). */
const DOCUMENTED_CLOSES = new Set<number>([
  CloseCode.InvalidPayload,
  CloseCode.TooLarge,
  CloseCode.VersionMismatch,
  CloseCode.PolicyViolation,
]);

const clientTypes = Object.keys(clientMessageSchemas) as Array<keyof typeof clientMessageSchemas>;
const validMessage = fc.oneof(...clientTypes.map((t) => arbitraryOf(clientMessageSchemas[t])));

/** Bytes sent in a text frame (mostly not UTF-8). */
interface TextBytes {
  textBytes: Buffer;
}

/** One frame, as text or bytes: random, a known type with junk fields, valid, or oversize. */
const frame: fc.Arbitrary<string | Buffer | TextBytes> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ maxLength: 200, unit: 'binary' }),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => ({ textBytes: Buffer.from(b) })),
  anyJson.map((v) => JSON.stringify(v)),
  fc
    .tuple(fc.constantFrom(...clientTypes), fc.dictionary(fc.string({ maxLength: 10 }), anyJson))
    .map(([type, fields]) => JSON.stringify({ ...fields, type })),
  validMessage.map((m) => JSON.stringify(m)),
  validMessage.map((m) => JSON.stringify(m).slice(0, -1)),
  fc.constant('x'.repeat(MAX_MESSAGE_BYTES + 1)),
);

let server: ParleyServer;
let ana: TestClient;
let ben: TestClient;
let benId = '';
let sent = 0;

beforeAll(async () => {
  server = await startServer({ maxMessageBytes: MAX_MESSAGE_BYTES, resumeGraceMs: 200 });
  ana = await TestClient.connect(server);
  ben = await TestClient.connect(server);
  await ana.join('calm-room', 'Ana');
  benId = (await ben.join('calm-room', 'Ben')).self;
});

afterAll(async () => {
  ana?.close();
  ben?.close();
  await server?.close();
});

/** Ana signals Ben; he must get exactly that candidate, stamped as hers. */
async function callStillWorks(): Promise<void> {
  sent += 1;
  const text = `candidate:${sent} 1 udp 1 127.0.0.1 9 typ host`;
  const got = ben.next('signal', (m) => m.candidate?.candidate === text);
  ana.send({ type: 'signal', to: benId, candidate: { candidate: text } });
  expect((await got).candidate).toEqual({ candidate: text });
}

/** Wait until the server has handled every frame sent before this, or closed the socket. */
async function barrier(c: TestClient): Promise<{ code: number } | undefined> {
  const rid = 'barrier';
  const answered = new Promise<undefined>((resolve) => {
    c.ws.on('message', (data) => {
      if ((JSON.parse(data.toString()) as { rid?: string }).rid === rid) {
        resolve(undefined);
      }
    });
  });
  // On a greeted socket a hello is answered with `already_greeted`; otherwise with welcome.
  if (c.ws.readyState === c.ws.OPEN) {
    c.send({ type: 'hello', v: 1, rid });
  }
  return Promise.race([answered, c.closed]);
}

describe('a live server under arbitrary frames', () => {
  it('answers with typed errors or a documented close, and the call beside it carries on', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(frame, { minLength: 1, maxLength: 12 }),
        async (greet, frames) => {
          const attacker = await TestClient.connect(server, greet);
          try {
            for (const f of frames) {
              if (attacker.ws.readyState !== attacker.ws.OPEN) {
                break;
              }
              if (typeof f === 'object' && 'textBytes' in f) {
                attacker.ws.send(f.textBytes, { binary: false });
              } else {
                attacker.sendRaw(f);
              }
            }
            const closed = await barrier(attacker);
            if (closed) {
              expect(DOCUMENTED_CLOSES).toContain(closed.code);
            }
            for (const m of attacker.received) {
              // Everything the server said parses as a server message.
              expect(parseServerMessage(JSON.stringify(m)).ok).toBe(true);
              if (m.type === 'error') {
                expect(ERROR_CODES).toContain(m.code);
              }
            }
          } finally {
            attacker.ws.terminate();
          }
          await callStillWorks();
        },
      ),
      { numRuns: 60 },
    );
    // Nothing Ana and Ben did not send reached them as a signal; they are still two.
    const signals = ben.received.filter(
      (m): m is Extract<ServerMessage, { type: 'signal' }> => m.type === 'signal',
    );
    expect(signals.map((m) => m.candidate?.candidate)).toEqual(
      Array.from({ length: sent }, (_, i) => `candidate:${i + 1} 1 udp 1 127.0.0.1 9 typ host`),
    );
    // A newcomer is served as usual.
    const late = await TestClient.connect(server);
    const joined = await late.join('calm-room', 'Cy');
    expect(joined.peers.map((p) => p.name)).toEqual(expect.arrayContaining(['Ana', 'Ben']));
    late.close();
  }, 120_000);
});
