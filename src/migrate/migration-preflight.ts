// Checks made on the migrations a run is about to run, before the first one starts, so that a
// problem in the fifth file does not leave the first four applied: SQL files that control their own
// transaction (refused unless wrapped exactly in BEGIN; … COMMIT; or marked no-transaction), and
// JS modules that cannot be loaded (a syntax error, named with file and line), and for rollback a
// down for every migration to revert.
import { MigrationError, MigrationPlanError } from '../errors.js';
import { JsLoadError, loadJsMigration } from './js-migration.js';
import { displayPath, hasNoTransactionMarker, type MigrationFile } from './migration-files.js';
import type { Direction } from './migration-step.js';
import { readSqlFile } from './sql-file-body.js';
import type { SqlDialect } from './sql-statements.js';
import { findTransactionControl } from './transaction-control.js';

function jsLoadFailure(file: MigrationFile, error: unknown): MigrationError {
  const where = displayPath(file.upPath);
  const line = error instanceof JsLoadError ? error.line : undefined;
  const what = error instanceof Error ? error.message : String(error);
  return new MigrationError(`Migration ${file.name} cannot be loaded (${where}${line ? `, line ${line}` : ''}): ${what}, so nothing was run.`, {
    migration: file.name,
    file: where,
    ...(line ? { line } : {}),
    cause: error instanceof JsLoadError ? error.cause : error,
    fix: `fix ${where} and run again (\`node --check ${where}\` shows the same error).`,
  });
}

export async function checkBeforeRunning(files: MigrationFile[], direction: Direction, dialect: SqlDialect): Promise<void> {
  const problems: string[] = [];
  for (const file of files) {
    if (file.kind !== 'sql') continue;
    const sqlPath = direction === 'up' ? file.upPath : file.downPath;
    if (!sqlPath) continue;
    const script = readSqlFile(sqlPath);
    // A no-transaction file runs statement by statement: its own BEGIN/COMMIT work as written.
    if (hasNoTransactionMarker(script)) continue;
    const control = findTransactionControl(script, dialect);
    if (control.kind === 'mixed') problems.push(`${displayPath(sqlPath)} has ${control.statements.map((s) => `${s.text} at line ${s.line}`).join(', ')}`);
  }
  if (problems.length > 0) {
    const count = problems.length === 1 ? 'A migration file controls its own transaction' : `${problems.length} migration files control their own transaction`;
    throw new MigrationPlanError(
      `${count}, so nothing was run: ${problems.join('; ')}. cutover runs each migration in one transaction together with its history row; a COMMIT or ROLLBACK in the file would end that transaction early, and a later failure would leave part of the migration applied but not recorded.`,
      {
        fix: 'split the file so that each migration is one transaction without BEGIN/COMMIT (a file wrapped exactly in BEGIN; … COMMIT; is accepted), or, if it must manage its own transactions, mark it with a line -- cutover:no-transaction (it then runs statement by statement, outside any transaction of cutover).',
      },
    );
  }
  for (const file of files) {
    if (file.kind !== 'js') continue;
    try {
      await loadJsMigration(file);
    } catch (error) {
      throw jsLoadFailure(file, error);
    }
  }
}

/** Every migration to roll back needs a down: check them all before reverting any. */
export async function assertReversible(names: string[], files: MigrationFile[], dir: string): Promise<void> {
  const byName = new Map(files.map((f) => [f.name, f]));
  const problems: string[] = [];
  for (const name of names) {
    const file = byName.get(name);
    if (!file) problems.push(`${name} (its file is no longer in ${dir})`);
    else if (file.kind === 'sql' && !file.downPath) problems.push(`${name} (there is no ${name}.down.sql)`);
    else if (file.kind === 'js' && typeof (await loadJsMigration(file)).down !== 'function') problems.push(`${name} (its module exports no down function)`);
  }
  if (problems.length === 0) return;
  throw new MigrationPlanError(`Cannot roll back ${problems.join(', ')}, so nothing was rolled back.`, {
    fix: `add the missing down file${problems.length === 1 ? '' : 's'} next to the up file (same name, .down.sql), or roll back fewer migrations (steps, or to a later migration).`,
  });
}
