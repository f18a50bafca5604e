// copy / verify / cutover. The source is only ever read; the copy is all-or-nothing (see
// src/copy/copy-data.ts), so a failure leaves the target's data as it was.
import fs from 'node:fs';
import { displayLocation, type PostgresLocation } from '../db/database-url.js';
import { copyData, type CopyOptions } from '../copy/copy-data.js';
import { CancelledError, CutoverError, VerifyError } from '../errors.js';
import type { RunResult, TableEntry } from '../run-result.js';
import type { Runtime } from '../runtime.js';
import { inputLabel, type Settings } from '../settings.js';
import { describeDifferences } from '../verify/describe-differences.js';
import { verifyData } from '../verify/verify-data.js';
import { copySentence, type CopyLeft } from './cancellation-line.js';
import { applyMigrationStep, migrationOptions } from './migration-mode.js';
import { rollbackCommand } from './reproduce-command.js';
import { applyCommandStep, recordCommandStep, toolRollback, type CommandStepOutcome } from './command-mode.js';

export function copyOptions(settings: Settings, runtime: Runtime, target: PostgresLocation, overrides: Partial<CopyOptions['copy']> = {}, signal?: AbortSignal): CopyOptions {
  return {
    source: settings.source!,
    target,
    copy: { ...settings.copy, ...overrides },
    connectAttempts: settings.connectAttempts,
    connectTimeoutMs: settings.connectTimeoutMs,
    runtime,
    sourceInput: inputLabel(settings.origin, 'source-url'),
    targetInput: inputLabel(settings.origin, 'target-url'),
    lockTimeoutMs: settings.lockTimeoutMs,
    tableLockAttemptMs: settings.migrationLockTimeoutMs,
    requireEveryRow: settings.mode === 'cutover',
    runLabel: `cutover/${settings.mode}/${settings.runId}`,
    ...(signal ? { signal } : {}),
  };
}

function describeMismatch(t: TableEntry): string {
  if (t.missingInTarget) return `${t.table} (missing in the target: not compared)`;
  const rows = `source ${t.sourceRows ?? '?'} rows, target ${t.targetRows ?? '?'} rows`;
  if (t.differences) return `${t.table} (${rows}; ${describeDifferences(t.differences)})`;
  return `${t.table} (${rows}${t.checksumMatch === false ? ', checksums differ' : ''}${t.differingKeys?.length ? `, first differing keys ${t.differingKeys.slice(0, 3).join(', ')}` : ''})`;
}

function mismatchError(tables: TableEntry[]): VerifyError {
  const differing = tables.filter((t) => t.missingInTarget || t.sourceRows !== t.targetRows || t.checksumMatch === false);
  const missing = differing.filter((t) => t.missingInTarget).length;
  const list = differing.slice(0, 10).map(describeMismatch).join('; ');
  return new VerifyError(`Verification failed: ${differing.length} table${differing.length === 1 ? '' : 's'} differ between source and target: ${list}${differing.length > 10 ? '; …' : ''}.`, {
    fix: missing === differing.length
      ? 'create the missing tables in the target (run the migrations), or leave them out with exclude.'
      : 'see the tables section of the report; rerun with if-target-not-empty: truncate to copy again, or inspect the differing keys.',
  });
}

/** A copy whose verification before COMMIT found differences: it was rolled back. */
function copyMismatchError(tables: TableEntry[]): VerifyError {
  const error = mismatchError(tables);
  return new VerifyError(`${error.message.replace(/\.$/, '')}. The copy was verified before COMMIT and rolled back: the target is as it was.`, {
    fix: 'see the differing keys in the report: rows changed on their way in (a trigger or rule of the target, or a column default) or the source changed; fix that and run the copy again.',
  });
}

/**
 * Copies (and verifies, before commit) into `target`. A difference throws (nothing was committed);
 * rejected rows (on-error: skip) leave the copy committed but not verified. A cancelled copy throws a
 * CancelledError saying what it left: the copy throws the signal's reason only when it rolled back
 * (src/copy/load/load-groups.ts: its commit phase is not interrupted), and returns only after COMMIT.
 */
export async function applyCopyStep(options: CopyOptions, result: RunResult, left: (state: CopyLeft) => string = copySentence): Promise<void> {
  if (options.signal?.aborted) throw new CancelledError(left('not-started'), { cause: options.signal.reason });
  let outcome;
  try {
    outcome = await copyData(options);
  } catch (error) {
    if (error instanceof CancelledError && error === options.signal?.reason) throw new CancelledError(left('rolled-back'), { cause: error });
    throw error;
  }
  result.tables = outcome.tables;
  result.leftOut = outcome.leftOut;
  if (outcome.schema) result.schema = outcome.schema;
  result.warnings.push(...outcome.warnings);
  result.verified = outcome.verified;
  if (outcome.rejectedRows > 0) result.rejected = { rows: outcome.rejectedRows, file: outcome.rejectsFile ?? options.copy.rejectsFile };
  if (!outcome.matched) throw copyMismatchError(outcome.tables);
}

export async function runCopyMode(settings: Settings, runtime: Runtime, result: RunResult, signal?: AbortSignal): Promise<void> {
  await applyCopyStep(copyOptions(settings, runtime, settings.target as PostgresLocation, {}, signal), result);
}

