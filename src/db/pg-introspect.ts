// Reads a PostgreSQL database's tables, columns (with type, identity, generated), primary keys,
// foreign keys and the sequences behind serial/identity columns, in four catalog queries.
import type pg from 'pg';
import { classifyPgType, type TargetType } from '../copy/cast/target-kind.js';
import { qualifiedName } from './pg-identifiers.js';

export interface PgColumn {
  name: string;
  type: TargetType;
  notNull: boolean;
  hasDefault: boolean;
  /** 'a' = GENERATED ALWAYS AS IDENTITY, 'd' = BY DEFAULT, '' = not an identity. */
  identity: '' | 'a' | 'd';
  /** GENERATED ALWAYS AS (expr) STORED: computed by Postgres, never copied. */
  generated: boolean;
  /** Qualified sequence name when serial/identity/nextval default. */
  sequence?: string;
}

export interface PgForeignKey {
  name: string;
  columns: string[];
  refSchema: string;
  refTable: string;
  refColumns: string[];
  deferrable: boolean;
}

export interface PgTable {
  schema: string;
  name: string;
  columns: PgColumn[];
  primaryKey: string[];
  foreignKeys: PgForeignKey[];
}

export function pgTableKey(schema: string, name: string): string {
  return `${schema}.${name}`;
}

export function pgTableSql(table: { schema: string; name: string }): string {
  return qualifiedName(table.schema, table.name);
}

const SYSTEM_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;

export async function listPgTables(client: pg.ClientBase): Promise<PgTable[]> {
  const tables = await client.query<{ oid: number; schema: string; name: string }>(
    `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${SYSTEM_SCHEMAS}
      ORDER BY n.nspname, c.relname`,
  );
  const byOid = new Map<number, PgTable>();
  for (const row of tables.rows) byOid.set(row.oid, { schema: row.schema, name: row.name, columns: [], primaryKey: [], foreignKeys: [] });
  if (byOid.size === 0) return [];
  const oids = [...byOid.keys()];

  const columns = await client.query<{ oid: number; name: string; typname: string; formatted: string; notnull: boolean; hasdef: boolean; identity: string; generated: string; sequence: string | null }>(
    `SELECT a.attrelid::int AS oid, a.attname AS name, coalesce(bt.typname, t.typname) AS typname,
            format_type(coalesce(bt.oid, t.oid), CASE WHEN bt.oid IS NULL THEN a.atttypmod ELSE t.typtypmod END) AS formatted,
            a.attnotnull AS notnull, a.atthasdef AS hasdef, a.attidentity AS identity, a.attgenerated AS generated,
            coalesce(pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname),
                     substring(pg_get_expr(d.adbin, d.adrelid) from $re$^nextval\\('(.*)'::regclass\\)$$re$)) AS sequence
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
  for (const row of columns.rows) {
    byOid.get(row.oid)!.columns.push({
      name: row.name,
      type: classifyPgType(row.typname, row.formatted),
      notNull: row.notnull,
      hasDefault: row.hasdef || row.identity !== '',
      identity: row.identity as PgColumn['identity'],
      generated: row.generated !== '',
      ...(row.sequence ? { sequence: row.sequence } : {}),
    });
  }

  const constraints = await client.query<{ oid: number; contype: string; name: string; cols: string[]; refschema: string | null; reftable: string | null; refcols: string[] | null; deferrable: boolean }>(
    `SELECT c.conrelid::int AS oid, c.contype, c.conname AS name, c.condeferrable AS deferrable,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS cols,
            rn.nspname AS refschema, rc.relname AS reftable,
            (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS refcols
       FROM pg_constraint c
       LEFT JOIN pg_class rc ON rc.oid = c.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
      WHERE c.conrelid = ANY($1::oid[]) AND c.contype IN ('p', 'f')
      ORDER BY c.conname`,
    [oids],
  );
  for (const row of constraints.rows) {
    const table = byOid.get(row.oid)!;
    if (row.contype === 'p') table.primaryKey = row.cols;
    else table.foreignKeys.push({ name: row.name, columns: row.cols, refSchema: row.refschema!, refTable: row.reftable!, refColumns: row.refcols ?? [], deferrable: row.deferrable });
  }
  return [...byOid.values()];
}

export async function pgTableIsEmpty(client: pg.ClientBase, table: { schema: string; name: string }): Promise<boolean> {
  const result = await client.query(`SELECT 1 FROM ${pgTableSql(table)} LIMIT 1`);
  return result.rowCount === 0;
}
