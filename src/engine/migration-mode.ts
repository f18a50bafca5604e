// status / migrate / rollback / baseline: a thin bridge from Settings to the migration runner.
import type { DatabaseLocation } from '../db/database-url.js';
import { CancelledError } from '../errors.js';
import { runMigrations, type MigrationOptions, type MigrationOutcome } from '../migrate/run-migrations.js';
import type { RunResult } from '../run-result.js';
import type { Runtime } from '../runtime.js';
import { inputLabel, type Settings } from '../settings.js';
import { migrationsSentence } from './cancellation-line.js';
import { refuseAnotherToolsDirectory } from './foreign-directory.js';
import { refuseWithoutToolCommand, runCommandMode } from './command-mode.js';
import { runStatusMode } from './status-mode.js';

export function migrationOptions(settings: Settings, runtime: Runtime, mode: MigrationOptions['mode'], target: DatabaseLocation, input?: string, signal?: AbortSignal): MigrationOptions {
  return {
    mode,
    target,
    migrationsDir: settings.migrationsDir,
    ...(settings.to !== undefined ? { to: settings.to } : {}),
    steps: settings.steps,
    allowChangedMigrations: settings.allowChangedMigrations,
    lockTimeoutMs: settings.lockTimeoutMs,
    migrationLockTimeoutMs: settings.migrationLockTimeoutMs,
    migrationStatementTimeoutMs: settings.migrationStatementTimeoutMs,
    connectAttempts: settings.connectAttempts,
    connectTimeoutMs: settings.connectTimeoutMs,
    appliedBy: settings.appliedBy,
    runtime,
    input: input ?? inputLabel(settings.origin, 'target-url'),
    runLabel: `cutover/${settings.mode}/${settings.runId}`,
    // The runner stops between (and inside) migrations when it is aborted (MigrationOptions.signal).
    ...(signal ? { signal } : {}),
  };
}

/**
 * Runs the migration step and records its entries and warnings on the result. A cancelled step
 * throws a CancelledError saying which migrations this run changed (from the entries the runner
 * attached to its error as `outcome`, like MigrationError; without them, that it cannot tell).
 */
export async function applyMigrationStep(options: MigrationOptions, result: RunResult): Promise<MigrationOutcome> {
  let outcome: MigrationOutcome;
  try {
    outcome = await runMigrations(options);
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    const partial = (error as { outcome?: MigrationOutcome }).outcome;
    const detail = error.message && !/^Cancelled \(/.test(error.message) ? ` ${error.message}` : '';
    throw Object.assign(new CancelledError(`${migrationsSentence(options.mode, partial?.entries)}${detail}`, { cause: error }), partial ? { outcome: partial } : {});
  }
  result.migrations = outcome.entries;
  result.history = outcome.history;
  result.warnings.push(...outcome.warnings);
  return outcome;
}

export async function runMigrationMode(settings: Settings, runtime: Runtime, result: RunResult, signal?: AbortSignal, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const mode = settings.mode as MigrationOptions['mode'];
  if (mode === 'status') return runStatusMode(settings, runtime, result, env, signal);
  // Another tool's command runs instead of cutover's own migrations (src/engine/command-mode.ts).
  if (mode === 'migrate' && settings.command.migrate) return runCommandMode(settings, runtime, result, 'migrate', env, signal);
  if (mode === 'rollback' && settings.command.rollback) return runCommandMode(settings, runtime, result, 'rollback', env, signal);
  refuseWithoutToolCommand(settings);
  refuseAnotherToolsDirectory(settings);
  const outcome = await applyMigrationStep(migrationOptions(settings, runtime, mode, settings.target!, undefined, signal), result);
  const verb = { migrate: 'applied', rollback: 'rolled back', baseline: 'baselined' }[mode];
  const names = outcome.applied;
  result.notes.push(`${names.length} migration${names.length === 1 ? '' : 's'} ${verb}.`);
}
