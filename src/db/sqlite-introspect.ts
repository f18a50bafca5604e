// Reads a SQLite file's schema: tables (not views, virtual tables or sqlite_* internals), columns
// with declared types, primary keys, foreign keys with their actions, indexes (unique, partial,
// expressions), CHECK constraints and collations. Read-only: PRAGMAs and sqlite_schema only; what
// the pragmas do not give (CHECK, COLLATE, DEFERRABLE, index expressions) comes from the SQL text.
import type { SqliteDatabase } from './sqlite-driver.js';
import { parseCreateIndex, parseCreateTable, type ParsedCheck, type ParsedTableSql, type SqlExpression } from './sqlite-schema-sql.js';

export interface SqliteColumn {
  name: string;
  /** As declared, e.g. 'NVARCHAR(160)', 'intege', 'text nocase', '' when none. */
  declaredType: string;
  notNull: boolean;
  /** The DEFAULT clause's SQL text, or null. */
  defaultSql: string | null;
  /** 1-based position in the primary key, 0 when not part of it. */
  pkPosition: number;
  /** COLLATE of the column definition (upper case), e.g. NOCASE. */
  collation?: string;
}

export interface SqliteForeignKey {
  columns: string[];
  refTable: string;
  /** Empty when the FK names only the table (it then refers to that table's primary key). */
  refColumns: string[];
  /** 'NO ACTION', 'CASCADE', 'SET NULL', 'SET DEFAULT' or 'RESTRICT'. */
  onUpdate: string;
  onDelete: string;
  name?: string;
  deferrable?: 'deferred' | 'immediate';
  /** The clause as written in the CREATE TABLE, when found. */
  sql?: string;
}

export interface SqliteIndexColumn {
  /** null for an expression term. */
  name: string | null;
  descending: boolean;
  /** Collating sequence, upper case (BINARY, NOCASE, RTRIM). */
  collation: string;
  /** Expression terms: the expression as written in the CREATE INDEX. */
  expression?: SqlExpression;
}

export interface SqliteIndex {
  name: string;
  unique: boolean;
  /** 'c' = CREATE INDEX, 'u' = UNIQUE constraint, 'pk' = PRIMARY KEY constraint. */
  origin: 'c' | 'u' | 'pk';
  columns: SqliteIndexColumn[];
  where?: SqlExpression;
  /** CREATE INDEX statement (null for constraint indexes). */
  sql: string | null;
  /** Why the index's SQL could not be read (its expressions are then unknown). */
  unreadable?: string;
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
  indexes: SqliteIndex[];
  checks: ParsedCheck[];
  /** Names given to constraints in the SQL (SQLite's pragmas do not keep them). */
  primaryKeyName?: string;
  uniqueNames: Array<{ name: string; columns: string[] }>;
  /** AUTOINCREMENT: ids are never reused; the next one is above `sequence` (sqlite_sequence). */
  autoincrement: boolean;
  sequence?: number;
  /** Generated columns (never copied): name and definition. */
  generatedColumns: Array<{ name: string; sql: string }>;
  /** Why the CREATE TABLE text could not be read (CHECKs and collations are then unknown). */
  unreadable?: string;
}

interface XInfoRow { cid: number; name: string; type: string; notnull: number; dflt_value: string | null; pk: number; hidden: number }
interface FkRow { id: number; seq: number; table: string; from: string; to: string | null; on_update: string; on_delete: string }
interface IndexListRow { name: string; unique: number; origin: 'c' | 'u' | 'pk'; partial: number }
interface IndexXInfoRow { seqno: number; cid: number; name: string | null; desc: number; coll: string; key: number }

