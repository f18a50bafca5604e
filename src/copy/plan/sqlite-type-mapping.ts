// SQLite declared type → Postgres column type for create-tables, as ONE DATA TABLE: first match
// wins, an explicit catch-all at the end. Declared types are kept where Postgres has them
// (varchar(n), numeric(p,s), boolean, date, timestamp, json, uuid). SQLite never enforces a length
// or a scale, so a value that does not fit stops the copy naming the row (it is never cut or
// rounded; see `strict` in target-kind.ts) — unless lengths are dropped (create-tables-lengths:
// drop), which gives text and plain numeric as pgloader does. The README's table is generated from
// this one (typeMappingMarkdown), next to what pgloader 3.6.7 creates for the same declaration.

export interface MappedType {
  /** pg_type.typname of the result, for the cast rules. */
  typname: string;
  /** SQL type as written in CREATE TABLE. */
  sql: string;
  /** A length or precision SQLite declared but never enforced: values that do not fit fail. */
  strict?: boolean;
}

export interface TypeMappingOptions {
  /** false: varchar(n)/char(n) → text and numeric(p,s) → numeric (create-tables-lengths: drop). */
  keepLengths: boolean;
}

interface TypeRule {
  /** For the README: the SQLite declarations this row matches, and one of them to map. */
  sqlite: string;
  example: string;
  test: RegExp;
  map: (declared: string, options: TypeMappingOptions) => MappedType;
  /** For the README: what pgloader 3.6.7 creates (measured with its default casts). */
  pgloader: string;
  why: string;
}

const fixed = (typname: string, sql: string) => (): MappedType => ({ typname, sql });
const args = (declared: string) => /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(declared);

function sized(declared: string, options: TypeMappingOptions): MappedType {
  const length = args(declared)?.[1];
  if (!length || !options.keepLengths || Number(length) < 1 || Number(length) > 10485760) return { typname: 'text', sql: 'text' };
  return { typname: 'varchar', sql: `character varying(${length})`, strict: true };
}

function decimal(declared: string, options: TypeMappingOptions): MappedType {
  const m = args(declared);
  const precision = Number(m?.[1]);
  const scale = Number(m?.[2] ?? 0);
  // Postgres allows precision 1..1000 and 0 ≤ scale ≤ precision here; anything else stays unconstrained.
  if (!m || !options.keepLengths || precision < 1 || precision > 1000 || scale > precision) return { typname: 'numeric', sql: 'numeric' };
  return { typname: 'numeric', sql: `numeric(${precision},${scale})`, strict: true };
}

