// The migration runner: status / migrate / rollback / baseline on PostgreSQL and SQLite, on top of
// Umzug (ordering, up/down bookkeeping) with what Umzug lacks: a run-wide lock, one transaction per
// migration including its history row, and checksums of applied files.
//
// Order of a run: read and validate the files (nothing connected yet) → connect → take the lock
// (PostgreSQL) → read the history → refuse drifted files → decide what to run → check those files
// (transaction control, JS that does not load) → run, each step guarded (lock_timeout, retries,
// cancel; guarded-step.ts) → re-read the history to report. Nothing changes before running, except
// that the history table is created and legacy checksums are brought to the current form.
import { Umzug, MigrationError as UmzugMigrationError } from 'umzug';
import type pg from 'pg';
import type { DatabaseLocation, PostgresLocation, SqliteLocation } from '../db/database-url.js';
import { connectPostgres } from '../db/postgres-connect.js';
import { openSqlite } from '../db/sqlite-open.js';
import { sessionModeOf } from '../db/supabase.js';
import { CancelledError, formatError, MigrationError } from '../errors.js';
import type { MigrationEntry, MigrationStatus } from '../run-result.js';
import type { Runtime } from '../runtime.js';
import { historyTable, type HistoryTable } from './history-table.js';
import { postgresDatabase, sqliteDatabase, type MigrationDatabase } from './migration-database.js';
import { compareMigrationNames, readMigrationFiles, type MigrationFile } from './migration-files.js';
import { acquireMigrationLock, isSqliteBusy, releaseMigrationLock, sqliteBusyError } from './migration-lock.js';
import { buildEntries, describeDrift, driftError, findDrift, outOfOrder, resolveTo, selectPending, selectRollback } from './migration-plan.js';
import { cancelledError, migrationError } from './migration-failure.js';
import { plainGuard, postgresGuard, type StepGuard } from './guarded-step.js';
import { upgradeLegacyChecksums } from './legacy-checksums.js';
import { supabaseHistory } from './supabase-history.js';
import { assertReversible, checkBeforeRunning } from './migration-preflight.js';
import { StepFailure, type Direction, type MigrationRunContext } from './migration-step.js';
import type { MigrationObserver } from './migration-observer.js';

export interface MigrationOptions {
  /** Prefix of the connections' application_name, e.g. `cutover/migrate/<run id>` (default `cutover`). */
  runLabel?: string;
  /**
   * status: applied + pending with checksums; writes nothing (not even the history table) and takes
   *   no lock; drifted files are reported as warnings and `changed`/`missing-file` entries.
   * migrate: every pending migration, or those up to and including `to`.
   * rollback: the last `steps` applied migrations in migration order, newest first; with `to`, every
   *   applied migration after `to` (`to` itself stays applied) and `steps` is ignored. Every one of
   *   them needs a down (file or export), checked before any is reverted.
   * baseline: records pending migrations up to and including `to` (all pending ones without `to`)
   *   as applied without running them, in one transaction; applied_by gets " (baseline)".
   */
  mode: 'status' | 'migrate' | 'rollback' | 'baseline';
  target: DatabaseLocation;
  /** Absolute. */
  migrationsDir: string;
  /** migrate/baseline: up to and including; rollback: down to, excluding. A name or just its id. */
  to?: string;
  /** rollback without `to`: how many applied migrations to revert. */
  steps: number;
  allowChangedMigrations: boolean;
  /** 0 = fail at once when another run holds the lock. */
  lockTimeoutMs: number;
  /** PostgreSQL: lock_timeout of migration statements (default 5 s); 0 = no limit. */
  migrationLockTimeoutMs?: number;
  /** PostgreSQL: statement_timeout of migration statements (default 0 = no limit). */
  migrationStatementTimeoutMs?: number;
  /** How often a migration that timed out waiting for a lock is retried (default 3). */
  migrationLockRetries?: number;
  /** Pause before the first such retry, doubled for each further one (default 1 s). */
  migrationRetryDelayMs?: number;
  /** Aborting stops the run (see CancelledError in runMigrations). */
  signal?: AbortSignal;
  connectAttempts: number;
  connectTimeoutMs: number;
  /** Recorded in applied_by. */
  appliedBy: string;
  runtime: Runtime;
  /** Label of the target in messages, e.g. "input 'target-url'". */
  input: string;
  /** migrate: apply only the pending migrations named here (dry runs: those of the PR's base commit, or one at a time). */
  only?: ReadonlySet<string>;
  /** Measuring mode (dry runs on PostgreSQL): see migration-observer.ts. */
  observer?: MigrationObserver;
}

