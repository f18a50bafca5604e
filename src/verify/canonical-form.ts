// The canonical, type-normalised text of a row that checksums hash. It is decided by the TARGET
// column's type, computed by Postgres in SQL for Postgres tables and by JavaScript for SQLite rows
// (from the exact text the cast rules send to Postgres), so equal data gives equal text:
//   boolean 't'/'f' · integers decimal · numeric trim_scale(x)::text · float4/float8 IEEE-754 bytes
//   as hex (float8send) · timestamp and timestamptz (in UTC) as Postgres' ISO output, fraction without
//   trailing zeros ('YYYY-MM-DD HH:MM:SS[.f]': x::text is about half the CPU of to_char) · date
//   'YYYY-MM-DD' · bytea '\x' + hex · jsonb its text output (keys sorted) · text types x::text ·
//   any other type its output function's text (types that normalise their input, e.g. inet
//   '10.0.0.1/32' → '10.0.0.1', can differ from the SQLite text and are then reported).
// A row is its fields joined by U+0002 with NULL as U+0001; its hash is hashtextextended(row, 0).
import { quoteIdent } from '../db/pg-identifiers.js';
import { canonicalJsonb } from '../copy/cast/cast-rules.js';
import type { TargetType } from '../copy/cast/target-kind.js';

export const FIELD_SEPARATOR = '\u0002';
export const NULL_MARKER = '\u0001';

const scratch = Buffer.alloc(8);
function doubleHex(value: number): string {
  scratch.writeDoubleBE(value, 0);
  return scratch.toString('hex');
}

/**
 * The cast rules send timestamps as 'YYYY-MM-DDTHH:MM:SS.ffffff' (+ 'Z'); Postgres' ISO output of
 * the same value is 'YYYY-MM-DD HH:MM:SS[.f]' (trailing zeros of the fraction dropped). 'infinity'
 * and '-infinity' print as themselves.
 */
function isoTimestampText(text: string): string {
  if (text.length < 26) return text;
  let end = 26;
  while (end > 20 && text.charCodeAt(end - 1) === 48) end--;
  return `${text.slice(0, 10)} ${text.slice(11, 19)}${end > 20 ? text.slice(19, end) : ''}`;
}

/** Converted text (what was sent to Postgres) → canonical text; identity for most kinds. */
export function canonicalizer(type: TargetType): ((text: string) => string) | null {
  switch (type.kind) {
    case 'numeric': return (text) => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);
    case 'float8': return (text) => doubleHex(Number(text));
    case 'float4': return (text) => doubleHex(Math.fround(Number(text)));
    case 'bpchar': return (text) => text.replace(/ +$/, '');
    case 'timestamp':
    case 'timestamptz': return isoTimestampText;
    case 'jsonb': return canonicalJsonb;
    default: return null;
  }
}

/** SQL for the canonical text of `expr` (a column, possibly cast to the target type). */
export function canonicalSql(expr: string, type: TargetType): string {
  switch (type.kind) {
    case 'boolean': return `CASE ${expr} WHEN true THEN 't' WHEN false THEN 'f' END`;
    case 'numeric': return `trim_scale(${expr})::text`;
    case 'float8': return `encode(float8send(${expr}), 'hex')`;
    case 'float4': return `encode(float8send((${expr})::float8), 'hex')`;
    case 'bytea': return `'\\x' || encode(${expr}, 'hex')`;
    // ISO output (every cutover session sets DateStyle 'ISO, YMD'); timestamptz converted to UTC first.
    case 'date': return `(${expr})::text`;
    case 'timestamp': return `(${expr})::text`;
    case 'timestamptz': return `((${expr}) AT TIME ZONE 'UTC')::text`;
    // The type's output function (what COPY sends), not its text cast: inet::text adds '/32'.
    case 'other': return `CASE WHEN (${expr}) IS NOT NULL THEN concat(${expr}) END`;
    default: return `(${expr})::text`;
  }
}

export interface CanonicalColumn {
  /** Column name in the table being read. */
  name: string;
  /** Target type: decides the canonical form. */
  type: TargetType;
  /** Cast the column to the target type first (Postgres source whose type differs). */
  castTo?: string;
}

/** SQL text of the whole canonical row. */
export function canonicalRowSql(columns: CanonicalColumn[]): string {
  const fields = columns.map((c) => {
    const expr = c.castTo ? `${quoteIdent(c.name)}::${c.castTo}` : quoteIdent(c.name);
    return `coalesce(${canonicalSql(expr, c.type)}, E'\\x01')`;
  });
  return fields.length === 0 ? `''` : `concat_ws(E'\\x02', ${fields.join(', ')}) COLLATE "C"`;
}

/** SQL for the row's 64-bit hash. */
export function rowHashSql(columns: CanonicalColumn[]): string {
  return `hashtextextended(${canonicalRowSql(columns)}, 0)`;
}
