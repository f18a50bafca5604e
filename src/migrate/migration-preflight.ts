// Checks made on the migrations a run is about to run, before the first one starts, so that a
// problem in the fifth file does not leave the first four applied: SQL files that control their own
// transaction (refused unless wrapped exactly in BEGIN; … COMMIT; or marked no-transaction), and
// JS modules that cannot be loaded (a syntax error, named with file and line).
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
