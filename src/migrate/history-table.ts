// The history table `cutover_migrations` (same shape on PostgreSQL and SQLite): one row per applied
// migration with its checksum, when, how long and by whom. On PostgreSQL it lives in the schema that
// was current when the run started, so a migration that changes search_path cannot misplace it.
import { quoteIdent } from '../db/pg-identifiers.js';
import type { MigrationDatabase } from './migration-database.js';

export const HISTORY_TABLE = 'cutover_migrations';

export interface HistoryRow {
  name: string;
  checksum: string;
  appliedAt: string;
  durationMs: number | null;
  appliedBy: string | null;
}

export interface HistoryTable {
  /** Display name, e.g. public.cutover_migrations. */
  qualifiedName: string;
  exists(): Promise<boolean>;
  ensure(): Promise<void>;
  /** All rows by name; empty when the table does not exist. */
  read(): Promise<HistoryRow[]>;
  has(name: string): Promise<boolean>;
  insert(row: { name: string; checksum: string; durationMs: number | null; appliedBy: string }): Promise<void>;
  remove(name: string): Promise<void>;
  updateChecksum(name: string, checksum: string): Promise<void>;
}

export async function historyTable(database: MigrationDatabase): Promise<HistoryTable> {
  if (database.dialect === 'sqlite') return sqliteHistory(database);
  const [{ schema }] = await database.query<{ schema: string | null }>('SELECT current_schema() AS schema');
  return postgresHistory(database, schema ?? 'public');
}

function toRow(raw: Record<string, unknown>): HistoryRow {
  const appliedAt = raw.applied_at instanceof Date ? raw.applied_at.toISOString() : String(raw.applied_at);
  return {
    name: String(raw.name),
    checksum: String(raw.checksum),
    appliedAt,
    durationMs: raw.duration_ms === null || raw.duration_ms === undefined ? null : Number(raw.duration_ms),
    appliedBy: raw.applied_by === null || raw.applied_by === undefined ? null : String(raw.applied_by),
  };
}

function postgresHistory(database: MigrationDatabase, schema: string): HistoryTable {
  const table = `${quoteIdent(schema)}.${quoteIdent(HISTORY_TABLE)}`;
  const exists = async () => {
    const [row] = await database.query<{ oid: string | null }>('SELECT to_regclass($1) AS oid', [table]);
    return row.oid !== null;
  };
  return {
    qualifiedName: `${schema}.${HISTORY_TABLE}`,
    exists,
    async ensure() {
      if (await exists()) return;
      await database.execScript(
        `CREATE TABLE IF NOT EXISTS ${table} (
  name text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  duration_ms integer,
  applied_by text
)`,
      );
    },
    async read() {
      if (!(await exists())) return [];
      return (await database.query(`SELECT name, checksum, applied_at, duration_ms, applied_by FROM ${table} ORDER BY name`)).map(toRow);
    },
    async has(name) {
      return (await database.query(`SELECT 1 FROM ${table} WHERE name = $1`, [name])).length > 0;
    },
    async insert(row) {
      await database.query(`INSERT INTO ${table} (name, checksum, applied_at, duration_ms, applied_by) VALUES ($1, $2, now(), $3, $4)`, [row.name, row.checksum, row.durationMs, row.appliedBy]);
    },
    async remove(name) {
      await database.query(`DELETE FROM ${table} WHERE name = $1`, [name]);
    },
    async updateChecksum(name, checksum) {
      await database.query(`UPDATE ${table} SET checksum = $2 WHERE name = $1`, [name, checksum]);
    },
  };
}

function sqliteHistory(database: MigrationDatabase): HistoryTable {
  const table = quoteIdent(HISTORY_TABLE);
  const exists = async () => (await database.query(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`, [HISTORY_TABLE])).length > 0;
  return {
    qualifiedName: HISTORY_TABLE,
    exists,
    async ensure() {
      // Checked first: CREATE TABLE IF NOT EXISTS would wait for the write lock even when it exists.
      if (await exists()) return;
      await database.execScript(
        `CREATE TABLE IF NOT EXISTS ${table} (
  name TEXT PRIMARY KEY NOT NULL,
  checksum TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  duration_ms INTEGER,
  applied_by TEXT
)`,
      );
    },
    async read() {
      if (!(await exists())) return [];
      return (await database.query(`SELECT name, checksum, applied_at, duration_ms, applied_by FROM ${table} ORDER BY name`)).map(toRow);
    },
    async has(name) {
      return (await database.query(`SELECT 1 FROM ${table} WHERE name = ?`, [name])).length > 0;
    },
    async insert(row) {
      await database.query(`INSERT INTO ${table} (name, checksum, applied_at, duration_ms, applied_by) VALUES (?, ?, ?, ?, ?)`, [row.name, row.checksum, new Date().toISOString(), row.durationMs, row.appliedBy]);
    },
    async remove(name) {
      await database.query(`DELETE FROM ${table} WHERE name = ?`, [name]);
    },
    async updateChecksum(name, checksum) {
      await database.query(`UPDATE ${table} SET checksum = ? WHERE name = ?`, [checksum, name]);
    },
  };
}
