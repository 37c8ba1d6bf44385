import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  clientMessageSchemas,
  ERROR_CODES,
  parseClientMessage,
  parseServerMessage,
  readSignalOut,
  serverMessageSchemas,
  SignalOut,
  type ParseResult,
} from '../src/index.js';
import {
  anyJson,
  arbitraryOf,
  defOf,
  isOptionalField,
  isStrict,
  maxLengthOf,
} from './schema-arbitraries.js';

/**
 * Properties of the frame decoder (`parseClientMessage`, and `parseServerMessage` that the
 * SDK runs): whatever arrives, it answers with a typed message or a typed refusal, never
 * an exception; every valid message survives encode → decode; a valid message broken in
 * one place is refused with the code a client can act on.
 */

const NUM_RUNS = 300;
const clientTypes = Object.keys(clientMessageSchemas) as Array<keyof typeof clientMessageSchemas>;
const DECODER_CODES = new Set(['bad_json', 'bad_message', 'unknown_type']);

/** A result is either a message of a known type or a refusal with a stable code. */
function expectTyped(result: ParseResult<{ type: string }>, known: readonly string[]): void {
  if (result.ok) {
    expect(known).toContain(result.message.type);
    return;
  }
  expect(DECODER_CODES.has(result.code)).toBe(true);
  expect(ERROR_CODES).toContain(result.code);
  expect(typeof result.message).toBe('string');
  expect(result.message.length).toBeGreaterThan(0);
  if (result.of !== undefined) {
    expect(result.of.length).toBeLessThanOrEqual(40);
  }
  if (result.rid !== undefined) {
    expect(result.rid.length).toBeLessThanOrEqual(64);
  }
}

function schemaOf(type: string): z.ZodType {
  return clientMessageSchemas[type as keyof typeof clientMessageSchemas] as z.ZodType;
}

/** One valid client message of any type. */
const validClientMessage = fc.oneof(
  ...clientTypes.map((type) =>
    arbitraryOf(clientMessageSchemas[type]).map((m) => ({
      type,
      message: m as Record<string, unknown>,
    })),
  ),
);

/** A frame that is a JSON object of a known type with random fields: deep into the schemas. */
const knownTypeWithJunk = fc
  .tuple(fc.constantFrom(...clientTypes), fc.dictionary(fc.string({ maxLength: 12 }), anyJson))
  .map(([type, fields]) => JSON.stringify({ ...fields, type }));

/** Bytes as the gateway turns them into text (`Buffer#toString`, invalid UTF-8 replaced). */
const bytesAsText = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString());

const anyFrame = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ maxLength: 300, unit: 'binary' }),
  bytesAsText,
  anyJson.map((v) => JSON.stringify(v)),
  knownTypeWithJunk,
  validClientMessage.map(({ message }) => JSON.stringify(message)),
);

