// status / migrate / rollback / baseline: a thin bridge from Settings to the migration runner.
import type { DatabaseLocation } from '../db/database-url.js';
import { runMigrations, type MigrationOptions, type MigrationOutcome } from '../migrate/run-migrations.js';
import type { RunResult } from '../run-result.js';
import type { Runtime } from '../runtime.js';
import { inputLabel, type Settings } from '../settings.js';

export function migrationOptions(settings: Settings, runtime: Runtime, mode: MigrationOptions['mode'], target: DatabaseLocation, input?: string): MigrationOptions {
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
  };
}

/** Runs the migration step and records its entries and warnings on the result. */
export async function applyMigrationStep(options: MigrationOptions, result: RunResult): Promise<MigrationOutcome> {
  const outcome = await runMigrations(options);
  result.migrations = outcome.entries;
  result.history = outcome.history;
  result.warnings.push(...outcome.warnings);
  return outcome;
}

export async function runMigrationMode(settings: Settings, runtime: Runtime, result: RunResult): Promise<void> {
  const mode = settings.mode as MigrationOptions['mode'];
  const outcome = await applyMigrationStep(migrationOptions(settings, runtime, mode, settings.target!), result);
  const verb = { status: 'pending', migrate: 'applied', rollback: 'rolled back', baseline: 'baselined' }[mode];
  const names = mode === 'status' ? outcome.pending : outcome.applied;
  result.notes.push(`${names.length} migration${names.length === 1 ? '' : 's'} ${verb}.`);
}
