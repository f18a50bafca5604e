// The canonical, type-normalised text of a row that checksums hash. It is decided by the TARGET
// column's type, computed by Postgres in SQL for Postgres tables and by JavaScript for SQLite rows
// (from the exact text the cast rules send to Postgres), so equal data gives equal text:
//   boolean 't'/'f' · integers decimal · numeric trim_scale(x)::text · float4/float8 IEEE-754 bytes
//   as hex (float8send) · timestamp 'YYYY-MM-DDTHH:MM:SS.ffffff' (timestamptz in UTC + 'Z') · date
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

/** Converted text (what was sent to Postgres) → canonical text; identity for most kinds. */
export function canonicalizer(type: TargetType): ((text: string) => string) | null {
  switch (type.kind) {
    case 'numeric': return (text) => (text.includes('.') ? text.replace(/\.?0+$/, '') : text);
    case 'float8': return (text) => doubleHex(Number(text));
    case 'float4': return (text) => doubleHex(Math.fround(Number(text)));
    case 'bpchar': return (text) => text.replace(/ +$/, '');
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
    case 'date': return `CASE WHEN isfinite(${expr}) THEN to_char(${expr}, 'YYYY-MM-DD') ELSE (${expr})::text END`;
    case 'timestamp': return `CASE WHEN isfinite(${expr}) THEN to_char(${expr}, 'YYYY-MM-DD"T"HH24:MI:SS.US') ELSE (${expr})::text END`;
    case 'timestamptz': return `CASE WHEN isfinite(${expr}) THEN to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') ELSE (${expr})::text END`;
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