describe('decoder: any input', () => {
  it('never throws: a client frame is a typed message or a typed refusal', () => {
    fc.assert(
      fc.property(anyFrame, (raw) => {
        expectTyped(parseClientMessage(raw), clientTypes);
      }),
      { numRuns: NUM_RUNS * 3 },
    );
  });

  it('never throws on the SDK side either (server frames)', () => {
    const serverTypes = Object.keys(serverMessageSchemas);
    const serverish = fc
      .tuple(fc.constantFrom(...serverTypes), fc.dictionary(fc.string({ maxLength: 12 }), anyJson))
      .map(([type, fields]) => JSON.stringify({ ...fields, type }));
    fc.assert(
      fc.property(fc.oneof(anyFrame, serverish), (raw) => {
        expectTyped(parseServerMessage(raw), serverTypes);
      }),
      { numRuns: NUM_RUNS * 2 },
    );
  });

  it('refuses what is not a JSON object with bad_json or bad_message, never more', () => {
    const notObject = fc.oneof(
      fc.string().filter((s) => !isJson(s)),
      fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string(), fc.array(anyJson)),
    );
    fc.assert(
      fc.property(notObject, (v) => {
        const raw = typeof v === 'string' && !isJson(v) ? v : JSON.stringify(v);
        const result = parseClientMessage(raw);
        expect(result.ok).toBe(false);
        expect(result.ok ? '' : result.code).toBe(isJson(raw) ? 'bad_message' : 'bad_json');
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

describe('decoder: valid messages', () => {
  it('every valid message round-trips: decode(encode(m)) is what its schema makes of m', () => {
    fc.assert(
      fc.property(validClientMessage, ({ type, message }) => {
        const schema = schemaOf(type);
        const result = parseClientMessage(JSON.stringify(message));
        expect(result).toEqual({ ok: true, message: schema.parse(message) });
        // And the decoded message, sent again, decodes to itself (defaults and trims settle).
        if (result.ok) {
          expect(result.message.type).toBe(type);
          expect(parseClientMessage(JSON.stringify(result.message))).toEqual(result);
        }
      }),
      { numRuns: NUM_RUNS * 2 },
    );
  });

  it('the signal fast path agrees with the schema on generated and mutated frames', () => {
    const signalish = fc.oneof(
      arbitraryOf(SignalOut),
      fc
        .tuple(arbitraryOf(SignalOut), fc.string({ maxLength: 12 }), anyJson)
        .map(([m, key, value]) => ({ ...(m as object), [key]: value })),
      fc
        .tuple(
          arbitraryOf(SignalOut),
          fc.constantFrom('description', 'candidate'),
          fc.string({ maxLength: 12 }),
          anyJson,
        )
        .map(([m, outer, key, value]) => {
          const o = m as Record<string, unknown>;
          const inner = o[outer];
          return typeof inner === 'object' && inner !== null
            ? { ...o, [outer]: { ...inner, [key]: value } }
            : o;
        }),
    );
    fc.assert(
      fc.property(signalish, (frame) => {
        // Through JSON, as the gateway sees it (a `__proto__` key becomes an own key).
        const parsed = JSON.parse(JSON.stringify(frame)) as Record<string, unknown>;
        const fast = readSignalOut(parsed);
        const slow = SignalOut.safeParse(parsed);
        if (fast !== undefined) {
          expect(slow.success).toBe(true);
          expect(fast).toEqual(slow.data);
        }
        // And the decoder as a whole gives the schema's verdict either way.
        expect(parseClientMessage(JSON.stringify(frame)).ok).toBe(slow.success);
      }),
      { numRuns: NUM_RUNS * 2 },
    );
  });
});

/** Shape of an object schema (a `refine` keeps the object's def in zod 4). */
function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  return defOf(schema).shape ?? {};
}

/** A valid message of a type whose schema has at least one field matching `pick`. */
function withField(pick: (field: z.ZodType, key: string) => boolean) {
  const types = clientTypes.filter((t) =>
    Object.entries(shapeOf(clientMessageSchemas[t])).some(([k, s]) => k !== 'type' && pick(s, k)),
  );
  return fc.constantFrom(...types).chain((type) => {
    const schema = clientMessageSchemas[type] as z.ZodType;
    const keys = Object.entries(shapeOf(schema))
      .filter(([k, s]) => k !== 'type' && pick(s, k))
      .map(([k]) => k);
    return fc.record({
      type: fc.constant(type),
      message: arbitraryOf(schema) as fc.Arbitrary<Record<string, unknown>>,
      key: fc.constantFrom(...keys),
    });
  });
}

/** A request id the decoder can echo, or none. */
const ridOrNone = fc.option(fc.stringMatching(/^[a-z0-9]{1,16}$/), { nil: undefined });

function expectRefused(
  raw: string,
  code: string,
  of: string | undefined,
  rid: string | undefined,
): void {
  const result = parseClientMessage(raw);
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.code).toBe(code);
    expect(result.of).toBe(of);
    expect(result.rid).toBe(rid);
  }
}

/** The rid a mutated frame carries: only types whose schema has one may echo it. */
function withRid(schema: z.ZodType, m: Record<string, unknown>, rid: string | undefined) {
  const hasRid = 'rid' in shapeOf(schema);
  const out = { ...m };
  delete out.rid;
  return {
    frame: hasRid && rid !== undefined ? { ...out, rid } : out,
    rid: hasRid ? rid : undefined,
  };
}

describe('decoder: a valid message broken in one place is refused with the right code', () => {
  it('a required field removed: bad_message, with the type and the request id echoed', () => {
    fc.assert(
      fc.property(
        withField((s, k) => !isOptionalField(s) && k !== 'rid'),
        ridOrNone,
        ({ type, message, key }, rid) => {
          const schema = schemaOf(type);
          const { frame, rid: echoed } = withRid(schema, message, rid);
          delete frame[key];
          expectRefused(JSON.stringify(frame), 'bad_message', type, echoed);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('a field set to a value of a type its schema refuses: bad_message', () => {
    fc.assert(
      fc.property(
        withField((_s, k) => k !== 'rid'),
        anyJson,
        ridOrNone,
        ({ type, message, key }, value, rid) => {
          const schema = schemaOf(type);
          const field = shapeOf(schema)[key] as z.ZodType;
          fc.pre(value !== undefined && !field.safeParse(value).success);
          const { frame, rid: echoed } = withRid(schema, message, rid);
          frame[key] = value;
          expectRefused(JSON.stringify(frame), 'bad_message', type, echoed);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('an unknown field added: refused by strict schemas, dropped by the others', () => {
    fc.assert(
      fc.property(
        validClientMessage,
        // Keys a prototype or a server stamp would answer to, besides random ones.
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 12 }),
          fc.constantFrom('__proto__', 'constructor', 'toString', 'from', 'self'),
        ),
        anyJson,
        ({ type, message }, key, value) => {
          const schema = schemaOf(type);
          fc.pre(!Object.hasOwn(shapeOf(schema), key));
          const frame = { ...message, [key]: value };
          const result = parseClientMessage(JSON.stringify(frame));
          if (isStrict(schema)) {
            expect(result).toMatchObject({ ok: false, code: 'bad_message', of: type });
          } else {
            // Nothing the schema did not check reaches a handler.
            expect(result.ok).toBe(true);
            expect(result.ok && Object.hasOwn(result.message, key)).toBe(false);
            expect(result.ok && Object.getPrototypeOf(result.message)).toBe(Object.prototype);
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('a string or list one past its limit: bad_message', () => {
    fc.assert(
      fc.property(
        withField((s) => maxLengthOf(unwrapped(s)) !== undefined),
        ({ type, message, key }) => {
          const field = unwrapped(shapeOf(schemaOf(type))[key] as z.ZodType);
          const max = maxLengthOf(field) as number;
          const frame = { ...message };
          frame[key] =
            defOf(field).type === 'array'
              ? Array.from({ length: max + 1 }, () => (frame[key] as unknown[])?.[0] ?? 'x')
              : 'x'.repeat(max + 1);
          expectRefused(JSON.stringify(frame), 'bad_message', type, readableRid(frame));
        },
      ),
      { numRuns: NUM_RUNS / 3 },
    );
  });

  it('an unknown type: unknown_type, with the type echoed cut to 40 characters', () => {
    fc.assert(
      fc.property(validClientMessage, fc.string({ maxLength: 80 }), ({ message }, type) => {
        fc.pre(!Object.prototype.hasOwnProperty.call(clientMessageSchemas, type));
        const result = parseClientMessage(JSON.stringify({ ...message, type }));
        expect(result).toMatchObject({ ok: false, code: 'unknown_type', of: type.slice(0, 40) });
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

/** The string or array under `optional`/`nullable`/`default`, whose length check applies. */
function unwrapped(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (['optional', 'nullable', 'default'].includes(defOf(s).type)) {
    s = defOf(s).innerType as z.ZodType;
  }
  return s;
}

function readableRid(frame: Record<string, unknown>): string | undefined {
  return typeof frame.rid === 'string' && frame.rid.length <= 64 ? frame.rid : undefined;
}
