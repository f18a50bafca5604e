// Finds the migration history tables in a database (PostgreSQL or SQLite) by name and columns
// (history-layouts.ts). Read-only: catalog queries, no parameters, so one reader shape fits both.
import type pg from 'pg';
import { displayName } from '../copy/plan/display-name.js';
import { quoteLiteral } from '../db/pg-identifiers.js';
import type { SqliteDatabase } from '../db/sqlite-driver.js';
import { HISTORY_TABLE_NAMES, matchHistoryTable, type HistoryLayout } from './history-layouts.js';

/** Runs read-only SQL without parameters and returns its rows. */
export interface HistoryReader {
  dialect: 'postgres' | 'sqlite';
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
}

export function postgresReader(client: pg.ClientBase): HistoryReader {
  return { dialect: 'postgres', rows: async (sql) => (await client.query(sql)).rows };
}

export function sqliteReader(db: SqliteDatabase): HistoryReader {
  return { dialect: 'sqlite', rows: async (sql) => db.prepare(sql).all() as Array<Record<string, unknown>> };
}

export interface FoundHistoryTable {
  layout: HistoryLayout;
  /** undefined on SQLite. */
  schema?: string;
  table: string;
  /** public.alembic_version (PostgreSQL), alembic_version (SQLite). */
  display: string;
  /** SQL name, quoted. */
  sql: string;
  columns: string[];
}

export interface UnknownHistoryTable {
  schema?: string;
  table: string;
  display: string;
  columns: string[];
  expected: HistoryLayout[];
}

export interface HistoryTables {
  found: FoundHistoryTable[];
  unknown: UnknownHistoryTable[];
}

const quote = (part: string) => `"${part.replace(/"/g, '""')}"`;

async function candidates(reader: HistoryReader): Promise<Array<{ schema?: string; table: string; columns: string[] }>> {
  const names = HISTORY_TABLE_NAMES.map(quoteLiteral).join(', ');
  if (reader.dialect === 'postgres') {
    const rows = await reader.rows(
      `SELECT n.nspname AS schema, c.relname AS table, array_agg(a.attname::text ORDER BY a.attnum) AS columns
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'p') AND c.relname IN (${names})
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
        GROUP BY n.nspname, c.relname
        ORDER BY n.nspname, c.relname`,
    );
    return rows.map((r) => ({ schema: String(r.schema), table: String(r.table), columns: r.columns as string[] }));
  }
  const tables = await reader.rows(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN (${names}) ORDER BY name`);
  const result: Array<{ table: string; columns: string[] }> = [];
  for (const { name } of tables) {
    const columns = await reader.rows(`SELECT name FROM pragma_table_info(${quoteLiteral(String(name))})`);
    result.push({ table: String(name), columns: columns.map((c) => String(c.name)) });
  }
  return result;
}

export async function findHistoryTables(reader: HistoryReader): Promise<HistoryTables> {
  const result: HistoryTables = { found: [], unknown: [] };
  for (const { schema, table, columns } of await candidates(reader)) {
    const match = matchHistoryTable(schema, table, columns);
    if (!match) continue;
    const display = schema === undefined ? table : displayName(schema, table);
    if (match.kind === 'unknown') {
      result.unknown.push({ ...(schema !== undefined ? { schema } : {}), table, display, columns, expected: match.expected });
      continue;
    }
    result.found.push({ layout: match.layout, ...(schema !== undefined ? { schema } : {}), table, display, sql: schema === undefined ? quote(table) : `${quote(schema)}.${quote(table)}`, columns: columns.map((c) => c.toLowerCase()) });
  }
  return result;
}

/** "public.schema_migrations has columns (version, applied_at), which is none of the layouts of golang-migrate (version, dirty), dbmate (version)". */
export function describeUnknown(unknown: UnknownHistoryTable): string {
  const expected = unknown.expected.map((l) => `${l.label} (${l.columns.join(', ')})`).join(', ');
  return `${unknown.display} has columns (${unknown.columns.join(', ')}), which is not the layout of ${expected}`;
}