/** Tables cutover never copies: SQLite's own bookkeeping. */
export function isSqliteInternalTable(name: string): boolean {
  return /^sqlite_/i.test(name);
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const sameColumns = (a: string[], b: string[]) => a.length === b.length && a.every((c, i) => sameName(c, b[i]));

function readTableSql(sql: string): { parsed: ParsedTableSql; unreadable?: string } {
  try {
    return { parsed: parseCreateTable(sql) };
  } catch (error) {
    return { parsed: { columns: [], checks: [], foreignKeys: [], uniques: [], autoincrement: false }, unreadable: (error as Error).message };
  }
}

function listIndexes(db: SqliteDatabase, table: string, sqlByName: Map<string, string | null>): SqliteIndex[] {
  const list = db.prepare(`SELECT * FROM pragma_index_list(?) ORDER BY name`).all(table) as IndexListRow[];
  return list.map((row) => {
    const terms = (db.prepare(`SELECT * FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`).all(row.name) as IndexXInfoRow[]);
    const sql = sqlByName.get(row.name) ?? null;
    const index: SqliteIndex = {
      name: row.name,
      unique: row.unique === 1,
      origin: row.origin,
      columns: terms.map((t) => ({ name: t.cid === -1 ? 'rowid' : t.name, descending: t.desc === 1, collation: (t.coll ?? 'BINARY').toUpperCase() })),
      sql,
    };
    if (sql && (row.partial === 1 || terms.some((t) => t.cid === -2))) {
      try {
        const parsed = parseCreateIndex(sql);
        if (!parsed || parsed.terms.length !== terms.length) throw new Error('its terms do not match PRAGMA index_xinfo');
        parsed.terms.forEach((term, i) => { if (terms[i].cid === -2) index.columns[i].expression = term; });
        if (parsed.where) index.where = parsed.where;
      } catch (error) {
        index.unreadable = (error as Error).message;
      }
    }
    return index;
  });
}

function readSequences(db: SqliteDatabase): Map<string, number> {
  const exists = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_sequence'`).get();
  if (!exists) return new Map();
  const rows = db.prepare(`SELECT name, seq FROM sqlite_sequence`).all() as Array<{ name: string; seq: number | bigint }>;
  return new Map(rows.map((r) => [r.name.toLowerCase(), Number(r.seq)]));
}

export function listSqliteTables(db: SqliteDatabase): SqliteTable[] {
  const rows = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string; sql: string | null }>;
  const indexSql = new Map((db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index'`).all() as Array<{ name: string; sql: string | null }>).map((r) => [r.name, r.sql]));
  const sequences = readSequences(db);
  const tables: SqliteTable[] = [];
  for (const row of rows) {
    if (isSqliteInternalTable(row.name) || /^\s*CREATE\s+VIRTUAL\s/i.test(row.sql ?? '')) continue;
    const { parsed, unreadable } = readTableSql(row.sql ?? '');
    const info = db.prepare(`SELECT * FROM pragma_table_xinfo(?)`).all(row.name) as XInfoRow[];
    // hidden: 1 = virtual-table column, 2/3 = generated column; none of them hold copyable data.
    const columns: SqliteColumn[] = info
      .filter((c) => c.hidden === 0)
      .map((c) => {
        const collation = parsed.columns.find((p) => sameName(p.name, c.name))?.collation;
        return { name: c.name, declaredType: (c.type ?? '').trim(), notNull: c.notnull === 1, defaultSql: c.dflt_value, pkPosition: c.pk, ...(collation ? { collation } : {}) };
      });
    const generatedColumns = info.filter((c) => c.hidden === 2 || c.hidden === 3).map((c) => ({ name: c.name, sql: parsed.columns.find((p) => sameName(p.name, c.name))?.sql ?? c.name }));
    const primaryKey = columns.filter((c) => c.pkPosition > 0).sort((a, b) => a.pkPosition - b.pkPosition).map((c) => c.name);
    const fkRows = db.prepare(`SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq`).all(row.name) as FkRow[];
    const foreignKeys = new Map<number, SqliteForeignKey>();
    for (const fk of fkRows) {
      const entry = foreignKeys.get(fk.id) ?? { columns: [], refTable: fk.table, refColumns: [], onUpdate: fk.on_update, onDelete: fk.on_delete };
      entry.columns.push(fk.from);
      if (fk.to) entry.refColumns.push(fk.to);
      foreignKeys.set(fk.id, entry);
    }
    for (const fk of foreignKeys.values()) {
      const written = parsed.foreignKeys.find((p) => sameName(p.refTable, fk.refTable) && sameColumns(p.columns, fk.columns));
      if (written?.name) fk.name = written.name;
      if (written?.deferrable) fk.deferrable = written.deferrable;
      if (written) fk.sql = written.sql;
    }
    const hasRowid = !/\)\s*WITHOUT\s+ROWID\s*;?\s*$/i.test(row.sql ?? '');
    const pkColumn = primaryKey.length === 1 ? columns.find((c) => c.name === primaryKey[0]) : undefined;
    const rowidAlias = hasRowid && pkColumn && /^integer$/i.test(pkColumn.declaredType) ? pkColumn.name : undefined;
    const pkHasNulls = primaryKey.length > 0 && !rowidAlias &&
      db.prepare(`SELECT 1 FROM ${quote(row.name)} WHERE ${primaryKey.map((c) => `${quote(c)} IS NULL`).join(' OR ')} LIMIT 1`).get() !== undefined;
    const sequence = sequences.get(row.name.toLowerCase());
    tables.push({
      name: row.name, columns, primaryKey, foreignKeys: [...foreignKeys.values()], hasRowid, ...(rowidAlias ? { rowidAlias } : {}), pkHasNulls, sql: row.sql ?? '',
      indexes: listIndexes(db, row.name, indexSql),
      checks: parsed.checks,
      ...(parsed.primaryKey?.name ? { primaryKeyName: parsed.primaryKey.name } : {}),
      uniqueNames: parsed.uniques.filter((u): u is { name: string; columns: string[] } => u.name !== undefined),
      autoincrement: parsed.autoincrement,
      ...(sequence !== undefined ? { sequence } : {}),
      generatedColumns,
      ...(unreadable ? { unreadable } : {}),
    });
  }
  return tables;
}

/** Views and triggers: create-tables does not make them, and says so. */
export function listSqliteViewsAndTriggers(db: SqliteDatabase): Array<{ kind: 'view' | 'trigger'; name: string; table: string; sql: string }> {
  const rows = db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('view', 'trigger') AND sql IS NOT NULL ORDER BY type DESC, name`).all() as Array<{ type: 'view' | 'trigger'; name: string; tbl_name: string; sql: string }>;
  return rows.map((r) => ({ kind: r.type, name: r.name, table: r.tbl_name, sql: r.sql }));
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function countSqliteRows(db: SqliteDatabase, table: string): number {
  const row = db.prepare(`SELECT count(*) AS n FROM "${table.replace(/"/g, '""')}"`).get() as { n: number };
  return Number(row.n);
}
