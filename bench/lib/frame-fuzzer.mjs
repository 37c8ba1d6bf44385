/**
 * Random and mutated client frames for the fuzz bench: valid messages of most client
 * types, then broken one way each (a field removed, retyped, added or made oversize, the
 * JSON cut short, bytes flipped), and plain garbage (random text, random bytes, binary
 * frames, deep nesting). Seeded, so a run can be repeated. The property tests
 * (packages/protocol/test/decoder.property.test.ts) generate from the schemas themselves;
 * this is the cheap, plain-JS generator a load process can run 100,000 times.
 */

/** A small seeded PRNG (mulberry32): the same seed gives the same frames. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

const media = () => ({ audio: true, video: false });

/** One valid frame per client type the bench exercises (ids random, so most miss). */
function templates(r) {
  const id = `p${r.int(1e6)}`;
  const room = `fuzz-${r.int(50)}`;
  return [
    { type: 'hello', v: 1, rid: `h${r.int(100)}` },
    { type: 'ping' },
    { type: 'join', room, name: 'Fuzzer', media: media(), rid: 'j1' },
    { type: 'leave', rid: 'l1' },
    {
      type: 'signal',
      to: id,
      candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' },
    },
    { type: 'signal', to: id, description: { type: 'offer', sdp: 'v=0\r\n' } },
    { type: 'media-state', media: { audio: false, video: true, hand: true } },
    { type: 'chat-send', clientId: `c${r.int(1e6)}`, text: `fuzz ${r.int(1e6)}`, rid: 'c1' },
    { type: 'chat-history', limit: 20, rid: 'ch' },
    { type: 'chat-typing', typing: true },
    { type: 'room-data', data: 'x', rid: 'rd' },
    { type: 'room-data', to: id, data: 'x', stream: { id: 's1', op: 'open', label: 'f' } },
    { type: 'call-invite', to: id, media: 'video', rid: 'ci' },
    { type: 'call-end', callId: id, rid: 'ce' },
    { type: 'dm-send', to: id, clientId: 'd1', text: 'hi', rid: 'dm' },
    { type: 'meet-start', name: 'Fuzzer', interests: ['chess'], rid: 'ms' },
    { type: 'board-watch', rid: 'bw' },
    { type: 'board-post', name: 'Fuzzer', topic: 'talk', media: 'audio', rid: 'bp' },
    { type: 'sfu-publish', jsep: { type: 'offer', sdp: 'v=0\r\n' }, rid: 'sp' },
  ];
}

/** A value of a JSON type picked at random: what a retyped or added field becomes. */
function anyValue(r, depth = 0) {
  switch (r.int(depth > 2 ? 6 : 8)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER]);
    case 3:
      return randomText(r, r.int(40));
    case 4:
      return '';
    case 5:
      return r.pick(['__proto__', 'constructor', 'toString', 'valueOf']);
    case 6:
      return Array.from({ length: r.int(4) }, () => anyValue(r, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: r.int(4) }, () => [randomText(r, 6), anyValue(r, depth + 1)]),
      );
  }
}

/** Text from the whole of Unicode, lone surrogates and control characters included. */
function randomText(r, length) {
  let s = '';
  for (let i = 0; i < length; i++) {
    const kind = r.int(4);
    s +=
      kind === 0
        ? String.fromCharCode(r.int(32))
        : kind === 1
          ? String.fromCharCode(0xd800 + r.int(0x800))
          : kind === 2
            ? String.fromCodePoint(r.int(0x10ffff))
            : String.fromCharCode(32 + r.int(95));
  }
  return s;
}

/** The ways a frame is made: `valid` leaves the template alone; the rest break it. */
export const MUTATIONS = [
  'valid',
  'field-removed',
  'field-retyped',
  'field-added',
  'field-oversize',
  'unknown-type',
  'type-missing',
  'truncated-json',
  'bytes-flipped',
  'random-text',
  'random-bytes',
  'binary-frame',
  'not-an-object',
  'deep-nesting',
  'oversize-frame',
];

/**
 * The two kinds the server answers by closing the socket are rare (1 frame in 100 each),
 * so that most frames reach the decoder instead of dying with their socket.
 */
const CLOSING = new Set(['random-bytes', 'oversize-frame']);

function pickMutation(r) {
  if (r.chance(0.02)) {
    return r.chance(0.5) ? 'random-bytes' : 'oversize-frame';
  }
  for (;;) {
    const m = r.pick(MUTATIONS);
    if (!CLOSING.has(m)) {
      return m;
    }
  }
}

/**
 * One frame: `{ mutation, data }`, `data` a string (a text frame) or a Buffer (sent as
 * binary when `binary`). `maxMessageBytes` is the server's limit: `oversize-frame` goes
 * one past it (the server closes with 1009), every other frame stays under it.
 */
export function fuzzFrame(r, maxMessageBytes) {
  const mutation = pickMutation(r);
  const base = r.pick(templates(r));
  const keys = Object.keys(base).filter((k) => k !== 'type');
  const m = { ...base };
  switch (mutation) {
    case 'valid':
      break;
    case 'field-removed':
      if (keys.length) {
        delete m[r.pick(keys)];
      }
      break;
    case 'field-retyped':
      if (keys.length) {
        m[r.pick(keys)] = anyValue(r);
      }
      break;
    case 'field-added':
      m[r.pick(['from', 'self', '__proto__', 'extra', randomText(r, 8)])] = anyValue(r);
      break;
    case 'field-oversize': {
      const key = keys.length ? r.pick(keys) : 'type';
      m[key] = 'x'.repeat(Math.min(maxMessageBytes - 200, 65 + r.int(5000)));
      break;
    }
    case 'unknown-type':
      m.type = r.chance(0.5) ? randomText(r, r.int(80)) : `${base.type}-x`;
      break;
    case 'type-missing':
      delete m.type;
      break;
    case 'truncated-json': {
      const text = JSON.stringify(m);
      return { mutation, data: text.slice(0, r.int(text.length)) };
    }
    case 'bytes-flipped': {
      const bytes = Buffer.from(JSON.stringify(m));
      for (let i = 0, n = 1 + r.int(4); i < n; i++) {
        bytes[r.int(bytes.length)] = r.int(256);
      }
      return { mutation, data: bytes.toString('latin1') };
    }
    case 'random-text':
      return { mutation, data: randomText(r, r.int(300)) };
    case 'random-bytes':
      // Sent as a text frame: mostly invalid UTF-8, which `ws` refuses with 1007.
      return {
        mutation,
        data: Buffer.from(Array.from({ length: 1 + r.int(300) }, () => r.int(256))),
        binary: false,
      };
    case 'binary-frame':
      return { mutation, data: Buffer.from(JSON.stringify(m)), binary: true };
    // (every other frame is text)
    case 'not-an-object':
      return { mutation, data: JSON.stringify(r.pick([[m], 'hello', 42, null, true, [1, 2]])) };
    case 'deep-nesting': {
      const open = r.chance(0.5) ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      const fits = Math.floor((maxMessageBytes - 100) / (open.length + 1));
      const depth = Math.min(fits, 1000 + r.int(20_000));
      return {
        mutation,
        data: `{"type":"join","room":${open.repeat(depth)}1${close.repeat(depth)}}`,
      };
    }
    case 'oversize-frame':
      return { mutation, data: JSON.stringify({ ...m, pad: 'x'.repeat(maxMessageBytes) }) };
  }
  return { mutation, data: JSON.stringify(m) };
}