export async function runVerifyMode(settings: Settings, runtime: Runtime, result: RunResult, signal?: AbortSignal): Promise<void> {
  const outcome = await verifyData({
    source: settings.source!,
    target: settings.target!,
    include: settings.copy.include,
    exclude: settings.copy.exclude,
    checksums: settings.copy.checksums,
    jobs: settings.copy.jobs,
    connectAttempts: settings.connectAttempts,
    connectTimeoutMs: settings.connectTimeoutMs,
    runtime,
    sourceInput: inputLabel(settings.origin, 'source-url'),
    targetInput: inputLabel(settings.origin, 'target-url'),
    // Verify only reads: run-mode stops waiting for it on a cancel; a verifier that takes a signal stops too.
    ...(signal ? { signal } : {}),
  });
  result.tables = outcome.tables;
  result.leftOut = outcome.leftOut;
  result.verified = outcome.verified;
  result.warnings.push(...outcome.warnings);
  if (!outcome.verified) throw mismatchError(outcome.tables);
}

/** migrate → copy → verify (checksums always on), then say how to go back. */
export async function runCutoverMode(settings: Settings, runtime: Runtime, result: RunResult, signal?: AbortSignal, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const target = settings.target as PostgresLocation;
  const targetText = displayLocation(target);
  const sourceText = displayLocation(settings.source!);
  let appliedByThisRun: string[] = [];
  let commandStep: CommandStepOutcome | undefined;
  let copy: 'not started' | 'committed' | 'failed' | 'cancelled' = 'not started';
  result.rollback = [
    `The source (${sourceText}) was only read: until the application is switched over it remains the system of record.`,
    `After switching, roll back by pointing the application's database URL back at the source; writes made to the target since the switch are not copied back.`,
  ];
  try {
    const migrationsPresent = fs.existsSync(settings.migrationsDir);
    if (settings.command.migrate) {
      // Another tool migrates the target, under cutover's lock (src/engine/command-mode.ts).
      try {
        commandStep = await applyCommandStep(settings, runtime, { mode: 'migrate', target, input: inputLabel(settings.origin, 'target-url'), env, ...(signal ? { signal } : {}) });
      } catch (error) {
        if (error instanceof CancelledError) throw new CancelledError(`${error.message.replace(/\.$/, '')}; the copy had not started.`, { cause: error });
        throw error;
      }
      recordCommandStep(result, runtime, settings, 'migrate', commandStep);
      appliedByThisRun = commandStep.reports.flatMap((r) => r.changed);
    } else if (migrationsPresent || !settings.copy.createTables) {
      try {
        const outcome = await runtime.group('Migrate the target', () => applyMigrationStep(migrationOptions(settings, runtime, 'migrate', target, undefined, signal), result));
        appliedByThisRun = outcome.applied;
      } catch (error) {
        if (error instanceof CancelledError) throw new CancelledError(`${error.message.replace(/\.$/, '')}; the copy had not started.`, { cause: error });
        throw error;
      }
    } else {
      result.notes.push(`No migrations directory (${settings.migrationsDir}): target tables are created from the source schema (create-tables).`);
    }
    if (signal?.aborted) throw new CancelledError(copySentence('not-started', appliedByThisRun), { cause: signal.reason });
    // No enclosing group: the copy opens one group per table, and Actions log groups do not nest.
    copy = 'failed';
    await applyCopyStep(copyOptions(settings, runtime, target, { checksums: true }, signal), result, (state) => copySentence(state, appliedByThisRun));
    copy = 'committed';
    result.notes.push('Every table matched before commit: row counts and checksums.');
  } catch (error) {
    if (copy === 'failed' && error instanceof CutoverError && error.targetLeftPartial) copy = 'not started';
    if (copy === 'failed' && error instanceof CancelledError) copy = 'cancelled';
    throw error;
  } finally {
    if (appliedByThisRun.length > 0 && commandStep) {
      const undo = toolRollback(settings, commandStep);
      result.rollback.push(`Undo this run's ${appliedByThisRun.length} migration${appliedByThisRun.length === 1 ? '' : 's'} (${appliedByThisRun.join(', ')}) with the tool that applied ${appliedByThisRun.length === 1 ? 'it' : 'them'}${undo ? ', DATABASE_URL set to the target: the command below' : ''}.`);
      if (undo) result.rollbackCommand = undo;
    } else if (appliedByThisRun.length > 0) {
      result.rollback.push(`Undo this run's ${appliedByThisRun.length} migration${appliedByThisRun.length === 1 ? '' : 's'} on the target with the command below.`);
      result.rollbackCommand = rollbackCommand(settings, appliedByThisRun.length);
    }
    if (copy === 'committed') {
      result.rollback.push('The copy committed every row after verifying it. To copy again over it, rerun with if-target-not-empty: truncate.');
    } else if (copy === 'cancelled') {
      result.rollback.push(`The copy was cancelled and rolled back: no row was written to the target's tables${appliedByThisRun.length > 0 ? ' (the migrations this run applied remain; see above)' : ''}.`);
    } else if (copy === 'failed') {
      result.rollback.push(`The copy failed and was rolled back: no row was written to the target's tables${appliedByThisRun.length > 0 ? ' (the migrations this run applied remain; see above)' : ''}. After fixing the cause, run the cutover again.`);
    }
  }
}
