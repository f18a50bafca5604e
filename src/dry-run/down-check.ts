// The down check of the new migrations, on the throwaway after they were applied (on the data):
// newest first, each down is run and the schema compared, by name, with the schema as it was before
// that migration (it must be identical); the migrations taken down are then applied again and the
// schema must equal the first result. The check stops at the first migration it cannot take down (no
// down, a down that fails or leaves a different schema): the ones before it are not checked, and the
// report says why. A failing down is a finding of the dry run, not a failure of it.
import type pg from 'pg';
import { CancelledError, describeCause, formatError, MigrationError } from '../errors.js';
import { redact } from '../redact.js';
import { loadJsMigration } from '../migrate/js-migration.js';
import type { MigrationFile } from '../migrate/migration-files.js';
import { runMigrations, type MigrationOptions } from '../migrate/run-migrations.js';
import type { Runtime } from '../runtime.js';
import type { DownCheck, DownResult } from './dry-run-report.js';
import { schemaDifferences } from './schema/schema-diff.js';
import { readSchema, type SchemaSnapshot } from './schema/schema-snapshot.js';

/** Where and why, without the runner's advice for a real database (this one is thrown away). */
function whyFailed(error: unknown): string {
  if (!(error instanceof MigrationError)) return formatError(error);
  const where = error.file ? `${error.file}${error.line ? `:${error.line}` : ''}: ` : '';
  return redact(`${where}${describeCause(error.cause ?? error)}`);
}

export async function hasDown(file: MigrationFile): Promise<boolean> {
  if (file.kind === 'sql') return file.downPath !== undefined;
  return typeof (await loadJsMigration(file).catch(() => ({ down: undefined }))).down === 'function';
}

export interface DownCheckInput {
  /** The new migrations applied, in order, and the schema after each; `base` before the first. */
  applied: string[];
  after: SchemaSnapshot[];
  base: SchemaSnapshot;
  files: Map<string, MigrationFile>;
  /** Options of a runner call on the throwaway (mode and the rest are set here). */
  options: Omit<MigrationOptions, 'mode'>;
  monitor: pg.Client;
  runtime: Runtime;
}

export async function checkDowns(input: DownCheckInput): Promise<DownCheck> {
  const { applied, after, base, files, monitor } = input;
  // A down that fails is reported in the dry run's report; it does not fail the step.
  const runtime: Runtime = { ...input.runtime, error: (message, annotation) => input.runtime.warning(message, annotation) };
  const run = (mode: MigrationOptions['mode'], extra: Partial<MigrationOptions>) => runMigrations({ ...input.options, runtime, mode, ...extra });
  const results: DownResult[] = [];
  const reverted: string[] = [];
  let blocked: string | undefined;
  let history = (await run('status', {})).history;

  for (let i = applied.length - 1; i >= 0; i--) {
    const migration = applied[i];
    const down = await hasDown(files.get(migration)!);
    if (blocked) {
      results.push({ migration, outcome: down ? 'not-checked' : 'missing', ...(down ? { reason: blocked } : {}) });
      continue;
    }
    if (!down) {
      results.push({ migration, outcome: 'missing' });
      blocked = `${migration}, after it, has no down`;
      continue;
    }
    if (history.at(-1) !== migration) {
      results.push({ migration, outcome: 'not-checked', reason: `it sorts before ${history.at(-1)}, which the base commit already had` });
      blocked = `${migration} could not be taken down on its own`;
      continue;
    }
    try {
      history = (await run('rollback', { steps: 1 })).history;
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      results.push({ migration, outcome: 'failed', error: whyFailed(error) });
      blocked = `the down of ${migration}, after it, failed`;
      continue;
    }
    reverted.unshift(migration);
    const differences = schemaDifferences(i === 0 ? base : after[i - 1], await readSchema(monitor));
    if (differences.length > 0) {
      results.push({ migration, outcome: 'differs', differences });
      blocked = `the down of ${migration}, after it, did not restore the schema`;
    } else {
      results.push({ migration, outcome: 'verified' });
    }
  }

  if (reverted.length === 0) return { results, reapply: { outcome: 'not-run' } };
  try {
    await run('migrate', { only: new Set(reverted) });
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    return { results, reapply: { outcome: 'failed', migrations: reverted, error: whyFailed(error) } };
  }
  const differences = schemaDifferences(after[after.length - 1], await readSchema(monitor));
  return { results, reapply: { outcome: differences.length ? 'differs' : 'same', migrations: reverted, ...(differences.length ? { differences } : {}) } };
}
