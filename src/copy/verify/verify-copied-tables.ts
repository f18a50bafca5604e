// Verification of a copy BEFORE it commits: each load transaction counts and checksums its own
// tables (it sees its uncommitted rows) while a Postgres source computes the same in the snapshot the
// copy read, on the group's reader connection; a SQLite source's checksums were summed while
// streaming. Any difference means the caller rolls everything back, so a failed verification leaves
// the target as it was. A mismatch is narrowed down to its differing keys first, still inside the
// transaction.
import type pg from 'pg';
import type { SqliteDatabase } from '../../db/sqlite-driver.js';
import type { TableEntry } from '../../run-result.js';
import type { CopySettings } from '../../settings.js';
import { findDifferences, sampleKeys, type BucketSide } from '../../verify/differing-keys.js';
import { pgBucketTotals, pgRowsInBuckets, pgTotals, type PgChecksumTarget, type Totals } from '../../verify/pg-checksums.js';
import type { HashSum } from '../../verify/row-hash.js';
import { sqliteBucketTotals, sqliteRowsInBuckets } from '../../verify/sqlite-checksums.js';
import type { TablePlan } from '../plan/copy-plan.js';
import { pgSourceCanonical, sqliteReadSpec, targetCanonical } from '../plan/plan-canonical.js';
import { markSourceSide } from '../load/load-errors.js';

export interface VerifyCopyContext {
  copy: CopySettings;
  sqlite?: SqliteDatabase;
  entries: Map<string, TableEntry>;
  hashes: Map<string, HashSum>;
  baselines: Map<string, Totals>;
  sampleSkipped: Map<string, number>;
  /** Postgres source: its totals, computed while the load ran (early-source-totals.ts). */
  sourceTotals?: Map<string, Promise<Totals>>;
}

export function pgSide(client: pg.ClientBase, target: PgChecksumTarget): BucketSide {
  return { buckets: () => pgBucketTotals(client, target), rowsInBuckets: (b) => pgRowsInBuckets(client, target, b) };
}

export function sqliteSide(db: SqliteDatabase, table: TablePlan, limit?: number): BucketSide {
  const spec = sqliteReadSpec(table, limit);
  return { buckets: () => sqliteBucketTotals(db, spec), rowsInBuckets: (b) => sqliteRowsInBuckets(db, spec, b) };
}

/** A failure on the source's connection is the source's (load-errors.ts names the side). */
function sourceSide(error: unknown): never {
  markSourceSide(error);
  throw error;
}

function minus(after: Totals, before: Totals | undefined): Totals {
  if (!before) return after;
  return { rows: after.rows - before.rows, ...(after.checksum !== undefined ? { checksum: (BigInt(after.checksum) - BigInt(before.checksum ?? '0')).toString() } : {}) };
}

/** Verifies one table on its load transaction's connection; true when it matches. */
async function verifyTable(table: TablePlan, target: pg.ClientBase, reader: pg.ClientBase | undefined, ctx: VerifyCopyContext): Promise<boolean> {
  const checksums = ctx.copy.checksums;
  const entry = ctx.entries.get(table.key)!;
  const targetSpec = targetCanonical(table);
  const sourceSpec = reader ? pgSourceCanonical(table, ctx.copy.sampleRows) : undefined;
  const [after, pgSource] = await Promise.all([
    pgTotals(target, targetSpec, checksums),
    sourceSpec ? (ctx.sourceTotals?.get(table.key) ?? pgTotals(reader!, sourceSpec, checksums)).catch(sourceSide) : Promise.resolve(undefined),
  ]);
  const copied = minus(after, ctx.baselines.get(table.key));
  // A sample that left rows out for foreign keys: the target holds what was copied, counts only.
  if (ctx.sampleSkipped.has(table.key)) {
    Object.assign(entry, { targetRows: copied.rows, checksumMatch: null });
    return copied.rows === entry.copiedRows;
  }
  const expected: Totals = pgSource ?? { rows: (entry.sourceRows ?? 0) - (entry.rejectedRows ?? 0), ...(checksums ? { checksum: ctx.hashes.get(table.key)?.value() ?? '0' } : {}) };
  if (pgSource) entry.sourceRows = pgSource.rows;
  entry.targetRows = copied.rows;
  entry.checksumMatch = checksums ? expected.checksum === copied.checksum : null;
  if (checksums) Object.assign(entry, { sourceChecksum: expected.checksum, targetChecksum: copied.checksum });
  if (expected.rows === copied.rows && entry.checksumMatch !== false) return true;
  if (checksums && !ctx.baselines.has(table.key)) {
    const source = ctx.sqlite ? sqliteSide(ctx.sqlite, table, ctx.copy.sampleRows) : pgSide(reader!, sourceSpec!);
    const differences = await findDifferences(source, pgSide(target, targetSpec));
    if (differences) Object.assign(entry, { differences, differingKeys: sampleKeys(differences) });
  }
  return false;
}

/** Verifies a group's tables inside its open load transaction; true when all match. */
export async function verifyBeforeCommit(tables: TablePlan[], target: pg.ClientBase, reader: pg.ClientBase | undefined, ctx: VerifyCopyContext): Promise<boolean> {
  let ok = true;
  for (const table of tables) if (!(await verifyTable(table, target, reader, ctx))) ok = false;
  return ok;
}
