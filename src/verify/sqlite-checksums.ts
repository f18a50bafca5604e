// SQLite side of verification: rows are re-read and put through the same cast rules as the copy, so
// the canonical text is what Postgres holds when the copy was right. One pass gives the totals;
// narrowing down a mismatch re-reads the table per bucket of the primary-key hash.
import type { SqliteDatabase } from '../db/sqlite-driver.js';
import { SqliteRowSource, type RowFailure, type SqliteReadSpec } from '../copy/read/sqlite-row-source.js';
import { planSlices } from '../copy/read/parallel-sqlite-source.js';
import { parallelSqliteTotals } from './parallel-sqlite-totals.js';
import { BUCKETS, type Totals } from './pg-checksums.js';
import { HashSum, pgHashText } from './row-hash.js';

async function scan(db: SqliteDatabase, spec: SqliteReadSpec, onRow: (high: number, low: number, keyCanon: string, display: () => string) => void, onFailure: (f: RowFailure) => void): Promise<number> {
  const source = new SqliteRowSource(db, spec, { hash: null, copyText: false, onRow, onFailure });
  for await (const _chunk of source) void _chunk;
  return source.rows;
}

export interface SqliteTotals extends Totals {
  /** Rows whose values do not convert to the target types (they cannot be in the target as they are). */
  unconvertible: number;
  /** Read by worker threads through their own connections (outside the main read transaction). */
  readByWorkers?: boolean;
}

/** `threads` > 1: a big table is hashed in rowid slices by that many worker threads. */
export async function sqliteTotals(db: SqliteDatabase, spec: SqliteReadSpec, checksums: boolean, threads = 1): Promise<SqliteTotals> {
  if (!checksums) {
    const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM "${spec.table.replace(/"/g, '""')}"${spec.limit !== undefined ? ` LIMIT ${spec.limit}` : ''})`;
    return { rows: Number((db.prepare(sql).get() as { n: number }).n), unconvertible: 0 };
  }
  const slices = planSlices(db, spec, threads);
  if (slices) return parallelSqliteTotals(db.name, spec, slices);
  const sum = new HashSum();
  let unconvertible = 0;
  const source = new SqliteRowSource(db, spec, { hash: sum, copyText: false, onFailure: () => unconvertible++ });
  for await (const _chunk of source) void _chunk;
  return { rows: source.rows, checksum: sum.value(), unconvertible };
}

export async function sqliteBucketTotals(db: SqliteDatabase, spec: SqliteReadSpec): Promise<Map<number, { rows: number; sum: string }>> {
  const sums = new Map<number, HashSum>();
  await scan(db, spec, (high, low, keyCanon) => {
    const bucket = pgHashText(keyCanon)[1] & (BUCKETS - 1);
    let sum = sums.get(bucket);
    if (!sum) sums.set(bucket, (sum = new HashSum()));
    sum.add(high, low);
  }, () => undefined);
  return new Map([...sums].map(([bucket, sum]) => [bucket, { rows: sum.count, sum: sum.value() }]));
}

export async function sqliteRowsInBuckets(db: SqliteDatabase, spec: SqliteReadSpec, buckets: number[]): Promise<Map<string, { display: string; hash: string; count: number }>> {
  const wanted = new Set(buckets);
  const result = new Map<string, { display: string; hash: string; count: number }>();
  await scan(db, spec, (high, low, keyCanon, display) => {
    if (!wanted.has(pgHashText(keyCanon)[1] & (BUCKETS - 1))) return;
    const hash = (BigInt(high) * 4294967296n + BigInt(low)).toString();
    const id = `${keyCanon}\u0003${hash}`;
    const seen = result.get(id);
    if (seen) seen.count++;
    else result.set(id, { display: display(), hash, count: 1 });
  }, () => undefined);
  return result;
}
