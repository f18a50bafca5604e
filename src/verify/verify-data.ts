// verify: compares a source (SQLite or Postgres) with a Postgres target without writing anything.
// Both Postgres sides are read inside REPEATABLE READ snapshots (one consistent view each, shared by
// the parallel readers); per table: row counts, and checksums of the canonical rows (see
// canonical-form.ts) computed in SQL on Postgres and by re-reading through the cast rules on SQLite,
// both sides concurrently. Mismatching tables are narrowed down to how many rows differ, by kind,
// with a few keys each. A table of the scope that the target lacks fails verification: a table that
// was not compared never counts as matching.
import type pg from 'pg';
import type { DatabaseLocation } from '../db/database-url.js';
import { listPgTables } from '../db/pg-introspect.js';
import type { SqliteDatabase } from '../db/sqlite-driver.js';
import { listSqliteTables } from '../db/sqlite-introspect.js';
import { openSqlite } from '../db/sqlite-open.js';
import { VerifyError } from '../errors.js';
import type { LeftOutEntry, TableEntry } from '../run-result.js';
import type { Runtime } from '../runtime.js';
import { connector } from '../copy/copy-data.js';
import { compareConnections } from '../db/same-database.js';
import { buildCopyPlan, type SourceSchema } from '../copy/plan/copy-plan.js';
import { refuseFilteredReads } from '../copy/plan/row-security-preflight.js';
import { describeLeftOut } from '../copy/plan/table-scope.js';
import { verifyThreadCount } from '../copy/read/parallel-sqlite-source.js';
import { PgSnapshot } from '../copy/read/pg-snapshot.js';
import { SqliteSnapshot } from '../copy/read/sqlite-snapshot.js';
import { pgSourceCanonical, sqliteReadSpec, targetCanonical } from '../copy/plan/plan-canonical.js';
import { pgSide, sqliteSide } from '../copy/verify/verify-copied-tables.js';
import { describeDifferences } from './describe-differences.js';
import { findDifferences, sampleKeys } from './differing-keys.js';
import { pgTotals } from './pg-checksums.js';
import { runPool } from './run-pool.js';
import { sqliteTotals } from './sqlite-checksums.js';

export interface VerifyOptions {
  source: DatabaseLocation;
  target: DatabaseLocation;
  include: string[];
  exclude: string[];
  checksums: boolean;
  jobs: number;
  connectAttempts: number;
  connectTimeoutMs: number;
  runtime: Runtime;
  sourceInput: string;
  targetInput: string;
}

export interface VerifyOutcome {
  tables: TableEntry[];
  verified: boolean;
  warnings: string[];
  /** Source tables not compared, and why. */
  leftOut: LeftOutEntry[];
}