export const MIGRATION_DEFAULTS = { lockTimeoutMs: 5_000, statementTimeoutMs: 0, lockRetries: 3, retryDelayMs: 1_000 } as const;

export interface MigrationOutcome {
  /** Every migration after the run, in order. */
  entries: MigrationEntry[];
  /** Names applied (or rolled back / baselined) by this run. */
  applied: string[];
  /** Still pending after the run. */
  pending: string[];
  /** Every name recorded as applied after the run, in migration order. */
  history: string[];
  /** Also already emitted through runtime.warning. */
  warnings: string[];
}

interface RunState {
  options: MigrationOptions;
  files: MigrationFile[];
  warnings: string[];
  warn(message: string): void;
}

export async function runMigrations(options: MigrationOptions): Promise<MigrationOutcome> {
  const files = readMigrationFiles(options.migrationsDir, { requireMigrations: options.mode !== 'status' });
  const warnings: string[] = [];
  const state: RunState = {
    options,
    files,
    warnings,
    warn(message) {
      warnings.push(message);
      options.runtime.warning(message);
    },
  };
  return options.target.kind === 'postgres' ? runOnPostgres(options.target, state) : runOnSqlite(options.target, state);
}

async function runOnPostgres(target: PostgresLocation, state: RunState): Promise<MigrationOutcome> {
  const { options } = state;
  const session = sessionModeOf(target, options.input, 'the session advisory lock migrations need', 'migrations run');
  const location = session.location;
  if (session.warning) state.warn(session.warning);
  const connect = (role: string) =>
    connectPostgres(location, {
      input: options.input,
      attempts: options.connectAttempts,
      connectTimeoutMs: options.connectTimeoutMs,
      onRetry: (message) => options.runtime.info(message),
      ...(role === options.mode ? { onConnected: (message: string) => options.runtime.info(message) } : {}),
      ...(location.params.application_name ? {} : { applicationName: `${options.runLabel ?? 'cutover'} ${role}` }),
    });
  let client: pg.Client | undefined;
  let lockClient: pg.Client | undefined;
  try {
    client = await connect(options.mode);
    // status only reads: it neither waits for nor blocks a running migration.
    if (options.mode !== 'status') {
      lockClient = await connect('migration lock');
      await acquireMigrationLock(lockClient, { timeoutMs: options.lockTimeoutMs, runtime: options.runtime, input: options.input, ...(options.signal ? { signal: options.signal } : {}) });
    }
    const guard = lockClient
      ? await postgresGuard(client, lockClient, {
          lockTimeoutMs: options.migrationLockTimeoutMs ?? MIGRATION_DEFAULTS.lockTimeoutMs,
          statementTimeoutMs: options.migrationStatementTimeoutMs ?? MIGRATION_DEFAULTS.statementTimeoutMs,
          lockRetries: options.migrationLockRetries ?? MIGRATION_DEFAULTS.lockRetries,
          retryDelayMs: options.migrationRetryDelayMs ?? MIGRATION_DEFAULTS.retryDelayMs,
          runtime: options.runtime,
          ...(options.signal ? { signal: options.signal } : {}),
        })
      : plainGuard;
    return await execute(postgresDatabase(client), state, guard);
  } finally {
    await client?.end().catch(() => undefined);
    if (lockClient) {
      await releaseMigrationLock(lockClient).catch(() => undefined);
      await lockClient.end().catch(() => undefined);
    }
  }
}

