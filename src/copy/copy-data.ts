// copy: source → target, then verify. Pipeline: open the source (SQLite read-only, or one Postgres
// snapshot) → introspect both sides → plan and preflight (nothing written if anything is wrong) →
// all-or-nothing load (see load/load-groups.ts: one transaction per connection, commit only when every
// connection succeeded) → verify: row counts always, checksums when asked (SQLite side hashed inline
// while streaming; Postgres sides computed in SQL, in parallel).
import type pg from 'pg';
import type { DatabaseLocation, PostgresLocation } from '../db/database-url.js';
import { listPgTables, pgTableIsEmpty } from '../db/pg-introspect.js';
import { prepareCopySession } from '../db/pg-session.js';
import { connectPostgres } from '../db/postgres-connect.js';
import type { SqliteDatabase } from '../db/sqlite-driver.js';
import { countSqliteRows, listSqliteTables } from '../db/sqlite-introspect.js';
import { openSqlite } from '../db/sqlite-open.js';
import { CopyError } from '../errors.js';
import type { TableEntry } from '../run-result.js';
import type { Runtime } from '../runtime.js';
import type { CopySettings } from '../settings.js';
import type { Totals } from '../verify/pg-checksums.js';
import type { HashSum } from '../verify/row-hash.js';
import { CopyFailedError } from './load/copy-failed-error.js';
import { buildCopyPlan, type SourceSchema, type TablePlan } from './plan/copy-plan.js';
import { describeLeftOut, type LeftOutTable } from './plan/table-scope.js';
import { verifyCopiedTables } from './verify/verify-copied-tables.js';
import { assignToConnections, ForeignKeyCycleError, planLoadOrder } from './plan/fk-order.js';
import { loadAllOrNothing } from './load/load-groups.js';
import { PgSnapshot, type Connect } from './read/pg-snapshot.js';
import { RejectsFile } from './load/rejects-file.js';

export interface CopyOptions {
  source: DatabaseLocation;
  target: PostgresLocation;
  copy: CopySettings;
  connectAttempts: number;
  connectTimeoutMs: number;
  runtime: Runtime;
  /** Labels for messages, e.g. "input 'source-url'". */
  sourceInput: string;
  targetInput: string;
  signal?: AbortSignal;
}

export interface CopyOutcome {
  tables: TableEntry[];
  warnings: string[];
  rejectedRows: number;
  rejectsFile?: string;
  /** null when not verified. */
  verified: boolean | null;
  /** Source tables not copied, and why. */
  leftOut: LeftOutTable[];
}

export function connector(options: { connectAttempts: number; connectTimeoutMs: number; runtime: Runtime; sourceInput: string; targetInput: string; target: DatabaseLocation }): Connect {
  return (location, purpose) =>
    connectPostgres(location, {
      input: location === options.target ? options.targetInput : options.sourceInput,
      attempts: options.connectAttempts,
      connectTimeoutMs: options.connectTimeoutMs,
      onRetry: (message) => options.runtime.warning(message),
      applicationName: `cutover ${purpose}`,
    });
}

function preflightError(problems: string[]): CopyError {
  const shown = problems.slice(0, 20).map((p) => `- ${p}`).join('\n');
  return new CopyError(`Preflight found ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was written to the target:\n${shown}${problems.length > 20 ? `\n- … and ${problems.length - 20} more` : ''}`, {
    fix: 'align the target schema with the source (migrations, create-tables) or narrow the tables with include/exclude; for non-empty targets choose if-target-not-empty: truncate or append.',
  });
}

