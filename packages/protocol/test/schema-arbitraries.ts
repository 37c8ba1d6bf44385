import fc from 'fast-check';
import type { z } from 'zod';

/**
 * fast-check arbitraries read from the protocol's own zod schemas, so the property tests
 * generate what the schemas accept without a second, hand-written copy of every message
 * that would drift from them. Covers the zod kinds the protocol uses (objects, strings
 * with length and regex checks, integers with bounds, literals, enums, arrays, unions,
 * optional, nullable, default, and pipes after a transform); anything else throws, so a
 * new kind in a schema shows up here rather than being generated wrongly.
 *
 * Every leaf is filtered through its own schema and every object through its own (for
 * `refine` checks such as "exactly one of description or candidate"), so what comes out
 * is valid by the schema's verdict, not by this file's reading of it.
 */

/** Strings longer than this are not generated (frames stay small; oversize is tested apart). */
const LONGEST_GENERATED = 200;

interface CheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
}

interface Def {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  out?: z.ZodType;
  values?: unknown[];
  entries?: Record<string, unknown>;
}

/** zod 4 keeps a schema's definition on `_zod.def`; the types above are what we read of it. */
export function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function checksOf(schema: z.ZodType): CheckDef[] {
  return (defOf(schema).checks ?? []).map((c) => c._zod.def);
}

/** The longest a string or array may be by its schema, or undefined when unbounded. */
export function maxLengthOf(schema: z.ZodType): number | undefined {
  const check = checksOf(schema).find((c) => c.check === 'max_length');
  return check?.maximum;
}

/** True when the object schema refuses keys it does not name (`z.strictObject`). */
export function isStrict(schema: z.ZodType): boolean {
  const catchall = defOf(schema).catchall;
  return catchall !== undefined && defOf(catchall).type === 'never';
}

/** True when the key may be left out (`optional`, `default`). */
export function isOptionalField(schema: z.ZodType): boolean {
  const kind = defOf(schema).type;
  return kind === 'optional' || kind === 'default';
}

function stringArbitrary(schema: z.ZodType): fc.Arbitrary<string> {
  const checks = checksOf(schema);
  const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
  const max = Math.min(
    checks.find((c) => c.check === 'max_length')?.maximum ?? LONGEST_GENERATED,
    LONGEST_GENERATED,
  );
  const regex = checks.find((c) => c.check === 'string_format' && c.pattern)?.pattern;
  const base = regex
    ? fc.stringMatching(regex, { maxLength: max })
    : fc.oneof(
        fc.string({ minLength: min, maxLength: max }),
        // Whole Unicode, lone surrogates included: what a hostile or broken client sends.
        fc.string({ minLength: min, maxLength: max, unit: 'binary' }),
      );
  return base;
}

function numberArbitrary(schema: z.ZodType): fc.Arbitrary<number> {
  const checks = checksOf(schema);
  const isInt = checks.some((c) => c.check === 'number_format' && /int/.test(c.format ?? ''));
  const low = checks.find((c) => c.check === 'greater_than');
  const high = checks.find((c) => c.check === 'less_than');
  if (isInt) {
    const min = low ? (low.inclusive ? low.value! : low.value! + 1) : -1_000_000;
    const max = high ? (high.inclusive ? high.value! : high.value! - 1) : 1_000_000_000_000;
    return fc.integer({ min, max });
  }
  return fc.double({
    noNaN: true,
    noDefaultInfinity: true,
    ...(low ? { min: low.value!, minExcluded: !low.inclusive } : {}),
    ...(high ? { max: high.value!, maxExcluded: !high.inclusive } : {}),
  });
}

/** An arbitrary of values `schema` accepts (its input side: before defaults and transforms). */
export function arbitraryOf(schema: z.ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const valid = (v: unknown): boolean => schema.safeParse(v).success;
  switch (def.type) {
    case 'string':
      return stringArbitrary(schema).filter(valid);
    case 'number':
      return numberArbitrary(schema).filter(valid);
    case 'boolean':
      return fc.boolean();
    case 'literal':
      return fc.constantFrom(...(def.values ?? []));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? {}));
    case 'optional':
      return fc.option(arbitraryOf(def.innerType!), { nil: undefined });
    case 'nullable':
      return fc.option(arbitraryOf(def.innerType!), { nil: null });
    case 'default':
      return fc.option(arbitraryOf(def.innerType!), { nil: undefined });
    case 'pipe':
      // A transform then a check (`trim` then 1–64 characters): what passes the check
      // after the transform is generated; the filter keeps those the whole pipe accepts.
      return arbitraryOf(def.out!).filter(valid);
    case 'array': {
      const max = Math.min(maxLengthOf(schema) ?? 5, 5);
      return fc.array(arbitraryOf(def.element!), { maxLength: max }).filter(valid);
    }
    case 'union':
      return fc.oneof(...(def.options ?? []).map(arbitraryOf));
    case 'object': {
      const shape = def.shape ?? {};
      const fields = Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, arbitraryOf(s)]));
      return fc
        .record(fields)
        .map((o) => dropUndefined(o as Record<string, unknown>))
        .filter(valid);
    }
    default:
      throw new Error(`schema-arbitraries: no generator for zod kind "${def.type}"`);
  }
}

/** JSON has no `undefined`: an optional field left out is a key that is not there. */
function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Any JSON value, nested a little: what a retyped or added field is set to. */
export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 });