async function runOnSqlite(target: SqliteLocation, state: RunState): Promise<MigrationOutcome> {
  const { options } = state;
  const db = await openSqlite(target, {
    input: options.input,
    readonly: options.mode === 'status',
    create: options.mode === 'migrate' || options.mode === 'baseline',
  });
  try {
    // No server-side lock on SQLite: each migration takes the file's write lock (BEGIN IMMEDIATE),
    // waiting up to lock-timeout for another writer.
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.lockTimeoutMs))}`);
    return await execute(sqliteDatabase(db), state, plainGuard);
  } catch (error) {
    if (isSqliteBusy(error)) throw sqliteBusyError(error, options.lockTimeoutMs, options.input);
    throw error;
  } finally {
    db.close();
  }
}

async function execute(database: MigrationDatabase, state: RunState, guard: StepGuard): Promise<MigrationOutcome> {
  const { options, files } = state;
  const { mode, runtime } = options;
  const own = await historyTable(database);
  // A Supabase CLI directory on PostgreSQL: recorded in supabase_migrations.schema_migrations too.
  const history = database.dialect === 'postgres' && files.some((f) => f.supabase) ? supabaseHistory(own, database, files) : own;
  if (mode === 'migrate' || mode === 'baseline') await history.ensure();
  const rows = await history.read();

  const drift = findDrift(files, rows);
  if (drift.changed.length + drift.missing.length > 0) {
    if (mode === 'status') state.warn(`Applied migrations differ from their files: ${describeDrift(drift, options.migrationsDir)}.`);
    else if (!options.allowChangedMigrations) throw driftError(drift, options.migrationsDir);
    else state.warn(`Continuing because allow-changed-migrations is set, although ${describeDrift(drift, options.migrationsDir)}.`);
  }

  if (mode !== 'status') await upgradeLegacyChecksums(files, rows, history, runtime);

  const to = mode !== 'status' && options.to?.trim() ? resolveTo(options.to, files, rows, options.migrationsDir) : undefined;
  const touched = new Map<string, MigrationStatus>();
  const done: string[] = [];
  const finish = async (failed?: MigrationError): Promise<MigrationOutcome> => {
    const after = await history.read().catch(() => rows);
    const applied = new Set(after.map((r) => r.name));
    const entries = buildEntries(files, after, {
      mode,
      touched,
      ...(failed ? { failed: { name: failed.migration, message: failed.message, ...(failed.file ? { file: failed.file } : {}), ...(failed.line ? { line: failed.line } : {}) } } : {}),
    });
    const recorded = after.map((r) => r.name).sort(compareMigrationNames);
    return { entries, applied: done, pending: files.filter((f) => !applied.has(f.name)).map((f) => f.name), history: recorded, warnings: state.warnings };
  };

  if (mode === 'status') {
    const pending = files.filter((f) => !rows.some((r) => r.name === f.name)).length;
    runtime.info(`${rows.length} migration${rows.length === 1 ? '' : 's'} applied, ${pending} pending (${history.qualifiedName} on ${options.input}).`);
    return finish();
  }
  if (mode === 'baseline') {
    await baseline(selectPending(files, rows, to), database, history, state, touched, done);
    return finish();
  }

  const { signal } = options;
  const context: MigrationRunContext = { database, history, appliedBy: options.appliedBy, runtime, control: { phase: 'idle', ...(signal ? { signal } : {}) }, ...(options.observer ? { observer: options.observer } : {}) };
  const step = async (file: MigrationFile, direction: Direction) => {
    if (signal?.aborted) throw cancelledError(mode, done, { next: file.name });
    try {
      return await guard.run(file, direction, context);
    } catch (error) {
      if (!(error instanceof StepFailure)) throw error;
      throw signal?.aborted ? cancelledError(mode, done, { stopped: error }) : migrationError(error);
    }
  };
  const umzug = new Umzug<object>({
    migrations: files.map((file) => ({
      name: file.name,
      path: file.upPath,
      up: async () => record(file, await step(file, 'up'), 'applied'),
      down: async () => record(file, await step(file, 'down'), 'rolled-back'),
    })),
    // Rows are written inside each migration's own transaction, so Umzug's log calls do nothing.
    storage: { executed: async () => (await history.read()).map((r) => r.name), logMigration: async () => undefined, unlogMigration: async () => undefined },
    logger: undefined,
    context: {},
  });
  const record = (file: MigrationFile, result: { skipped: boolean; durationMs: number }, status: MigrationStatus) => {
    if (result.skipped) {
      runtime.info(`${file.name} was already ${status === 'applied' ? 'applied' : 'rolled back'} by a concurrent run; skipped.`);
      return;
    }
    touched.set(file.name, status);
    done.push(file.name);
    runtime.info(`${status === 'applied' ? 'Applied' : 'Rolled back'} ${file.name} (${result.durationMs} ms).`);
  };

  try {
    if (mode === 'migrate') {
      const selected = selectPending(files, rows, to).filter((f) => !options.only || options.only.has(f.name));
      const early = outOfOrder(selected, rows);
      if (early.length) state.warn(`Applying out of order (they sort before migrations already applied): ${early.map((f) => f.name).join(', ')}.`);
      await checkBeforeRunning(selected, 'up', database.dialect);
      if (selected.length === 0 && options.only) runtime.info(`None of the ${options.only.size} migration${options.only.size === 1 ? '' : 's'} asked for is pending on ${options.input}.`);
      else if (selected.length === 0) runtime.info(`No pending migrations${to ? ` up to ${to}` : ''}: ${options.input} is up to date.`);
      else runtime.info(`Applying ${selected.length} migration${selected.length === 1 ? '' : 's'}: ${selected.map((f) => f.name).join(', ')}.`);
      await umzug.up({ migrations: selected.map((f) => f.name), rerun: 'SKIP' });
    } else {
      const names = selectRollback(rows, { ...(to !== undefined ? { to } : {}), steps: options.steps });
      await checkBeforeRunning(files.filter((f) => names.includes(f.name)), 'down', database.dialect);
      await assertReversible(names, files, options.migrationsDir);
      if (names.length === 0) runtime.info(`Nothing to roll back${to ? ` after ${to}` : ''}.`);
      else runtime.info(`Rolling back ${names.length} migration${names.length === 1 ? '' : 's'}: ${names.join(', ')}.`);
      await umzug.down({ migrations: names, rerun: 'SKIP' });
    }
  } catch (thrown) {
    const error = thrown instanceof UmzugMigrationError ? (thrown.cause ?? thrown) : thrown;
    if (error instanceof MigrationError) {
      runtime.error(formatError(error), { title: `Migration ${error.migration} failed`, ...(error.file ? { file: error.file } : {}), ...(error.line ? { line: error.line } : {}) });
      error.outcome = await finish(error);
    }
    // Carried like MigrationError's outcome, so the report shows what the run did before the cancel.
    if (error instanceof CancelledError) Object.assign(error, { outcome: await finish() });
    throw error;
  }
  return finish();
}

/** Records `selected` as applied without running them, in one transaction. */
async function baseline(selected: MigrationFile[], database: MigrationDatabase, history: HistoryTable, state: RunState, touched: Map<string, MigrationStatus>, done: string[]): Promise<void> {
  const { runtime, appliedBy, input } = state.options;
  if (selected.length === 0) {
    runtime.info(`Nothing to baseline: every migration${state.options.to ? ` up to ${state.options.to}` : ''} is already recorded on ${input}.`);
    return;
  }
  await database.begin();
  try {
    for (const file of selected) {
      if (await history.has(file.name)) continue;
      await history.insert({ name: file.name, checksum: file.checksum, durationMs: null, appliedBy: `${appliedBy} (baseline)` });
      touched.set(file.name, 'baselined');
      done.push(file.name);
    }
    await database.commit();
  } catch (error) {
    await database.rollback();
    touched.clear();
    done.length = 0;
    throw error;
  }
  runtime.info(`Recorded ${done.length} migration${done.length === 1 ? '' : 's'} as applied without running them: ${done.join(', ')}.`);
}
