// How cutover thinks about a target column's type: a small set of kinds that decide both the cast
// rule used on the way in and the canonical form used by checksums. Everything else is 'other'.

export type TargetKind =
  | 'boolean' | 'int2' | 'int4' | 'int8' | 'numeric' | 'float4' | 'float8'
  | 'text' | 'varchar' | 'bpchar' | 'bytea' | 'date' | 'timestamp' | 'timestamptz' | 'time'
  | 'json' | 'jsonb' | 'uuid' | 'other';

export interface TargetType {
  kind: TargetKind;
  /** As Postgres prints it (format_type), e.g. `character varying(40)`, `numeric(10,2)`. */
  sql: string;
  /** varchar(n) / char(n) length. */
  length?: number;
  /** numeric(p,s). */
  precision?: number;
  scale?: number;
  /** create-tables: a length or scale SQLite declared but never enforced. A value that does not fit
   *  fails (naming the row) instead of being cut or rounded as Postgres would. */
  strict?: boolean;
}

const BY_TYPNAME: Record<string, TargetKind> = {
  bool: 'boolean', int2: 'int2', int4: 'int4', int8: 'int8', numeric: 'numeric', float4: 'float4', float8: 'float8',
  text: 'text', citext: 'text', name: 'text', varchar: 'varchar', bpchar: 'bpchar', bytea: 'bytea', date: 'date',
  timestamp: 'timestamp', timestamptz: 'timestamptz', time: 'time', json: 'json', jsonb: 'jsonb', uuid: 'uuid',
};

/** From pg_type.typname and the format_type text (which carries the typmod). */
export function classifyPgType(typname: string, formatted: string): TargetType {
  const kind = BY_TYPNAME[typname] ?? 'other';
  const type: TargetType = { kind, sql: formatted };
  const args = /\((\d+)(?:,\s*(\d+))?\)/.exec(formatted);
  if ((kind === 'varchar' || kind === 'bpchar') && args) type.length = Number(args[1]);
  if (kind === 'numeric' && args) {
    type.precision = Number(args[1]);
    type.scale = args[2] ? Number(args[2]) : 0;
  }
  return type;
}
