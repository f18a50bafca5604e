// SQLite value → Postgres input text, as a DATA TABLE: one row per (target kind, SQLite storage
// class), first match wins, an explicit catch-all at the end. Each converter returns the exact text
// Postgres will store (normalised, so checksums can predict it) or throws CastFailure, which stops the
// copy (on-error: fail) or sends the row to the rejects file (on-error: skip).
import { isUtf8 } from 'node:buffer';
import { formatDecimal, integerDigits, parseDecimal, roundDecimal, trimmedDecimal, wholeNumber, type Decimal } from './decimal-text.js';
import type { TargetKind, TargetType } from './target-kind.js';
import { epochToMicros, formatDateOnly, formatTimestamp, normalizeLocalDateTime, normalizeTime, parseDateTime, TemporalError } from './temporal-text.js';
import { checkJsonb, JsonTextError, jsonbText, validateJson } from '../../verify/jsonb-text.js';

/** SQLite storage classes as better-sqlite3 hands them over (integers always as BigInt). */
export type SourceClass = 'integer' | 'real' | 'text' | 'blob';
export type SqliteValue = bigint | number | string | Buffer;

export class CastFailure extends Error {}

type Convert = (value: never, type: TargetType) => string;

export interface CastRule {
  target: TargetKind | '*';
  source: SourceClass | '*';
  convert: Convert;
}

const fail = (reason: string): never => {
  throw new CastFailure(reason);
};

const INTEGER_RANGE: Record<string, [bigint, bigint]> = {
  int2: [-32768n, 32767n],
  int4: [-2147483648n, 2147483647n],
  int8: [-9223372036854775808n, 9223372036854775807n],
};

function checkedInteger(value: bigint, type: TargetType): string {
  const [min, max] = INTEGER_RANGE[type.kind];
  if (value < min || value > max) fail(`out of range for ${type.sql}`);
  return value.toString();
}

function decimalText(decimal: Decimal | null, type: TargetType): string {
  if (!decimal) return fail('not a number');
  if (type.scale === undefined) return formatDecimal(decimal, Math.max(0, decimal.scale));
  const rounded = roundDecimal(decimal, type.scale);
  if (integerDigits(rounded) > type.precision! - type.scale) fail(`numeric field overflow for ${type.sql}`);
  // A declared scale SQLite never enforced: rounding would change the value without a word.
  if (type.strict && trimmedDecimal(rounded) !== trimmedDecimal(decimal)) fail(`has more than ${type.scale} decimal places (${type.sql}); rounding it would change the value`);
  return formatDecimal(rounded, type.scale);
}