export async function copyData(options: CopyOptions): Promise<CopyOutcome> {
  const { runtime, copy } = options;
  const connect = connector(options);
  const warnings: string[] = [];
  let sqlite: SqliteDatabase | undefined;
  let snapshot: PgSnapshot | undefined;
  let control: pg.Client | undefined;
  const entries = new Map<string, TableEntry>();
  const rejects = new RejectsFile(copy.rejectsFile);
  try {
    if (options.source.kind === 'sqlite') {
      sqlite = await openSqlite(options.source, { input: options.sourceInput, readonly: true });
    } else {
      if (copy.createTables) {
        throw new CopyError('create-tables creates target tables from a SQLite schema; the source is PostgreSQL.', {
          fix: 'create the target schema with your migrations or `pg_dump --schema-only | psql` first, then copy without create-tables.',
        });
      }
      snapshot = await PgSnapshot.open(options.source, connect);
    }
    control = await connect(options.target, 'target');
    await prepareCopySession(control);
    const targetSchema = (await control.query<{ s: string | null }>('SELECT current_schema() AS s')).rows[0].s ?? 'public';
    const source: SourceSchema = sqlite ? { kind: 'sqlite', tables: listSqliteTables(sqlite) } : { kind: 'postgres', tables: await listPgTables(snapshot!.coordinator) };
    const plan = buildCopyPlan(source, await listPgTables(control), { include: copy.include, exclude: copy.exclude, createTables: copy.createTables, targetSchema, sourceInput: options.sourceInput, sourceLocation: options.source });
    if (plan.leftOut.length > 0) runtime.info(describeLeftOut(plan.leftOut));
    warnings.push(...plan.warnings);
    if (copy.ifTargetNotEmpty === 'fail') {
      for (const table of plan.tables) {
        if (!table.ddl && !(await pgTableIsEmpty(control, table.target))) plan.problems.push(`target table ${table.display} is not empty (if-target-not-empty: fail)`);
      }
    }
    let components: string[][] = [];
    try {
      const order = planLoadOrder(plan.tables.map((t) => t.key), plan.edges);
      for (const component of order.filter((c) => c.cycle.length > 0)) {
        warnings.push(`Foreign keys form a cycle between ${component.cycle.join(', ')}; loaded with deferred constraints (checked at commit).`);
      }
      components = order.map((c) => c.tables);
    } catch (error) {
      if (!(error instanceof ForeignKeyCycleError)) throw error;
      plan.problems.push(`foreign keys form a cycle between ${error.tables.join(', ')} and none of them is DEFERRABLE, so no load order satisfies them (make one of those constraints DEFERRABLE INITIALLY IMMEDIATE in a migration, or exclude a table)`);
    }
    if (plan.problems.length > 0) throw preflightError(plan.problems);

    const byKey = new Map(plan.tables.map((t) => [t.key, t]));
    const expectedRows = new Map<string, number>();
    for (const table of plan.tables) {
      entries.set(table.key, { table: table.display });
      if (sqlite) {
        const count = countSqliteRows(sqlite, table.sourceName);
        expectedRows.set(table.key, copy.sampleRows !== undefined ? Math.min(count, copy.sampleRows) : count);
      }
    }
    const weighted = components.map((keys) => ({ tables: keys.map((k) => byKey.get(k)!), weight: keys.reduce((sum, k) => sum + (expectedRows.get(k) ?? 1), 0) }));
    const groups = assignToConnections(weighted, copy.jobs).map((group) => group.map((c) => c.tables));
    runtime.info(`Copying ${plan.tables.length} table${plan.tables.length === 1 ? '' : 's'} in ${groups.length} transaction${groups.length === 1 ? '' : 's'} (jobs: ${copy.jobs}), all committed together at the end.`);

    const hashes = new Map<string, HashSum>();
    const baselines = new Map<string, Totals>();
    const sampleSkipped = new Map<string, number>();
    await loadAllOrNothing(groups, { sampleSkipped, copy, runtime, connectTarget: () => connect(options.target, 'target'), ...(sqlite ? { sqlite } : {}), ...(snapshot ? { snapshot } : {}), rejects, entries, hashes, baselines, expectedRows, ...(options.signal ? { signal: options.signal } : {}) });
    rejects.close();
    if (rejects.count > 0) warnings.push(`${rejects.count} row${rejects.count === 1 ? '' : 's'} could not be converted and ${rejects.count === 1 ? 'was' : 'were'} written to ${rejects.file} instead (on-error: skip).`);

    for (const [key, skipped] of sampleSkipped) {
      warnings.push(`${byKey.get(key)!.display}: ${skipped} sampled row${skipped === 1 ? '' : 's'} left out because ${skipped === 1 ? 'it references' : 'they reference'} rows outside the sample (sample-rows).`);
    }
    const verified = await verifyCopiedTables(plan.tables, { sampleSkipped, copy, runtime, control, connectTarget: () => connect(options.target, 'target'), ...(sqlite ? { sqlite } : {}), ...(snapshot ? { snapshot } : {}), entries, hashes, baselines, warnings });
    return { tables: [...entries.values()], warnings, rejectedRows: rejects.count, ...(rejects.count > 0 ? { rejectsFile: rejects.file } : {}), verified, leftOut: plan.leftOut };
  } catch (error) {
    const tables = [...entries.values()];
    if (error instanceof CopyError && !(error instanceof CopyFailedError)) {
      throw Object.assign(new CopyFailedError(error.message, { cause: error.cause, ...(error.fix ? { fix: error.fix } : {}), tables }), { stack: error.stack });
    }
    throw error;
  } finally {
    rejects.close();
    await control?.end().catch(() => undefined);
    await snapshot?.close();
    sqlite?.close();
  }
}

export type { TablePlan };
