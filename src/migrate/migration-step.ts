// Runs one migration in one direction. By default the migration and its history-row change share a
// transaction (BEGIN; migration; INSERT/DELETE history; COMMIT), so a failure leaves neither behind.
// Inside that transaction the history is checked again: on SQLite, where there is no run-wide lock,
// a concurrent process that applied the migration first makes this one a no-op instead of a rerun.
// Files marked `-- cutover:no-transaction` run statement by statement without a transaction.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeCause } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { stackLine } from './error-position.js';
import type { HistoryTable } from './history-table.js';
import { loadJsMigration, type JsMigrationContext } from './js-migration.js';
import type { BlockedWait } from '../db/lock-blockers.js';
import type { MigrationDatabase } from './migration-database.js';
import { sqlHelper } from './migration-database.js';
import { hasNoTransactionMarker, type MigrationFile } from './migration-files.js';
import type { MigrationObserver } from './migration-observer.js';
import { sqlBody, StepCancelled, type Body, type StatementProgress } from './sql-file-body.js';

export type Direction = 'up' | 'down';

export interface MigrationRunContext {
  database: MigrationDatabase;
  history: HistoryTable;
  appliedBy: string;
  runtime: Runtime;
  control: StepControl;
  /** Measuring mode (dry runs): every statement, or a JS migration as a whole, runs through it. */
  observer?: MigrationObserver;
}

/** Shared between a running step and whoever may have to stop it (see guarded-step.ts). */
export interface StepControl {
  /** When it aborts, a step stops before its next statement and before its commit. */
  signal?: AbortSignal;
  /** 'body' while the migration's own code runs: the only phase in which its backend may be cancelled. */
  phase: 'idle' | 'body' | 'commit';
}

export interface StepResult {
  /** Another process had already done it: nothing was run. */
  skipped: boolean;
  durationMs: number;
}

async function bodyOf(file: MigrationFile, direction: Direction, database: MigrationDatabase, runtime: Runtime, observer?: MigrationObserver): Promise<Body> {
  if (file.kind === 'sql') {
    const sqlPath = direction === 'up' ? file.upPath : file.downPath;
    if (!sqlPath) throw new Error(`${file.name} has no down file`);
    return sqlBody(sqlPath, database.dialect, runtime, observer ? { observer, migration: file.name, direction } : undefined);
  }
  const module = await loadJsMigration(file);
  const fn = module[direction];
  if (typeof fn !== 'function') throw new Error(`${path.basename(file.upPath)} does not export a ${direction} function`);
  const source = fs.readFileSync(file.upPath, 'utf8');
  const url = pathToFileURL(file.upPath).href;
  const context = { sql: sqlHelper(database), client: database.raw, dialect: database.dialect, name: file.name } as JsMigrationContext;
  context.context = context;
  const noTransaction = module.transaction === false || hasNoTransactionMarker(source, 'js');
  // Measured as one unit: cutover cannot see the queries inside the function one by one.
  const unit = { migration: file.name, direction, index: 0, total: 1, path: file.upPath, line: 1, inTransaction: !noTransaction, database };
  return {
    noTransaction,
    path: file.upPath,
    run: async () => void (observer ? await observer.observe(unit, () => fn(context)) : await fn(context)),
    lineOf: (error) => stackLine(error, url),
  };
}

/** A step that failed or was stopped; turned into MigrationError or CancelledError by the caller. */
export class StepFailure extends Error {
  readonly file: MigrationFile;
  readonly direction: Direction;
  /** The file the failing code is in. */
  readonly path: string;
  readonly line: number | undefined;
  /** True: the step's transaction was rolled back. False: it ran without one. */
  readonly inTransaction: boolean;
  readonly error: unknown;
  /** No-transaction SQL files: which statements ran. */
  readonly progress?: StatementProgress;
  /** Set by the guard when the failure was a lock wait that timed out. */
  lock?: { attempts: number; lockTimeoutMs: number; wait?: BlockedWait };
  constructor(details: { file: MigrationFile; direction: Direction; path: string; line: number | undefined; inTransaction: boolean; error: unknown; progress?: StatementProgress }) {
    super(describeCause(details.error), { cause: details.error });
    this.file = details.file;
    this.direction = details.direction;
    this.path = details.path;
    this.line = details.line;
    this.inTransaction = details.inTransaction;
    this.error = details.error;
    if (details.progress) this.progress = details.progress;
  }
}

/** Applies (`up`) or reverts (`down`) `file`, together with its history row. */
export async function runMigrationStep(file: MigrationFile, direction: Direction, context: MigrationRunContext): Promise<StepResult> {
  const { database, history, control } = context;
  const body = await bodyOf(file, direction, database, context.runtime, context.observer);
  const alreadyDone = async () => (direction === 'up' ? history.has(file.name) : !(await history.has(file.name)));
  const record = async (durationMs: number) => {
    if (direction === 'up') await history.insert({ name: file.name, checksum: file.checksum, durationMs, appliedBy: context.appliedBy });
    else await history.remove(file.name);
  };
  const fail = (error: unknown, inTransaction: boolean) => new StepFailure({ file, direction, path: body.path, line: body.lineOf(error), inTransaction, error, ...(body.progress ? { progress: body.progress } : {}) });

  if (body.noTransaction) {
    if (await alreadyDone()) return { skipped: true, durationMs: 0 };
    const started = Date.now();
    control.phase = 'body';
    try {
      await body.run(database, control.signal);
    } catch (error) {
      // Ends a transaction the file itself opened (BEGIN without its COMMIT); a no-op otherwise.
      await database.rollback();
      throw fail(error, false);
    } finally {
      control.phase = 'idle';
    }
    const durationMs = Date.now() - started;
    await record(durationMs);
    return { skipped: false, durationMs };
  }

  await database.begin();
  let committed = false;
  try {
    if (await alreadyDone()) return { skipped: true, durationMs: 0 };
    const started = Date.now();
    control.phase = 'body';
    try {
      await body.run(database, control.signal);
      // A cancel that came while the body ran rolls it back rather than committing it.
      if (control.signal?.aborted) throw new StepCancelled();
      await record(Date.now() - started);
    } catch (error) {
      throw fail(error, true);
    }
    control.phase = 'commit';
    try {
      await database.commit();
    } catch (error) {
      throw fail(error, true);
    }
    committed = true;
    return { skipped: false, durationMs: Date.now() - started };
  } finally {
    control.phase = 'idle';
    if (!committed) await database.rollback();
  }
}
