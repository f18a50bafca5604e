// A SQLite column DEFAULT as a Postgres default of the same meaning, or the reason there is none.
// Literals go through the same cast rules as the copied values (so DEFAULT 0 on a DATETIME gives
// what a copied 0 gives); the current date and time in all of SQLite's spellings (CURRENT_TIMESTAMP,
// datetime('now'), strftime(…, 'now'), unixepoch()) become Postgres' clock in the column's type.
// SQLite's clock is UTC ('localtime' asks for the server's zone), and a zone-less time is UTC to
// the cast rules too, so the UTC wall time is what goes into a timestamp column.
import { quoteLiteral } from '../../db/pg-identifiers.js';
import { isWord, matchingClose, tokenizeSqlite, type Token } from '../../db/sqlite-sql-tokens.js';
import { CastFailure, columnConverter, type SqliteValue } from '../cast/cast-rules.js';
import type { TargetType } from '../cast/target-kind.js';

export type DefaultTranslation = { sql: string } | { reason: string } | { none: true };

const UTC_NOW = `(CURRENT_TIMESTAMP AT TIME ZONE 'UTC')`;
const LOCAL_NOW = 'LOCALTIMESTAMP';
const TEXT_KINDS = new Set(['text', 'varchar', 'bpchar', 'other']);

/** strftime conversions → to_char patterns (letters outside them are quoted for to_char). */
const STRFTIME: Record<string, string> = { Y: 'YYYY', m: 'MM', d: 'DD', H: 'HH24', M: 'MI', S: 'SS', f: 'SS.MS', j: 'DDD', '%': '%' };

function toCharPattern(format: string): string | null {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    if (format[i] === '%') {
      const pattern = STRFTIME[format[++i]];
      if (!pattern) return null;
      out += pattern;
    } else {
      out += /[A-Za-z]/.test(format[i]) ? `"${format[i]}"` : format[i];
    }
  }
  return out;
}

interface ClockCall {
  /** What the SQLite value looks like: a to_char pattern, or 'epoch' (unixepoch / %s). */
  pattern: string;
  local: boolean;
}

const DATE_TIME = 'YYYY-MM-DD HH24:MI:SS';

/** CURRENT_TIMESTAMP, datetime('now'[, 'localtime'|'utc']), strftime(f, 'now'), unixepoch() … or null. */
function clockCall(tokens: Token[]): ClockCall | null | 'other' {
  if (tokens.length === 1 && isWord(tokens[0], 'current_timestamp')) return { pattern: DATE_TIME, local: false };
  if (tokens.length === 1 && isWord(tokens[0], 'current_date')) return { pattern: 'YYYY-MM-DD', local: false };
  if (tokens.length === 1 && isWord(tokens[0], 'current_time')) return { pattern: 'HH24:MI:SS', local: false };
  if (tokens[0]?.kind !== 'word' || tokens[1]?.kind !== 'open' || matchingClose(tokens, 1) !== tokens.length - 1) return null;
  const name = tokens[0].value.toLowerCase();
  const args = tokens.slice(2, -1).filter((t) => t.kind !== 'comma');
  if (args.some((t) => t.kind !== 'string')) return 'other';
  const values = args.map((t) => t.value.toLowerCase());
  let pattern: string | null;
  let rest: string[];
  if (name === 'unixepoch') {
    pattern = 'epoch';
    rest = values;
  } else if (name === 'strftime') {
    pattern = args[0]?.value === '%s' ? 'epoch' : toCharPattern(args[0]?.value ?? '');
    rest = values.slice(1);
  } else {
    pattern = ({ datetime: DATE_TIME, date: 'YYYY-MM-DD', time: 'HH24:MI:SS' } as Record<string, string>)[name] ?? null;
    rest = values;
  }
  if (pattern === null) return 'other';
  if (rest.length > 0 && rest[0] !== 'now') return 'other';
  const modifiers = rest.slice(1);
  if (modifiers.some((m) => m !== 'localtime' && m !== 'utc')) return 'other';
  return { pattern, local: modifiers.at(-1) === 'localtime' };
}

function clockDefault(call: ClockCall, type: TargetType): string | null {
  const now = call.local ? LOCAL_NOW : UTC_NOW;
  const hasDate = call.pattern.includes('YYYY') && call.pattern.includes('MM') && call.pattern.includes('DD');
  const hasTime = call.pattern.includes('HH24') && call.pattern.includes('MI');
  if (call.pattern === 'epoch') return ['int2', 'int4', 'int8', 'numeric', 'float8'].includes(type.kind) ? 'CAST(floor(extract(epoch FROM CURRENT_TIMESTAMP)) AS bigint)' : null;
  switch (type.kind) {
    case 'timestamp':
      return hasDate ? (hasTime ? now : `date_trunc('day', ${now})`) : null;
    case 'timestamptz':
      if (!hasDate) return null;
      if (hasTime && !call.local) return 'CURRENT_TIMESTAMP';
      return `(${hasTime ? now : `date_trunc('day', ${now})`} AT TIME ZONE 'UTC')`;
    case 'date':
      return hasDate ? `CAST(${now} AS date)` : null;
    case 'time':
      return hasTime && !hasDate ? `CAST(${now} AS time(0))` : null;
    default:
      return TEXT_KINDS.has(type.kind) ? `to_char(${now}, ${quoteLiteral(call.pattern)})` : null;
  }
}

function literalValue(tokens: Token[]): SqliteValue | undefined {
  const [first, second] = tokens;
  if (tokens.length === 1 && (first.kind === 'string' || (first.kind === 'quoted' && first.text.startsWith('"')))) return first.value;
  if (tokens.length === 1 && first.kind === 'blob') return Buffer.from(first.value, 'hex');
  if (tokens.length === 1 && isWord(first, 'true', 'false')) return isWord(first, 'true') ? 1n : 0n;
  const sign = tokens.length === 2 && first.kind === 'op' && (first.text === '-' || first.text === '+') ? first.text : '';
  const number = sign ? second : tokens.length === 1 ? first : undefined;
  if (number?.kind !== 'number') return undefined;
  if (/^0x/i.test(number.text)) return BigInt(`${sign}${BigInt(number.text)}`);
  return /^\d+$/.test(number.text) ? BigInt(`${sign}${number.text}`) : Number(`${sign}${number.text}`);
}

export function translateDefault(defaultSql: string | null, type: TargetType): DefaultTranslation {
  const text = defaultSql?.trim();
  if (!text) return { none: true };
  let tokens: Token[];
  try {
    tokens = tokenizeSqlite(text);
  } catch (error) {
    return { reason: `it could not be read (${(error as Error).message})` };
  }
  while (tokens.length > 2 && tokens[0].kind === 'open' && matchingClose(tokens, 0) === tokens.length - 1) tokens = tokens.slice(1, -1);
  if (tokens.length === 1 && isWord(tokens[0], 'null')) return { none: true };
  const clock = clockCall(tokens);
  if (clock && clock !== 'other') {
    const sql = clockDefault(clock, type);
    return sql ? { sql } : { reason: `the current date/time in this form does not fit a ${type.sql} column` };
  }
  const literal = literalValue(tokens);
  if (literal === undefined) return { reason: 'only literals and the current date/time are translated' };
  try {
    const converted = columnConverter({ ...type, strict: true })(literal);
    return converted === null ? { none: true } : { sql: quoteLiteral(converted) };
  } catch (error) {
    if (error instanceof CastFailure) return { reason: `the value ${error.message}` };
    throw error;
  }
}
