// copy: source → target, verified before it commits. Pipeline: open the source (SQLite read-only in
// one read transaction, or one Postgres snapshot) → connect the target, refuse if it is the source,
// take the target's copy lock, undo a copy whose commit was interrupted → introspect both sides →
// plan and preflight (nothing written if anything is wrong) → all-or-nothing load with verification
// inside the load transactions (load/load-groups.ts) → commit, or roll everything back.
import crypto from 'node:crypto';
import type pg from 'pg';
import type { DatabaseLocation, PostgresLocation } from '../db/database-url.js';
import { closeClient, destroyClient } from '../db/pg-client-lifecycle.js';
import { listPgTables, pgTableIsEmpty } from '../db/pg-introspect.js';
import { prepareCopySession } from '../db/pg-session.js';
import { connectPostgres } from '../db/postgres-connect.js';
import { compareConnections } from '../db/same-database.js';
import { sessionModeOf } from '../db/supabase.js';
import type { SqliteDatabase } from '../db/sqlite-driver.js';
import { countSqliteRows, listSqliteTables, listSqliteViewsAndTriggers } from '../db/sqlite-introspect.js';
import { openSqlite } from '../db/sqlite-open.js';
import { CopyError, isPgError } from '../errors.js';
import type { SchemaCreated, TableEntry } from '../run-result.js';
import type { Runtime } from '../runtime.js';
import type { CopySettings } from '../settings.js';
import type { Totals } from '../verify/pg-checksums.js';
import type { HashSum } from '../verify/row-hash.js';
import { CopyFailedError } from './load/copy-failed-error.js';
import { CopyJournal, dropIfEmpty, repairInterruptedCopy } from './load/copy-journal.js';
import { describeLeftOut, type LeftOutTable } from './plan/table-scope.js';
import { loadAllOrNothing } from './load/load-groups.js';
import { readStandaloneSequences } from './load/standalone-sequences.js';
import { startSourceTotals } from './verify/early-source-totals.js';
import { RejectsFile } from './load/rejects-file.js';
import { lockTargetForCopy } from './load/target-copy-lock.js';
import { buildCopyPlan, type SourceSchema, type TablePlan } from './plan/copy-plan.js';
import { notTranslatedWarning, schemaCreatedReport } from './plan/schema-report.js';
import { assignToConnections, ForeignKeyCycleError, planLoadOrder } from './plan/fk-order.js';
import { PgSnapshot, type Connect } from './read/pg-snapshot.js';
import { SqliteSnapshot } from './read/sqlite-snapshot.js';

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
  /** How long to wait for another copy into the same target, and for the target tables' locks (default 300 s). */
  lockTimeoutMs?: number;
  /** One attempt at the target tables' locks (migration-lock-timeout; default 5 s): see table-locks.ts. */
  tableLockAttemptMs?: number;
  /** Dry runs at the base state: source tables the target lacks are left out with this reason. */
  leaveOutMissing?: string;
  /** cutover mode: a rejected row (on-error: skip) rolls the whole copy back. */
  requireEveryRow?: boolean;
  /** Identifies this run in application_name (`cutover/<mode>/<runId> <purpose>`). */
  runLabel?: string;
  signal?: AbortSignal;
}

export interface CopyOutcome {
  tables: TableEntry[];
  warnings: string[];
  rejectedRows: number;
  rejectsFile?: string;
  /** Every copied row matched the source (counts, checksums when on). */
  matched: boolean;
  /** null when not verified; false when rows were rejected, even if every copied row matched. */
  verified: boolean | null;
  /** Source tables not copied, and why. */
  leftOut: LeftOutTable[];
  /** create-tables: what was created (and not) from the SQLite schema. */
  schema?: SchemaCreated;
}

export function connector(options: { connectAttempts: number; connectTimeoutMs: number; runtime: Runtime; sourceInput: string; targetInput: string; target: DatabaseLocation; runLabel?: string }): Connect {
  const label = options.runLabel ?? `cutover/${crypto.randomBytes(3).toString('hex')}`;
  return (location, purpose) =>
    connectPostgres(location, {
      input: location === options.target ? options.targetInput : options.sourceInput,
      attempts: options.connectAttempts,
      connectTimeoutMs: options.connectTimeoutMs,
      onRetry: (message) => options.runtime.warning(message),
      applicationName: `${label} ${purpose}`,
    });
}

