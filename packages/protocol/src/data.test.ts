import { expect, it } from 'vitest';
import { parseClientMessage, parseServerMessage } from './index.js';

const parse = (m: object) => parseClientMessage(JSON.stringify(m));

it('reads room data to one participant or all, with an optional stream', () => {
  expect(parse({ type: 'room-data', data: 'hi' })).toEqual({
    ok: true,
    message: { type: 'room-data', data: 'hi' },
  });
  const open = parse({
    type: 'room-data',
    to: 'p1',
    stream: { id: 'a1', op: 'open', label: 'parley-file:1' },
  });
  expect(open.ok && open.message).toEqual({
    type: 'room-data',
    to: 'p1',
    data: '',
    stream: { id: 'a1', op: 'open', label: 'parley-file:1' },
  });
  expect(
    parse({
      type: 'room-data',
      to: 'p1',
      data: 'AAE=',
      binary: true,
      stream: { id: 'a1', op: 'message' },
    }).ok,
  ).toBe(true);
});

it('refuses a `from` of the client, a stream to everyone, and a label off an open', () => {
  const refused = [
    { type: 'room-data', data: 'x', from: 'forged' },
    { type: 'room-data', stream: { id: 'a1', op: 'message' } },
    { type: 'room-data', to: 'p1', stream: { id: 'a1', op: 'open' } },
    { type: 'room-data', to: 'p1', stream: { id: 'a1', op: 'close', label: 'x' } },
    { type: 'room-data', to: 'p1', stream: { id: 'a b', op: 'close' } },
    { type: 'room-data', to: 'p1', stream: { id: 'a1', op: 'message', extra: 1 } },
  ];
  for (const m of refused) {
    const r = parse(m);
    expect(r.ok ? 'accepted' : r.code, JSON.stringify(m)).toBe('bad_message');
  }
});

it('reads what the server forwards, with `from` stamped', () => {
  const r = parseServerMessage(JSON.stringify({ type: 'room-data', from: 'p2', data: 'x' }));
  expect(r.ok && r.message).toEqual({ type: 'room-data', from: 'p2', data: 'x' });
});
