// The catalog facts a statement is measured against, read just before and just after it on the
// migration's own connection (inside its transaction when it has one, so the statement's uncommitted
// changes are seen): every user relation with its storage file (relfilenode: a new one means the
// table was rewritten), NOT NULL columns and CHECK / FOREIGN KEY constraints with whether they are
// validated. One round trip each time.
import type pg from 'pg';
import { displayName } from '../../copy/plan/display-name.js';
import { quoteIdent } from '../../db/pg-identifiers.js';
import { HISTORY_TABLE } from '../../migrate/history-table.js';
import { isLockMode } from './lock-modes.js';
import type { LockMode } from '../dry-run-report.js';

export interface RelationState {
  oid: number;
  relfilenode: number;
  relkind: string;
  schema: string;
  name: string;
  /** Indexes: the table they belong to. */
  table?: number;
  /** Highest column number (dropped ones included): a column numbered above it is new. */
  columns: number;
}

export interface CatalogState {
  relations: Map<number, RelationState>;
  /** `${attrelid}:${attnum}` → column name, for NOT NULL columns of tables. */
  notNull: Map<string, string>;
  /** Constraint oid → CHECK / FOREIGN KEY constraint. */
  constraints: Map<number, { table: number; type: 'c' | 'f'; name: string; validated: boolean }>;
}

const USER = `n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'`;

const STATE_SQL = `
SELECT
  (SELECT coalesce(json_agg(json_build_array(c.oid, c.relfilenode, c.relkind, n.nspname, c.relname, i.indrelid, c.relnatts)), '[]')
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_index i ON i.indexrelid = c.oid
    WHERE c.relkind IN ('r', 'p', 'm', 'i', 'S', 'v', 'f') AND ${USER}) AS relations,
  (SELECT coalesce(json_agg(json_build_array(a.attrelid, a.attnum, a.attname)), '[]')
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE a.attnotnull AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND ${USER}) AS not_null,
  (SELECT coalesce(json_agg(json_build_array(co.oid, co.conrelid, co.contype, co.conname, co.convalidated)), '[]')
     FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace
    WHERE co.contype IN ('c', 'f') AND co.conrelid <> 0 AND ${USER}) AS constraints`;

export async function readCatalogState(client: pg.Client): Promise<CatalogState> {
  const { rows } = await client.query(STATE_SQL);
  const row = rows[0] as { relations: unknown[][]; not_null: unknown[][]; constraints: unknown[][] };
  const relations = new Map<number, RelationState>();
  for (const [oid, relfilenode, relkind, schema, name, table, columns] of row.relations) {
    relations.set(Number(oid), { oid: Number(oid), relfilenode: Number(relfilenode), relkind: String(relkind), schema: String(schema), name: String(name), columns: Number(columns), ...(table ? { table: Number(table) } : {}) });
  }
  const notNull = new Map<string, string>();
  for (const [rel, num, name] of row.not_null) notNull.set(`${rel}:${num}`, String(name));
  const constraints: CatalogState['constraints'] = new Map();
  for (const [oid, table, type, name, validated] of row.constraints) constraints.set(Number(oid), { table: Number(table), type: type as 'c' | 'f', name: String(name), validated: Boolean(validated) });
  return { relations, notNull, constraints };
}

/** As people read it and SQL accepts it: public.users, public."Order Details". */
export function qualifiedName(relation: RelationState): string {
  return displayName(relation.schema, relation.name);
}

/** Whether a relation is cutover's own (the migration history), not the application's. */
export function isOwnRelation(relation: RelationState): boolean {
  return relation.name === HISTORY_TABLE;
}

/** Relation locks held by a backend: (relation oid, mode). `pid` undefined: the connection's own backend. */
export async function relationLocks(client: pg.Client, pid?: number): Promise<Array<{ oid: number; mode: LockMode }>> {
  const { rows } = await client.query<{ oid: number; mode: string }>(
    `SELECT relation::int8 AS oid, mode FROM pg_locks WHERE pid = ${pid === undefined ? 'pg_backend_pid()' : '$1'} AND locktype = 'relation' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    pid === undefined ? [] : [pid],
  );
  return rows.filter((r) => isLockMode(r.mode)).map((r) => ({ oid: Number(r.oid), mode: r.mode as LockMode }));
}

/**
 * One sample of the relation locks of another backend, taken only while it is running a statement
 * (state active): a sample taken before the statement reached the server or after it ended says nothing.
 */
export async function sampleLocks(client: pg.Client, pid: number): Promise<Array<{ oid: number; mode: LockMode }> | undefined> {
  const { rows } = await client.query<{ active: boolean; locks: Array<{ oid: number; mode: string }> | null }>(
    `SELECT (SELECT state = 'active' FROM pg_stat_activity WHERE pid = $1) AS active,
            (SELECT json_agg(json_build_object('oid', relation::int8, 'mode', mode)) FROM pg_locks
              WHERE pid = $1 AND locktype = 'relation' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS locks`,
    [pid],
  );
  if (!rows[0]?.active) return undefined;
  return (rows[0].locks ?? []).filter((r) => isLockMode(r.mode)).map((r) => ({ oid: Number(r.oid), mode: r.mode as LockMode }));
}

/** Exact row count of a table, as the connection sees it (inside the migration's transaction: with its changes). */
export async function countRows(client: pg.Client, relation: RelationState): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(relation.schema)}.${quoteIdent(relation.name)}`);
  return Number(rows[0].n);
}