// The fix of a preflight failure: one hint per kind of problem found (the problems name the tables).
const PREFLIGHT_HINTS: Array<[RegExp, string]> = [
  [/does not exist in the target|not in the target table|NOT NULL without a default|cannot convert/, 'align the target schema with the source (migrations, create-tables) or narrow the tables with include/exclude'],
  [/is not empty/, 'for non-empty target tables choose if-target-not-empty: truncate or append'],
  [/row-level security/, 'copy as the tables\' owner or a role with BYPASSRLS'],
  [/may not (read|write|TRUNCATE)/, 'grant the missing privileges named above on that side, or connect as the tables\' owner'],
  [/form a cycle/, 'make one foreign key of the cycle DEFERRABLE'],
];

function preflightError(problems: string[]): CopyError {
  const shown = problems.slice(0, 20).map((p) => `- ${p}`).join('\n');
  const hints = PREFLIGHT_HINTS.filter(([pattern]) => problems.some((p) => pattern.test(p))).map(([, hint]) => hint);
  return new CopyError(`Preflight found ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was written to the target:\n${shown}${problems.length > 20 ? `\n- … and ${problems.length - 20} more` : ''}`, {
    fix: hints.length > 0 ? `${hints.join('; ')}.` : 'fix the problems listed above and run again.',
  });
}

function sameDatabaseError(options: CopyOptions): CopyError {
  return new CopyError(`${options.sourceInput} and ${options.targetInput} lead to the same database: a copy would read and write the same tables${options.copy.ifTargetNotEmpty === 'truncate' ? ' (and if-target-not-empty: truncate would empty them)' : ''}. Nothing was done.`, {
    fix: 'point the target at the new database (or the source at the old one); a host alias, a pooler or localhost vs 127.0.0.1 can hide that two URLs are the same server.',
  });
}

/** A copy needs sessions (snapshot export, SET, the copy lock): transaction poolers are swapped for session poolers. */
function inSessionMode(options: CopyOptions): CopyOptions {
  const target = sessionModeOf(options.target, options.targetInput, 'the sessions a copy needs (its lock, its session settings)', 'the copy writes');
  const source = options.source.kind === 'postgres' ? sessionModeOf(options.source, options.sourceInput, 'the exported snapshot a copy reads in', 'the copy reads') : undefined;
  for (const warning of [target.warning, source?.warning]) if (warning) options.runtime.warning(warning);
  return { ...options, target: target.location, ...(source ? { source: source.location } : {}) };
}

/** Several transactions need the journal; without it (no CREATE on the schema) the load uses one. */
async function prepareJournal(control: pg.Client, schema: string, groups: number, runId: string, runtime: Runtime): Promise<CopyJournal | undefined> {
  if (groups <= 1) return undefined;
  const journal = new CopyJournal(schema, runId, groups);
  try {
    await journal.ensure(control);
    return journal;
  } catch (error) {
    if (!isPgError(error) || error.code !== '42501') throw error;
    runtime.info(`The target role cannot create ${journal.table} (no CREATE on schema ${schema}): loading in one transaction instead of ${groups}, so the copy still commits at one point.`);
    return undefined;
  }
}

