// Moves one table's rows into the target with COPY … FROM STDIN, from SQLite (converted row by row)
// or from Postgres (COPY … TO STDOUT piped straight through: same text format on both ends).
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { qualifiedName, quoteIdent } from '../db/pg-identifiers.js';
import type { SqliteDatabase } from '../db/sqlite-driver.js';
import type { HashSum } from '../verify/row-hash.js';
import type { TablePlan } from './copy-plan.js';
import { sqliteReadSpec } from './plan-canonical.js';
import { SqliteRowSource, type RowFailure } from './sqlite-row-source.js';

export interface TableCopyResult {
  rowsRead: number;
  copied: number;
  rejected: number;
}

function copyIntoSql(plan: TablePlan): string {
  return `COPY ${qualifiedName(plan.target.schema, plan.target.name)} (${plan.columns.map((c) => quoteIdent(c.target.name)).join(', ')}) FROM STDIN`;
}

export async function copySqliteTable(target: pg.ClientBase, db: SqliteDatabase, plan: TablePlan, options: {
  hash: HashSum | null;
  limit?: number;
  onFailure: (failure: RowFailure) => void;
  onRows: (rows: number) => void;
  signal: AbortSignal;
}): Promise<TableCopyResult> {
  const source = new SqliteRowSource(db, sqliteReadSpec(plan, options.limit), { hash: options.hash, onFailure: options.onFailure, onRows: options.onRows });
  if (plan.columns.length === 0) {
    // Nothing to write per row (a table of only generated columns); still count the rows.
    for await (const _chunk of source) void _chunk;
    return { rowsRead: source.rows, copied: 0, rejected: source.rejected };
  }
  const sink = target.query(copyFrom(copyIntoSql(plan)));
  await pipeline(source, sink, { signal: options.signal });
  return { rowsRead: source.rows, copied: source.copied, rejected: source.rejected };
}

/** Counts COPY text lines as they pass (one '\n' per row: embedded newlines are escaped). */
function lineCounter(onRows: (rows: number) => void): Transform {
  let rows = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) rows++;
      onRows(rows);
      callback(null, chunk);
    },
  });
}

export function pgSourceSelectSql(plan: TablePlan, limit?: number): string {
  const columns = plan.columns.map((c) => quoteIdent(c.source)).join(', ');
  const order = limit !== undefined && plan.keyColumns.length ? ` ORDER BY ${plan.keyColumns.map((c) => quoteIdent(c.source)).join(', ')}` : '';
  return `SELECT ${columns} FROM ${qualifiedName(plan.sourceSchema!, plan.sourceName)}${order}${limit !== undefined ? ` LIMIT ${limit}` : ''}`;
}

export async function copyPgTable(target: pg.ClientBase, reader: pg.ClientBase, plan: TablePlan, options: {
  limit?: number;
  onRows: (rows: number) => void;
  signal: AbortSignal;
}): Promise<TableCopyResult> {
  const out = reader.query(copyTo(`COPY (${pgSourceSelectSql(plan, options.limit)}) TO STDOUT`));
  const sink = target.query(copyFrom(copyIntoSql(plan)));
  await pipeline(out, lineCounter(options.onRows), sink, { signal: options.signal });
  const rows = Number((sink as unknown as { rowCount: number }).rowCount);
  return { rowsRead: rows, copied: rows, rejected: 0 };
}
