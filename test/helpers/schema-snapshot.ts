// Independent evidence that a copy left the target's schema as it found it: every index and
// constraint of the given schema as Postgres prints it (pg_get_indexdef / pg_get_constraintdef, names
// included) plus what hangs on them (comments, CLUSTER, replica identity, per-column statistics).
import type { TestDatabase } from './postgres.js';

export interface SchemaSnapshot {
  indexes: Array<Record<string, unknown>>;
  constraints: Array<Record<string, unknown>>;
  tables: Array<Record<string, unknown>>;
}

export async function schemaSnapshot(db: Pick<TestDatabase, 'query'>, schema = 'public'): Promise<SchemaSnapshot> {
  const indexes = await db.query(
    `SELECT t.relname AS table, i.relname AS name, pg_get_indexdef(i.oid) AS def, x.indisclustered AS clustered,
            x.indisreplident AS replident, x.indisvalid AS valid, obj_description(i.oid, 'pg_class') AS comment,
            (SELECT string_agg(a.attnum || '=' || a.attstattarget, ',' ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = i.oid AND a.attstattarget >= 0) AS stats
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 ORDER BY t.relname, i.relname`,
    [schema],
  );
  const constraints = await db.query(
    `SELECT t.relname AS table, c.conname AS name, c.contype AS type, pg_get_constraintdef(c.oid) AS def,
            c.condeferrable AS deferrable, c.condeferred AS deferred, c.convalidated AS validated,
            obj_description(c.oid, 'pg_constraint') AS comment
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 ORDER BY t.relname, c.conname`,
    [schema],
  );
  const tables = await db.query(
    `SELECT c.relname AS table, c.relreplident AS replica_identity,
            (SELECT string_agg(a.attname || (CASE WHEN a.attnotnull THEN ' not null' ELSE '' END), ', ' ORDER BY a.attnum)
               FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
    [schema],
  );
  return { indexes: indexes.rows, constraints: constraints.rows, tables: tables.rows };
}

/** Index name → pg_class oid: a rebuilt index gets a new one. */
export async function indexOids(db: Pick<TestDatabase, 'query'>, schema = 'public'): Promise<Record<string, number>> {
  const { rows } = await db.query<{ name: string; oid: number }>(
    `SELECT i.relname AS name, i.oid::int AS oid FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_namespace n ON n.oid = i.relnamespace WHERE n.nspname = $1`,
    [schema],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.oid]));
}
