// Verification right after a copy: the target's counts and checksums are computed in SQL on up to
// `jobs` connections while a Postgres source computes its own in the snapshot the copy read; a SQLite
// source's checksums were summed while streaming. A mismatch is narrowed down to its first keys.
import type pg from 'pg';
import type { SqliteDatabase } from '../../db/sqlite-driver.js';
import { prepareCopySession } from '../../db/pg-session.js';
import type { TableEntry } from '../../run-result.js';
import type { Runtime } from '../../runtime.js';
import type { CopySettings } from '../../settings.js';
import { findDifferingKeys, type BucketSide } from '../../verify/differing-keys.js';
import { pgBucketTotals, pgRowsInBuckets, pgTotals, type PgChecksumTarget, type Totals } from '../../verify/pg-checksums.js';
import type { HashSum } from '../../verify/row-hash.js';
import { sqliteBucketTotals, sqliteRowsInBuckets } from '../../verify/sqlite-checksums.js';
import type { TablePlan } from '../plan/copy-plan.js';
import type { PgSnapshot } from '../read/pg-snapshot.js';
import { pgSourceCanonical, sqliteReadSpec, targetCanonical } from '../plan/plan-canonical.js';
import { runPool } from '../../verify/run-pool.js';

export interface VerifyCopyContext {
  copy: CopySettings;
  runtime: Runtime;
  control: pg.Client;
  connectTarget: () => Promise<pg.Client>;
  sqlite?: SqliteDatabase;
  snapshot?: PgSnapshot;
  entries: Map<string, TableEntry>;
  hashes: Map<string, HashSum>;
  baselines: Map<string, Totals>;
  sampleSkipped: Map<string, number>;
  warnings: string[];
}

export function pgSide(client: pg.ClientBase, target: PgChecksumTarget): BucketSide {
  return { buckets: () => pgBucketTotals(client, target), rowsInBuckets: (b) => pgRowsInBuckets(client, target, b) };
}

export function sqliteSide(db: SqliteDatabase, table: TablePlan, limit?: number): BucketSide {
  const spec = sqliteReadSpec(table, limit);
  return { buckets: () => sqliteBucketTotals(db, spec), rowsInBuckets: (b) => sqliteRowsInBuckets(db, spec, b) };
}

function minus(after: Totals, before: Totals | undefined): Totals {
  if (!before) return after;
  return { rows: after.rows - before.rows, ...(after.checksum !== undefined ? { checksum: (BigInt(after.checksum) - BigInt(before.checksum ?? '0')).toString() } : {}) };
}

export async function verifyCopiedTables(tables: TablePlan[], ctx: VerifyCopyContext): Promise<boolean> {
  const checksums = ctx.copy.checksums;
  const started = Date.now();
  const targets: pg.Client[] = [ctx.control];
  const readers: pg.ClientBase[] = ctx.snapshot ? [ctx.snapshot.coordinator] : [];
  let ok = true;
  try {
    await runPool(tables, Math.max(1, ctx.copy.jobs), async (table, worker) => {
      while (targets.length <= worker) {
        const client = await ctx.connectTarget();
        await prepareCopySession(client);
        targets.push(client);
      }
      while (ctx.snapshot && readers.length <= worker) readers.push(await ctx.snapshot.reader());
      const entry = ctx.entries.get(table.key)!;
      const targetSpec = targetCanonical(table);
      const sourceSpec = ctx.snapshot ? pgSourceCanonical(table, ctx.copy.sampleRows) : undefined;
      const [after, pgSource] = await Promise.all([
        pgTotals(targets[worker], targetSpec, checksums),
        sourceSpec ? pgTotals(readers[worker], sourceSpec, checksums) : Promise.resolve(undefined),
      ]);
      const target = minus(after, ctx.baselines.get(table.key));
      // A sample that left rows out for foreign keys: the target holds what was copied, counts only.
      const skipped = ctx.sampleSkipped.get(table.key);
      if (skipped !== undefined) {
        Object.assign(entry, { targetRows: target.rows, checksumMatch: null });
        if (target.rows !== entry.copiedRows) ok = false;
        return;
      }
      const expected: Totals = pgSource ?? { rows: (entry.sourceRows ?? 0) - (entry.rejectedRows ?? 0), ...(checksums ? { checksum: ctx.hashes.get(table.key)?.value() ?? '0' } : {}) };
      if (pgSource) entry.sourceRows = pgSource.rows;
      entry.targetRows = target.rows;
      entry.checksumMatch = checksums ? expected.checksum === target.checksum : null;
      if (checksums) Object.assign(entry, { sourceChecksum: expected.checksum, targetChecksum: target.checksum });
      const match = expected.rows === target.rows && entry.checksumMatch !== false;
      if (match) return;
      ok = false;
      if (checksums && !ctx.baselines.has(table.key)) {
        const source = ctx.sqlite ? sqliteSide(ctx.sqlite, table, ctx.copy.sampleRows) : pgSide(readers[worker], sourceSpec!);
        entry.differingKeys = await findDifferingKeys(source, pgSide(targets[worker], targetSpec));
      }
    });
  } finally {
    for (const client of targets.slice(1)) await client.end().catch(() => undefined);
  }
  const differing = tables.filter((t) => !(ctx.entries.get(t.key)!.targetRows === undefined));
  ctx.runtime.info(`Verified ${differing.length} table${differing.length === 1 ? '' : 's'} (${checksums ? 'row counts and checksums' : 'row counts'}) in ${((Date.now() - started) / 1000).toFixed(1)} s: ${ok ? 'source and target match' : 'DIFFERENCES FOUND'}.`);
  return ok;
}
