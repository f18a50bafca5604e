// SQLite declared type → Postgres column type for create-tables, in the spirit of pgloader's
// default casts. SQLite types are only hints (any column can hold any value), so the mapping is
// generous: every integer is bigint, every character type is text (SQLite never enforced the
// length, so varchar(n) would reject real data), and anything unknown becomes text.

export interface MappedType {
  /** pg_type.typname of the result, for the cast rules. */
  typname: string;
  /** SQL type as written in CREATE TABLE. */
  sql: string;
}

interface TypeRule {
  test: RegExp;
  map: (declared: string) => MappedType;
  why: string;
}

const fixed = (typname: string, sql: string) => () => ({ typname, sql });

export const sqliteTypeRules: TypeRule[] = [
  { test: /^$/, map: fixed('text', 'text'), why: 'no declared type: SQLite "BLOB affinity", values are usually text' },
  { test: /^(bool|boolean)$/, map: fixed('bool', 'boolean'), why: 'explicit boolean; 0/1 and t/f convert' },
  // tinyint(1) is MySQL's boolean, but in SQLite it holds whatever the app wrote: keep it numeric.
  { test: /^(tinyint|smallint|int2|short)\b.*unsigned|^(smallint|int2) unsigned/, map: fixed('int4', 'integer'), why: 'unsigned 16-bit needs 32 bits' },
  { test: /^(tinyint|smallint|int2|short integer|short)\b/, map: fixed('int2', 'smallint'), why: 'small integers' },
  // Only real integer type names: a typo like pgloader's "intege" holds text too, so it falls to text.
  { test: /^(int|integer|bigint|int4|int8|mediumint|unsigned big int)\b/, map: fixed('int8', 'bigint'), why: 'SQLite integers are 64-bit' },
  { test: /^(numeric|decimal)\s*\(\s*\d+\s*(,\s*\d+\s*)?\)/, map: (d) => { const m = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(d)!; return { typname: 'numeric', sql: `numeric(${m[1]},${m[2] ?? 0})` }; }, why: 'keep precision and scale' },
  { test: /^(numeric|decimal|number|money)/, map: fixed('numeric', 'numeric'), why: 'exact numbers' },
  { test: /^(real|double|float|double precision)/, map: fixed('float8', 'double precision'), why: 'SQLite REAL is an 8-byte IEEE float' },
  { test: /^(timestamptz|timestamp with time zone|datetimeoffset)/, map: fixed('timestamptz', 'timestamp with time zone'), why: 'explicit zone' },
  { test: /^(datetime|timestamp|smalldatetime)/, map: fixed('timestamp', 'timestamp without time zone'), why: 'SQLite datetimes carry no zone' },
  { test: /^date$/, map: fixed('date', 'date'), why: 'calendar date' },
  { test: /^time$/, map: fixed('time', 'time without time zone'), why: 'time of day' },
  { test: /^(blob|bytea|binary|varbinary|image)/, map: fixed('bytea', 'bytea'), why: 'bytes' },
  { test: /^jsonb?$/, map: fixed('jsonb', 'jsonb'), why: 'validated JSON; jsonb is what apps query' },
  { test: /^(uuid|uniqueidentifier|guid)$/, map: fixed('uuid', 'uuid'), why: 'validated UUIDs' },
  { test: /char|clob|text|string/, map: fixed('text', 'text'), why: 'lengths and collations (nocase) are not enforced by SQLite: text' },
  { test: /.*/, map: fixed('text', 'text'), why: 'catch-all: unknown declared types hold text' },
];

export function mapSqliteType(declaredType: string): MappedType {
  const declared = declaredType.toLowerCase().replace(/["'`[\]]/g, '').replace(/\s+/g, ' ').trim();
  return sqliteTypeRules.find((rule) => rule.test.test(declared))!.map(declared);
}
