// Moves one table's rows into the target with COPY … FROM STDIN, from SQLite (converted row by row)
// or from Postgres (COPY … TO STDOUT piped straight through: same text format on both ends).
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { qualifiedName, quoteIdent } from '../../db/pg-identifiers.js';
import type { SqliteDatabase } from '../../db/sqlite-driver.js';
import type { HashSum } from '../../verify/row-hash.js';
import type { TablePlan } from '../plan/copy-plan.js';
import { sqliteReadSpec } from '../plan/plan-canonical.js';
import { ParallelSqliteSource, planSlices, workerCount } from '../read/parallel-sqlite-source.js';
import { SqliteRowSource, type RowFailure } from '../read/sqlite-row-source.js';
import { markSourceSide } from './load-errors.js';

export interface TableCopyResult {
  rowsRead: number;
  copied: number;
  rejected: number;
  /** Sampled rows left out because they reference rows outside the sample. */
  skipped?: number;
  /** Read by worker threads (their own SQLite connections). */
  parallel?: boolean;
}

function copyIntoSql(plan: TablePlan, into = qualifiedName(plan.target.schema, plan.target.name)): string {
  return `COPY ${into} (${plan.columns.map((c) => quoteIdent(c.target.name)).join(', ')}) FROM STDIN`;
}

const STAGE = 'cutover_sample_stage';

/**
 * Samples (dry runs): the first N rows of a child may reference parent rows outside the parent's
 * sample. Such rows go through a temporary table and only those whose parents were copied are kept
 * (self-references only to rows already in the table). Returns the COPY target and a finisher
 * that moves the kept rows and returns how many were skipped.
 */
export async function sampleStage(target: pg.ClientBase, plan: TablePlan): Promise<{ into: string; finish: () => Promise<number> } | undefined> {
  if (plan.target.foreignKeys.length === 0) return undefined;
  const table = qualifiedName(plan.target.schema, plan.target.name);
  await target.query(`DROP TABLE IF EXISTS pg_temp.${STAGE}; CREATE TEMP TABLE ${STAGE} (LIKE ${table})`);
  const columns = plan.columns.map((c) => quoteIdent(c.target.name)).join(', ');
  const conditions = plan.target.foreignKeys.map((fk) => {
    const anyNull = fk.columns.map((c) => `s.${quoteIdent(c)} IS NULL`).join(' OR ');
    const match = fk.columns.map((c, i) => `p.${quoteIdent(fk.refColumns[i])} = s.${quoteIdent(c)}`).join(' AND ');
    return `(${anyNull} OR EXISTS (SELECT 1 FROM ${qualifiedName(fk.refSchema, fk.refTable)} p WHERE ${match}))`;
  });
  return {
    into: `pg_temp.${STAGE}`,
    finish: async () => {
      const staged = await target.query(`SELECT count(*)::int AS n FROM pg_temp.${STAGE}`);
      const moved = await target.query(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM pg_temp.${STAGE} s WHERE ${conditions.join(' AND ')}`);
      await target.query(`DROP TABLE pg_temp.${STAGE}`);
      return staged.rows[0].n - (moved.rowCount ?? 0);
    },
  };
}

export async function copySqliteTable(target: pg.ClientBase, db: SqliteDatabase, plan: TablePlan, options: {
  hash: HashSum | null;
  /** Worker threads for big tables (the `jobs` setting; 1 = read on this thread). */
  jobs: number;
  log: (message: string) => void;
  limit?: number;
  onFailure: (failure: RowFailure) => void;
  onRows: (rows: number) => void;
  signal: AbortSignal;
}): Promise<TableCopyResult> {
  const spec = sqliteReadSpec(plan, options.limit);
  const sourceOptions = { hash: options.hash, onFailure: options.onFailure, onRows: options.onRows };
  // Big tables are read and converted by several worker threads, one rowid slice each.
  const slices = planSlices(db, spec, workerCount(options.jobs));
  if (slices) options.log(`${plan.display}: reading ${slices.length} rowid slices in parallel worker threads.`);
  const source = slices ? new ParallelSqliteSource(db.name, spec, slices, sourceOptions) : new SqliteRowSource(db, spec, sourceOptions);
  if (plan.columns.length === 0) {
    // Nothing to write per row (a table of only generated columns); still count the rows.
    for await (const _chunk of source) void _chunk;
    return { rowsRead: source.rows, copied: 0, rejected: source.rejected, parallel: Boolean(slices) };
  }
  const stage = options.limit !== undefined ? await sampleStage(target, plan) : undefined;
  const sink = target.query(copyFrom(copyIntoSql(plan, stage?.into)));
  blameSource(source, sink);
  await pipeline(source, sink, { signal: options.signal });
  const skipped = stage ? await stage.finish() : 0;
  return { rowsRead: source.rows, copied: source.copied - skipped, rejected: source.rejected, parallel: Boolean(slices), ...(stage ? { skipped } : {}) };
}

/**
 * Marks errors that start on the source's side of a pipe (see load-errors.ts). When the target fails
 * first, pipeline() destroys the source with the target's error: that one is not the source's.
 */
function blameSource(source: NodeJS.EventEmitter, sink: NodeJS.EventEmitter): void {
  let sinkFailed = false;
  sink.once('error', () => (sinkFailed = true));
  source.once('error', (error: unknown) => {
    if (!sinkFailed) markSourceSide(error);
  });
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
  const stage = options.limit !== undefined ? await sampleStage(target, plan) : undefined;
  const out = reader.query(copyTo(`COPY (${pgSourceSelectSql(plan, options.limit)}) TO STDOUT`));
  const sink = target.query(copyFrom(copyIntoSql(plan, stage?.into)));
  blameSource(out, sink);
  await pipeline(out, lineCounter(options.onRows), sink, { signal: options.signal });
  const rows = Number((sink as unknown as { rowCount: number }).rowCount);
  const skipped = stage ? await stage.finish() : 0;
  return { rowsRead: rows, copied: rows - skipped, rejected: 0, ...(stage ? { skipped } : {}) };
}