export async function copyData(given: CopyOptions): Promise<CopyOutcome> {
  const options = inSessionMode(given);
  const { runtime, copy } = options;
  const runId = crypto.randomBytes(6).toString('hex');
  const connect = connector({ ...options, runLabel: options.runLabel ?? `cutover/copy/${runId}` });
  const warnings: string[] = [];
  let sqlite: SqliteDatabase | undefined;
  let sqliteSnapshot: SqliteSnapshot | undefined;
  let snapshot: PgSnapshot | undefined;
  let control: pg.Client | undefined;
  let failed = true;
  const entries = new Map<string, TableEntry>();
  const rejects = new RejectsFile(copy.rejectsFile);
  // A cancellation before the commit phase closes every connection at once, whatever it waits on
  // (a lock, a catalog query): the load's own connections are handled in load-groups.ts.
  let committing = false;
  let journal: CopyJournal | undefined;
  const onAbort = () => {
    if (committing) return;
    if (control) destroyClient(control);
    snapshot?.abort();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    options.signal?.throwIfAborted();
    if (options.source.kind === 'sqlite') {
      sqlite = await openSqlite(options.source, { input: options.sourceInput, readonly: true });
      sqliteSnapshot = await SqliteSnapshot.begin(sqlite);
      if (sqliteSnapshot.journalMode !== 'wal') runtime.info('Reading the SQLite source in one read transaction: other processes cannot commit writes to it until the copy ends.');
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
    if (snapshot && (await compareConnections(control, snapshot.coordinator, options.sourceInput)).same) throw sameDatabaseError(options);
    await lockTargetForCopy(control, { timeoutMs: options.lockTimeoutMs ?? 300_000, runtime, input: options.targetInput, ...(options.signal ? { signal: options.signal } : {}) });
    const targetSchema = (await control.query<{ s: string | null }>('SELECT current_schema() AS s')).rows[0].s ?? 'public';
    await repairInterruptedCopy(control, targetSchema, runtime, options.lockTimeoutMs ?? 300_000);
    const source: SourceSchema = sqlite ? { kind: 'sqlite', tables: listSqliteTables(sqlite) } : { kind: 'postgres', tables: await listPgTables(snapshot!.coordinator) };
    // create-tables names indexes and long identifiers around what the target schema already holds.
    const targetRelations = copy.createTables ? (await control.query<{ name: string }>('SELECT relname AS name FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1)', [targetSchema])).rows.map((r) => r.name) : [];
    const plan = buildCopyPlan(source, await listPgTables(control), {
      include: copy.include, exclude: copy.exclude, createTables: copy.createTables, targetSchema, sourceInput: options.sourceInput, sourceLocation: options.source, ifTargetNotEmpty: copy.ifTargetNotEmpty,
      targetRelations, typeMapping: { keepLengths: copy.createTablesLengths !== 'drop' },
      ...(options.leaveOutMissing ? { leaveOutMissing: options.leaveOutMissing } : {}),
    });
    if (plan.leftOut.length > 0) runtime.info(describeLeftOut(plan.leftOut));
    warnings.push(...plan.warnings);
    if (copy.ifTargetNotEmpty === 'fail') {
      for (const table of plan.tables) {
        if (!table.ddl && !(await pgTableIsEmpty(control, table.target))) plan.problems.push(`target table ${table.display} is not empty (if-target-not-empty: fail)`);
      }
    }
    let components: string[][] = [];
    try {
      const order = planLoadOrder(plan.tables.map((t) => t.key), plan.edges, plan.links);
      for (const component of order.filter((c) => c.cycle.length > 0)) {
        warnings.push(`Foreign keys form a cycle between ${component.cycle.join(', ')}; loaded with deferred constraints (checked before commit).`);
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
    // Only a copy into empty tables can be undone after a half-finished commit (see copy-journal.ts):
    // truncate and append load in one transaction, which commits at one point.
    const connections = copy.ifTargetNotEmpty === 'fail' ? copy.jobs : 1;
    const weighted = components.map((keys) => ({ tables: keys.map((k) => byKey.get(k)!), weight: keys.reduce((sum, k) => sum + (expectedRows.get(k) ?? 1), 0) }));
    let groups = assignToConnections(weighted, connections).map((group) => group.map((c) => c.tables));
    journal = await prepareJournal(control, targetSchema, groups.length, runId, runtime);
    if (groups.length > 1 && !journal) groups = [groups.flat()];
    const why = copy.ifTargetNotEmpty !== 'fail' && components.length > 1 ? ` (one transaction: if-target-not-empty: ${copy.ifTargetNotEmpty} cannot be undone once part of a copy has committed)` : '';
    runtime.info(`Copying ${plan.tables.length} table${plan.tables.length === 1 ? '' : 's'} in ${groups.length} transaction${groups.length === 1 ? '' : 's'}${why}; rows are verified before anything is committed.`);

    const hashes = new Map<string, HashSum>();
    const baselines = new Map<string, Totals>();
    const sampleSkipped = new Map<string, number>();
    const started = Date.now();
    const sequences = snapshot ? await readStandaloneSequences(snapshot.coordinator, plan.tables) : undefined;
    for (const note of sequences?.notes ?? []) runtime.info(note);
    const ctx = {
      sampleSkipped,
      ...(sequences?.found.length ? { standaloneSequences: sequences.found } : {}),
      copy,
      runtime,
      connectTarget: () => connect(options.target, 'target'),
      ...(sqlite ? { sqlite } : {}),
      ...(snapshot ? { snapshot, sourceTotals: startSourceTotals(snapshot.coordinator, groups.flat(2), copy.checksums, copy.sampleRows) } : {}),
      rejects,
      entries,
      hashes,
      baselines,
      expectedRows,
      errorContext: { sourceKind: options.source.kind, copied: new Set(plan.tables.map((t) => t.key)), ifTargetNotEmpty: copy.ifTargetNotEmpty },
      journaling: journal !== undefined,
      tableLocks: { attemptMs: options.tableLockAttemptMs ?? 5_000, totalMs: options.lockTimeoutMs ?? 300_000 },
      ...(options.signal ? { signal: options.signal } : {}),
    };
    const { verified: matched } = await loadAllOrNothing(groups, ctx, {
      ...(journal ? { journal, repairConnection: () => connect(options.target, 'repair') } : {}),
      onCommitPhase: () => (committing = true),
      beforeCommit: () => {
        sqliteSnapshot?.assertConsistent(Boolean((ctx as { readByWorkers?: boolean }).readByWorkers), (options.source as { path: string }).path);
        if (options.requireEveryRow && rejects.count > 0) {
          throw new CopyError(`${rejects.count} source row${rejects.count === 1 ? '' : 's'} could not be converted (written to ${rejects.file}); a cutover needs every row, so nothing was committed: the target is as it was.`, {
            fix: 'correct those rows in the source (the rejects file names table, key, column and value) and run the cutover again.',
          });
        }
      },
    });
    rejects.close();
    const what = copy.checksums ? 'row counts and checksums' : 'row counts';
    runtime.info(`Verified ${plan.tables.length} table${plan.tables.length === 1 ? '' : 's'} (${what}) before commit in ${((Date.now() - started) / 1000).toFixed(1)} s: ${matched ? 'source and target match; committed' : 'DIFFERENCES FOUND; rolled back, the target is as it was'}.`);
    const changeNote = sqliteSnapshot?.changeNote((options.source as { path: string }).path);
    if (changeNote) warnings.push(changeNote);
    if (rejects.count > 0) warnings.push(`${rejects.count} row${rejects.count === 1 ? '' : 's'} could not be converted and ${rejects.count === 1 ? 'was' : 'were'} written to ${rejects.file} instead (on-error: skip).`);
    for (const [key, skipped] of sampleSkipped) {
      warnings.push(`${byKey.get(key)!.display}: ${skipped} sampled row${skipped === 1 ? '' : 's'} left out because ${skipped === 1 ? 'it references' : 'they reference'} rows outside the sample (sample-rows).`);
    }
    const schema = copy.createTables && sqlite ? schemaCreatedReport(plan.tables, listSqliteViewsAndTriggers(sqlite)) : undefined;
    const untranslated = schema && notTranslatedWarning(schema);
    if (untranslated) warnings.push(untranslated);
    failed = false;
    return { tables: [...entries.values()], warnings, rejectedRows: rejects.count, ...(rejects.count > 0 ? { rejectsFile: rejects.file } : {}), matched, verified: matched && rejects.count === 0, leftOut: plan.leftOut, ...(schema ? { schema } : {}) };
  } catch (error) {
    // Whatever a destroyed connection made fail, the cause is the cancellation (nothing was committed).
    if (options.signal?.aborted && !committing) throw options.signal.reason;
    const tables = [...entries.values()];
    if (error instanceof CopyError && !(error instanceof CopyFailedError)) {
      throw Object.assign(new CopyFailedError(error.message, { cause: error.cause, ...(error.fix ? { fix: error.fix } : {}), targetLeftPartial: error.targetLeftPartial, tables }), { stack: error.stack });
    }
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    rejects.close();
    // A journal table this run created stays only while it records a commit in progress.
    if (journal && !committing && control && !options.signal?.aborted) await dropIfEmpty(control, journal.table).catch(() => undefined);
    if (control) await closeClient(control);
    await snapshot?.close(failed);
    sqliteSnapshot?.end();
    sqlite?.close();
  }
}

export type { TablePlan };