export async function verifyData(options: VerifyOptions): Promise<VerifyOutcome> {
  if (options.target.kind !== 'postgres') {
    throw new VerifyError(`verify compares against a PostgreSQL target, but ${options.targetInput} is a SQLite file (${options.target.path}).`, {
      fix: 'swap the two URLs if the SQLite file is the source, or point the target at the PostgreSQL database.',
    });
  }
  const { runtime } = options;
  const connect = connector(options);
  const warnings: string[] = [];
  const started = Date.now();
  let sqlite: SqliteDatabase | undefined;
  let sqliteSnapshot: SqliteSnapshot | undefined;
  let sourceSnapshot: PgSnapshot | undefined;
  let targetSnapshot: PgSnapshot | undefined;
  try {
    if (options.source.kind === 'sqlite') {
      sqlite = await openSqlite(options.source, { input: options.sourceInput, readonly: true });
      // Every table compared as of one instant, like a Postgres source's snapshot.
      sqliteSnapshot = await SqliteSnapshot.begin(sqlite);
    }
    else sourceSnapshot = await PgSnapshot.open(options.source, connect, 'source snapshot');
    targetSnapshot = await PgSnapshot.open(options.target, connect, 'target snapshot');
    const control = targetSnapshot.coordinator;
    // A database compared with itself always "matches": that says nothing about a copy.
    if (sourceSnapshot && (await compareConnections(control, sourceSnapshot.coordinator, options.sourceInput)).same) {
      throw new VerifyError(`${options.sourceInput} and ${options.targetInput} lead to the same database: verify would compare it with itself, and a match would say nothing. Nothing was compared.`, {
        fix: 'point the source at the old database and the target at the new one; a host alias, a pooler or localhost vs 127.0.0.1 can hide that two URLs are the same server.',
      });
    }
    const targetSchema = (await control.query<{ s: string | null }>('SELECT current_schema() AS s')).rows[0].s ?? 'public';
    const source: SourceSchema = sqlite ? { kind: 'sqlite', tables: listSqliteTables(sqlite) } : { kind: 'postgres', tables: await listPgTables(sourceSnapshot!.coordinator) };
    const plan = buildCopyPlan(source, await listPgTables(control), { include: options.include, exclude: options.exclude, createTables: false, targetSchema, sourceInput: options.sourceInput, sourceLocation: options.source });
    // The target is read too: policies that filter it would make the comparison wrong.
    refuseFilteredReads(plan.tables.map((t) => t.target), { name: 'target', input: options.targetInput, ...(options.target.user ? { role: options.target.user } : {}) });
    if (plan.leftOut.length > 0) runtime.info(describeLeftOut(plan.leftOut));
    let verified = true;
    const entries: TableEntry[] = [];
    for (const missing of plan.missingTables) {
      verified = false;
      entries.push({ table: missing.display, missingInTarget: true });
      warnings.push(`Table ${missing.display} exists in the source but not in the target, so it was not compared.`);
    }
    for (const problem of plan.problems.filter((p) => /exists in the source but not in the target table|cannot convert/.test(p))) {
      verified = false;
      warnings.push(`Column ${problem}.`);
    }
    // Every connection is opened before any table is read: hashing a SQLite table runs on this
    // thread without yielding, and a connection still handshaking meanwhile would time out.
    const jobs = Math.max(1, Math.min(options.jobs, plan.tables.length));
    const sourceReaders: pg.ClientBase[] = sourceSnapshot ? [sourceSnapshot.coordinator] : [];
    const targetReaders: pg.ClientBase[] = [control];
    while (targetReaders.length < jobs) targetReaders.push(await targetSnapshot.reader());
    while (sourceSnapshot && sourceReaders.length < jobs) sourceReaders.push(await sourceSnapshot.reader());
    let readByWorkers = false;
    await runPool(plan.tables, jobs, async (table, worker) => {
      const entry: TableEntry = { table: table.display };
      entries.push(entry);
      const targetSpec = targetCanonical(table);
      const tableStarted = Date.now();
      // The target's query is sent first, so Postgres works while this thread hashes the SQLite side.
      const targetPending = pgTotals(targetReaders[worker], targetSpec, options.checksums);
      const [sourceTotals, targetTotals] = await Promise.all([
        sqlite ? sqliteTotals(sqlite, sqliteReadSpec(table), options.checksums, verifyThreadCount(options.jobs)) : pgTotals(sourceReaders[worker], pgSourceCanonical(table), options.checksums),
        targetPending,
      ]);
      Object.assign(entry, { sourceRows: sourceTotals.rows, targetRows: targetTotals.rows, checksumMatch: options.checksums ? sourceTotals.checksum === targetTotals.checksum : null });
      if (options.checksums) Object.assign(entry, { sourceChecksum: sourceTotals.checksum, targetChecksum: targetTotals.checksum });
      if ((sourceTotals as { readByWorkers?: boolean }).readByWorkers) readByWorkers = true;
      const unconvertible = (sourceTotals as { unconvertible?: number }).unconvertible ?? 0;
      if (unconvertible > 0) {
        warnings.push(`${table.display}: ${unconvertible} source row${unconvertible === 1 ? '' : 's'} cannot convert to the target's column types.`);
      }
      if (entry.sourceRows !== entry.targetRows || entry.checksumMatch === false) {
        verified = false;
        if (options.checksums) {
          const sourceSide = sqlite ? sqliteSide(sqlite, table) : pgSide(sourceReaders[worker], pgSourceCanonical(table));
          const differences = await findDifferences(sourceSide, pgSide(targetReaders[worker], targetSpec));
          if (differences) Object.assign(entry, { differences, differingKeys: sampleKeys(differences) });
        }
      }
      entry.durationMs = Date.now() - tableStarted;
      runtime.info(`${table.display}: source ${entry.sourceRows} rows, target ${entry.targetRows} rows${options.checksums ? `, checksums ${entry.checksumMatch ? 'match' : 'DIFFER'}` : ''}${entry.differences ? ` — ${describeDifferences(entry.differences)}` : ''}`);
    });
    // Worker threads read outside the main read transaction: a write meanwhile could mix two states.
    if (readByWorkers && sqliteSnapshot?.changed()) {
      verified = false;
      warnings.push(`The SQLite source ${(options.source as { path: string }).path} was written to during verification and some tables were read by worker threads, which may have seen the newer state, so this comparison cannot say whether source and target match. Stop the writes (or set CUTOVER_COPY_THREADS=1) and verify again.`);
    }
    entries.sort((a, b) => a.table.localeCompare(b.table));
    const compared = entries.filter((e) => !e.missingInTarget).length;
    runtime.info(`Verified ${compared} table${compared === 1 ? '' : 's'} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${verified ? 'source and target match' : 'DIFFERENCES FOUND'}${plan.missingTables.length ? ` (${plan.missingTables.length} missing in the target)` : ''}.`);
    return { tables: entries, verified, warnings, leftOut: plan.leftOut };
  } finally {
    await sourceSnapshot?.close();
    await targetSnapshot?.close();
    sqliteSnapshot?.end();
    sqlite?.close();
  }
}