/** JS shortest round-trip text; '-0' kept (String(-0) is '0'). */
function floatText(value: number, type: TargetType): string {
  if (type.kind === 'float4' && Number.isFinite(value) && Math.abs(value) > 3.4028234663852886e38) fail(`out of range for real`);
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

const TRUE_WORDS = new Set(['t', 'true', 'y', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['f', 'false', 'n', 'no', 'off', '0']);
const UUID = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;
const NUMBER_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;
const SPECIAL_FLOATS: Record<string, number> = { nan: NaN, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity, inf: Infinity, '-inf': -Infinity };

function utf8Text(value: Buffer): string {
  if (!isUtf8(value)) fail('is not valid UTF-8');
  return value.toString('utf8');
}

function plainText(value: string, type: TargetType): string {
  if (value.includes('\0')) fail('contains a NUL character, which Postgres text cannot store');
  if (type.length !== undefined && value.length > type.length) {
    const chars = Array.from(value);
    if (chars.length > type.length) {
      // Like Postgres: excess trailing spaces are cut, anything else is an error (a declared length
      // SQLite never enforced: even the spaces, since cutting them changes the value).
      if (type.strict || chars.slice(type.length).join('').trim() !== '') fail(`is ${chars.length} characters, longer than ${type.sql}`);
      return chars.slice(0, type.length).join('');
    }
  }
  return value;
}

function temporal(micros: () => bigint, kind: TargetKind): string {
  try {
    const value = micros();
    if (kind === 'date') return formatDateOnly(value);
    return kind === 'timestamptz' ? `${formatTimestamp(value)}Z` : formatTimestamp(value);
  } catch (error) {
    if (error instanceof TemporalError) return fail(error.message);
    throw error;
  }
}

function temporalFromText(value: string, kind: TargetKind): string {
  const fast = normalizeLocalDateTime(value, kind === 'date');
  if (fast !== null) return kind === 'timestamptz' ? `${fast}Z` : fast;
  const trimmed = value.trim().toLowerCase();
  if (trimmed === 'infinity' || trimmed === '-infinity') return trimmed;
  // Epoch numbers stored as text ('1700000000') are as common as real ones.
  if (NUMBER_TEXT.test(value)) return temporal(() => epochToMicros(Number(value)), kind);
  return temporal(() => parseDateTime(value).micros, kind);
}

function jsonText(value: string, kind: TargetKind): string {
  try {
    if (kind === 'jsonb') checkJsonb(value);
    else validateJson(value);
    return value;
  } catch (error) {
    if (error instanceof JsonTextError) return fail(`is not valid JSON${kind === 'jsonb' ? 'B' : ''}: ${error.message}`);
    throw error;
  }
}

/** jsonb's canonical text (checksums): the document validated last is not parsed again. */
export const canonicalJsonb = jsonbText;

export const castRules: CastRule[] = [
  // Booleans stored as 0/1 (SQLite has no boolean type).
  { target: 'boolean', source: 'integer', convert: (v: bigint) => (v === 0n ? 'f' : v === 1n ? 't' : fail('expected 0 or 1 for a boolean')) },
  { target: 'boolean', source: 'real', convert: (v: number) => (v === 0 ? 'f' : v === 1 ? 't' : fail('expected 0 or 1 for a boolean')) },
  // 't'/'f', 'true'/'false', 'yes'/'no', 'on'/'off', '1'/'0' in any case.
  { target: 'boolean', source: 'text', convert: (v: string) => { const w = v.trim().toLowerCase(); return TRUE_WORDS.has(w) ? 't' : FALSE_WORDS.has(w) ? 'f' : fail('is not a boolean (expected 0/1, t/f, true/false, yes/no)'); } },
  { target: 'int2', source: 'integer', convert: checkedInteger },
  { target: 'int4', source: 'integer', convert: checkedInteger },
  { target: 'int8', source: 'integer', convert: checkedInteger },
  // 1.0 → 1 is exact; 1.5 would lose data, so it is an error (not rounded).
  ...(['int2', 'int4', 'int8'] as const).flatMap((target) => [
    { target, source: 'real' as const, convert: (v: number, t: TargetType) => (Number.isInteger(v) ? checkedInteger(BigInt(v), t) : fail(`is not a whole number (${t.sql})`)) },
    { target, source: 'text' as const, convert: (v: string, t: TargetType) => { const d = parseDecimal(v); const w = d && wholeNumber(d); return w === null || w === undefined ? fail(`is not a whole number (${t.sql})`) : checkedInteger(w, t); } },
  ]),
  { target: 'numeric', source: 'integer', convert: (v: bigint, t: TargetType) => decimalText(parseDecimal(v.toString()), t) },
  // REAL → numeric goes through the shortest text that round-trips (0.1 stays 0.1, not 0.1000000000000000055).
  { target: 'numeric', source: 'real', convert: (v: number, t: TargetType) => (Number.isFinite(v) ? decimalText(parseDecimal(String(v)), t) : t.scale === undefined ? (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity') : fail(`cannot be stored in ${t.sql}`)) },
  { target: 'numeric', source: 'text', convert: (v: string, t: TargetType) => (/^\s*nan\s*$/i.test(v) && t.scale === undefined ? 'NaN' : decimalText(parseDecimal(v), t)) },
  ...(['float4', 'float8'] as const).flatMap((target) => [
    { target, source: 'integer' as const, convert: (v: bigint, t: TargetType) => floatText(Number(v), t) },
    { target, source: 'real' as const, convert: floatText },
    // Decimal text, or NaN/Infinity spelled as Postgres accepts them; '1e400' is out of range, not Infinity.
    { target, source: 'text' as const, convert: (v: string, t: TargetType) => { const special = SPECIAL_FLOATS[v.trim().toLowerCase()]; if (special !== undefined) return floatText(special, t); if (!NUMBER_TEXT.test(v)) return fail('is not a number'); const n = Number(v); return Number.isFinite(n) ? floatText(n, t) : fail(`out of range for ${t.sql}`); } },
  ]),
  { target: 'bytea', source: 'blob', convert: (v: Buffer) => `\\x${v.toString('hex')}` },
  // Blobs often live in TEXT-typed SQLite columns; their bytes are what the app stored.
  { target: 'bytea', source: 'text', convert: (v: string) => `\\x${Buffer.from(v, 'utf8').toString('hex')}` },
  ...(['date', 'timestamp', 'timestamptz'] as const).flatMap((target) => [
    // Unix epoch seconds; values ≥ 1e11 are milliseconds (1e11 s would be the year 5138).
    { target, source: 'integer' as const, convert: (v: bigint) => temporal(() => epochToMicros(v), target) },
    { target, source: 'real' as const, convert: (v: number) => temporal(() => epochToMicros(v), target) },
    // ISO 8601 with 'T' or a space, optional fraction and offset; an offset is applied (stored as UTC).
    { target, source: 'text' as const, convert: (v: string) => temporalFromText(v, target) },
  ]),
  { target: 'time', source: 'text', convert: (v: string) => { try { return normalizeTime(v); } catch (e) { return fail((e as Error).message); } } },
  // JSON is validated here: Postgres would reject it mid-COPY without naming the row.
  { target: 'json', source: 'text', convert: (v: string) => jsonText(v, 'json') },
  { target: 'jsonb', source: 'text', convert: (v: string) => jsonText(v, 'jsonb') },
  { target: 'json', source: 'blob', convert: (v: Buffer) => jsonText(utf8Text(v), 'json') },
  { target: 'jsonb', source: 'blob', convert: (v: Buffer) => jsonText(utf8Text(v), 'jsonb') },
  { target: 'json', source: 'integer', convert: (v: bigint) => v.toString() },
  { target: 'jsonb', source: 'integer', convert: (v: bigint) => v.toString() },
  // Hyphenated, bare 32-hex or {braced}; stored lower-case hyphenated as Postgres prints it.
  { target: 'uuid', source: 'text', convert: (v: string) => { const m = UUID.exec(v.trim()); return m ? m.slice(1).join('-').toLowerCase() : fail('is not a UUID'); } },
  // 16-byte blobs are how many apps store UUIDs.
  { target: 'uuid', source: 'blob', convert: (v: Buffer) => (v.length === 16 ? v.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-') : fail('is a blob that is not 16 bytes, so not a UUID')) },
  // Text-like targets: SQLite REAL prints as SQLite would ('1.0', not '1').
  ...(['text', 'varchar', 'bpchar', 'other'] as const).flatMap((target) => [
    { target, source: 'integer' as const, convert: (v: bigint, t: TargetType) => plainText(v.toString(), t) },
    { target, source: 'real' as const, convert: (v: number, t: TargetType) => plainText(Number.isInteger(v) && Math.abs(v) < 1e15 ? v.toFixed(1) : String(v), t) },
    { target, source: 'text' as const, convert: plainText },
    // Text stored as a blob (or bytes that are not UTF-8: pgloader's bad-utf8 test bed).
    { target, source: 'blob' as const, convert: (v: Buffer, t: TargetType) => plainText(utf8Text(v), t) },
  ]),
  // Catch-all: no rule for this pair (e.g. a blob into an integer) — refuse rather than guess.
  { target: '*', source: '*', convert: (_v: never, t: TargetType) => fail(`has no conversion to ${t.sql}`) },
];

export function findCastRule(target: TargetKind, source: SourceClass): CastRule {
  return castRules.find((rule) => (rule.target === target || rule.target === '*') && (rule.source === source || rule.source === '*'))!;
}


/** A converter for one target column: picks the rule per storage class once, then only dispatches. */
export function columnConverter(type: TargetType): (value: SqliteValue | null) => string | null {
  const byClass = {
    integer: findCastRule(type.kind, 'integer').convert as (v: SqliteValue, t: TargetType) => string,
    real: findCastRule(type.kind, 'real').convert as (v: SqliteValue, t: TargetType) => string,
    text: findCastRule(type.kind, 'text').convert as (v: SqliteValue, t: TargetType) => string,
    blob: findCastRule(type.kind, 'blob').convert as (v: SqliteValue, t: TargetType) => string,
  };
  return (value) => {
    if (value === null) return null;
    switch (typeof value) {
      case 'bigint': return byClass.integer(value, type);
      case 'number': return byClass.real(value, type);
      case 'string': return byClass.text(value, type);
      default: return byClass.blob(value, type);
    }
  };
}
