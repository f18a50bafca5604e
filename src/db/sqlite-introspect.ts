// Reads a SQLite file's schema: tables (not views, virtual tables or sqlite_* internals), columns
// with declared types, primary keys and foreign keys. Read-only: PRAGMAs and sqlite_schema only.
import type { SqliteDatabase } from './sqlite-driver.js';

export interface SqliteColumn {
  name: string;
  /** As declared, e.g. 'NVARCHAR(160)', 'intege', 'text nocase', '' when none. */
  declaredType: string;
  notNull: boolean;
  /** The DEFAULT clause's SQL text, or null. */
  defaultSql: string | null;
  /** 1-based position in the primary key, 0 when not part of it. */
  pkPosition: number;
}

export interface SqliteForeignKey {
  columns: string[];
  refTable: string;
  /** Empty when the FK names only the table (it then refers to that table's primary key). */
  refColumns: string[];
}

export interface SqliteTable {
  name: string;
  columns: SqliteColumn[];
  primaryKey: string[];
  foreignKeys: SqliteForeignKey[];
  /** Rowid tables can be read in rowid order and looked up by rowid. */
  hasRowid: boolean;
  /** `INTEGER PRIMARY KEY` (an alias of the rowid): the natural identity column. */
  rowidAlias?: string;
  /** A legacy SQLite quirk: non-INTEGER primary-key columns may hold NULLs (then no PK can be created). */
  pkHasNulls: boolean;
  sql: string;
}

interface XInfoRow { name: string; type: string; notnull: number; dflt_value: string | null; pk: number; hidden: number }
interface FkRow { id: number; seq: number; table: string; from: string; to: string | null }

/** Tables cutover never copies: SQLite's own bookkeeping. */
export function isSqliteInternalTable(name: string): boolean {
  return /^sqlite_/i.test(name);
}

export function listSqliteTables(db: SqliteDatabase): SqliteTable[] {
  const rows = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string; sql: string | null }>;
  const tables: SqliteTable[] = [];
  for (const row of rows) {
    if (isSqliteInternalTable(row.name) || /^\s*CREATE\s+VIRTUAL\s/i.test(row.sql ?? '')) continue;
    const info = db.prepare(`SELECT * FROM pragma_table_xinfo(?)`).all(row.name) as XInfoRow[];
    // hidden: 1 = virtual-table column, 2/3 = generated column; none of them hold copyable data.
    const columns: SqliteColumn[] = info
      .filter((c) => c.hidden === 0)
      .map((c) => ({ name: c.name, declaredType: (c.type ?? '').trim(), notNull: c.notnull === 1, defaultSql: c.dflt_value, pkPosition: c.pk }));
    const primaryKey = columns.filter((c) => c.pkPosition > 0).sort((a, b) => a.pkPosition - b.pkPosition).map((c) => c.name);
    const fkRows = db.prepare(`SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq`).all(row.name) as FkRow[];
    const foreignKeys = new Map<number, SqliteForeignKey>();
    for (const fk of fkRows) {
      const entry = foreignKeys.get(fk.id) ?? { columns: [], refTable: fk.table, refColumns: [] };
      entry.columns.push(fk.from);
      if (fk.to) entry.refColumns.push(fk.to);
      foreignKeys.set(fk.id, entry);
    }
    const hasRowid = !/\)\s*WITHOUT\s+ROWID\s*;?\s*$/i.test(row.sql ?? '');
    const pkColumn = primaryKey.length === 1 ? columns.find((c) => c.name === primaryKey[0]) : undefined;
    const rowidAlias = hasRowid && pkColumn && /^integer$/i.test(pkColumn.declaredType) ? pkColumn.name : undefined;
    const pkHasNulls = primaryKey.length > 0 && !rowidAlias &&
      db.prepare(`SELECT 1 FROM ${quote(row.name)} WHERE ${primaryKey.map((c) => `${quote(c)} IS NULL`).join(' OR ')} LIMIT 1`).get() !== undefined;
    tables.push({ name: row.name, columns, primaryKey, foreignKeys: [...foreignKeys.values()], hasRowid, ...(rowidAlias ? { rowidAlias } : {}), pkHasNulls, sql: row.sql ?? '' });
  }
  return tables;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function countSqliteRows(db: SqliteDatabase, table: string): number {
  const row = db.prepare(`SELECT count(*) AS n FROM "${table.replace(/"/g, '""')}"`).get() as { n: number };
  return Number(row.n);
}