export const sqliteTypeRules: TypeRule[] = [
  { sqlite: '(none)', example: '', test: /^$/, map: fixed('text', 'text'), pgloader: 'text', why: 'no declared type: any value; text holds them all' },
  { sqlite: 'BOOLEAN, BOOL', example: 'BOOLEAN', test: /^(bool|boolean)$/, map: fixed('bool', 'boolean'), pgloader: 'boolean', why: '0/1, t/f, true/false convert' },
  { sqlite: 'TINYINT/SMALLINT … UNSIGNED', example: 'SMALLINT UNSIGNED', test: /^(tinyint|smallint|int2|short)\b.*unsigned/, map: fixed('int4', 'integer'), pgloader: 'smallint', why: 'unsigned 16-bit needs 32 bits' },
  // tinyint(1) is MySQL's boolean, but in SQLite it holds whatever the app wrote: keep it numeric.
  { sqlite: 'TINYINT, SMALLINT, INT2, SHORT', example: 'SMALLINT', test: /^(tinyint|smallint|int2|short integer|short)\b/, map: fixed('int2', 'smallint'), pgloader: 'smallint (INT2: parse error)', why: 'small integers' },
  { sqlite: 'INT4, MEDIUMINT', example: 'INT4', test: /^(int4|mediumint)\b/, map: fixed('int4', 'integer'), pgloader: 'fails (INT4: parse error; MEDIUMINT: no such type)', why: 'declared 32-bit' },
  // Only real integer type names: a typo like pgloader's "intege" holds text too, so it falls to text.
  { sqlite: 'INTEGER, INT, BIGINT, INT8', example: 'INTEGER', test: /^(int|integer|bigint|int8|unsigned big int)\b/, map: fixed('int8', 'bigint'), pgloader: 'bigint (INT: integer; INT8: parse error)', why: 'SQLite integers are 64-bit' },
  { sqlite: 'NUMERIC(p,s), DECIMAL(p,s)', example: 'NUMERIC(10,2)', test: /^(numeric|decimal)\s*\(\s*\d+\s*(,\s*\d+\s*)?\)/, map: decimal, pgloader: 'numeric(p,s)', why: 'precision and scale kept; a value with more digits fails rather than being rounded' },
  { sqlite: 'NUMERIC, DECIMAL, NUMBER, MONEY', example: 'NUMERIC', test: /^(numeric|decimal|number|money)/, map: fixed('numeric', 'numeric'), pgloader: 'numeric (MONEY: money; NUMBER: fails)', why: 'exact numbers' },
  { sqlite: 'REAL, DOUBLE, DOUBLE PRECISION, FLOAT', example: 'REAL', test: /^(real|double|float|double precision)/, map: fixed('float8', 'double precision'), pgloader: 'real for REAL, else double precision', why: 'SQLite REAL is an 8-byte IEEE float: real (4 bytes) would lose digits' },
  { sqlite: 'TIMESTAMPTZ, TIMESTAMP WITH TIME ZONE', example: 'TIMESTAMPTZ', test: /^(timestamptz|timestamp with time zone|datetimeoffset)/, map: fixed('timestamptz', 'timestamp with time zone'), pgloader: 'timestamp with time zone (DATETIMEOFFSET: fails)', why: 'explicit zone' },
  { sqlite: 'DATETIME, TIMESTAMP', example: 'DATETIME', test: /^(datetime|timestamp|smalldatetime)/, map: fixed('timestamp', 'timestamp without time zone'), pgloader: 'timestamptz for DATETIME, timestamp for TIMESTAMP', why: 'SQLite date-times carry no zone (its CURRENT_TIMESTAMP is UTC)' },
  { sqlite: 'DATE', example: 'DATE', test: /^date$/, map: fixed('date', 'date'), pgloader: 'date', why: 'calendar date' },
  { sqlite: 'TIME', example: 'TIME', test: /^time$/, map: fixed('time', 'time without time zone'), pgloader: 'time without time zone', why: 'time of day' },
  { sqlite: 'BLOB, BYTEA, BINARY, VARBINARY, IMAGE', example: 'BLOB', test: /^(blob|bytea|binary|varbinary|image)/, map: fixed('bytea', 'bytea'), pgloader: 'bytea (BINARY, VARBINARY, IMAGE: fail)', why: 'bytes' },
  { sqlite: 'JSON', example: 'JSON', test: /^json$/, map: fixed('json', 'json'), pgloader: 'json', why: 'validated, stored as written' },
  { sqlite: 'JSONB', example: 'JSONB', test: /^jsonb$/, map: fixed('jsonb', 'jsonb'), pgloader: 'jsonb', why: 'validated' },
  { sqlite: 'UUID, UNIQUEIDENTIFIER, GUID', example: 'UUID', test: /^(uuid|uniqueidentifier|guid)$/, map: fixed('uuid', 'uuid'), pgloader: 'uuid (GUID, UNIQUEIDENTIFIER: fail)', why: 'validated UUIDs' },
  // char(n) becomes varchar(n), not char(n): Postgres would pad the values with spaces, SQLite does not.
  { sqlite: 'VARCHAR(n), NVARCHAR(n), CHAR(n), CHARACTER(n), NCHAR(n)', example: 'VARCHAR(40)', test: /^(varchar|nvarchar|character varying|varying character|native character|nchar|char|character)\s*\(\s*\d+\s*\)/, map: sized, pgloader: 'text', why: 'the length is kept; a longer value fails rather than being cut (CHAR(n) is not padded)' },
  { sqlite: 'VARCHAR, TEXT, CLOB, STRING, … (no length)', example: 'TEXT', test: /char|clob|text|string/, map: fixed('text', 'text'), pgloader: 'text (STRING: fails)', why: 'text' },
  { sqlite: 'anything else', example: 'GEOMETRY', test: /.*/, map: fixed('text', 'text'), pgloader: 'as declared (an unknown type fails, e.g. GEOMETRY)', why: 'catch-all: unknown declared types hold text' },
];

export function normalizeDeclaredType(declaredType: string): string {
  return declaredType.toLowerCase().replace(/["'`[\]]/g, '').replace(/\s+/g, ' ').trim();
}

export function mapSqliteType(declaredType: string, options: TypeMappingOptions = { keepLengths: true }): MappedType {
  const declared = normalizeDeclaredType(declaredType);
  return sqliteTypeRules.find((rule) => rule.test.test(declared))!.map(declared, options);
}

/** The README's table of the rules above. */
export function typeMappingMarkdown(): string {
  const rows = sqliteTypeRules.map((rule) => {
    const cutover = mapSqliteType(rule.example).sql.replace('(40)', '(n)').replace('(10,2)', '(p,s)');
    return `| ${rule.sqlite} | ${cutover} | ${rule.pgloader} | ${rule.why} |`;
  });
  return ['| SQLite declared type | cutover creates | pgloader 3.6.7 creates | why |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
