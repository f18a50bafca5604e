// Runs one migration in one direction. By default the migration and its history-row change share a
// transaction (BEGIN; migration; INSERT/DELETE history; COMMIT), so a failure leaves neither behind.
// Inside that transaction the history is checked again: on SQLite, where there is no run-wide lock,
// a concurrent process that applied the migration first makes this one a no-op instead of a rerun.
// Files marked `-- cutover:no-transaction` run statement by statement without a transaction.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeCause, MigrationError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { errorLine, lineAtIndex, stackLine } from './error-position.js';
import type { HistoryTable } from './history-table.js';
import type { MigrationDatabase } from './migration-database.js';
import { sqlHelper } from './migration-database.js';
import { hasNoTransactionMarker, type MigrationFile } from './migration-files.js';
import { splitSqlStatements } from './sql-statements.js';

export type Direction = 'up' | 'down';

/** What a JS migration's `up`/`down` receives. Also has `context` (itself) for Umzug-style `({ context })`. */
export interface JsMigrationContext {
  sql: (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
  client: MigrationDatabase['raw'];
  dialect: MigrationDatabase['dialect'];
  name: string;
  context: JsMigrationContext;
}

export interface JsMigrationModule {
  up: (context: JsMigrationContext) => Promise<unknown>;
  down?: (context: JsMigrationContext) => Promise<unknown>;
  /** `export const transaction = false` opts out like the marker comment. */
  transaction?: boolean;
}

const modules = new Map<string, Promise<JsMigrationModule>>();

/** Imports a JS migration module once per run. */
export function loadJsMigration(file: MigrationFile): Promise<JsMigrationModule> {
  const key = `${file.upPath}#${file.checksum}`;
  let loaded = modules.get(key);
  if (!loaded) {
    // The checksum in the query string makes an edited file load fresh rather than from the cache.
    const specifier = `${pathToFileURL(file.upPath).href}?checksum=${file.checksum.slice(0, 12)}`;
    // webpackIgnore: ncc (webpack) would otherwise turn import(<expression>) into an empty context
    // that throws "Cannot find module"; with it, the bundle keeps Node's own import().
    loaded = import(/* webpackIgnore: true */ specifier).then((module: Partial<JsMigrationModule> & { default?: Partial<JsMigrationModule> }) => {
      const source = typeof module.up === 'function' ? module : (module.default ?? {});
      if (typeof source.up !== 'function') throw new Error(`${path.basename(file.upPath)} does not export an async function up`);
      return source as JsMigrationModule;
    });
    modules.set(key, loaded);
  }
  return loaded;
}

/** Where the file is, for messages and annotations: relative to the workspace when inside it. */
export function displayPath(file: string): string {
  const base = process.env.GITHUB_WORKSPACE || process.cwd();
  const relative = path.relative(base, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
}

export interface MigrationRunContext {
  database: MigrationDatabase;
  history: HistoryTable;
  appliedBy: string;
  runtime: Runtime;
}

export interface StepResult {
  /** Another process had already done it: nothing was run. */
  skipped: boolean;
  durationMs: number;
}

interface Body {
  noTransaction: boolean;
  /** File the failing code is in. */
  path: string;
  run(database: MigrationDatabase): Promise<void>;
  lineOf(error: unknown): number | undefined;
}

async function bodyOf(file: MigrationFile, direction: Direction, database: MigrationDatabase): Promise<Body> {
  if (file.kind === 'js') {
    const module = await loadJsMigration(file);
    const fn = module[direction];
    if (typeof fn !== 'function') throw new Error(`${path.basename(file.upPath)} does not export a ${direction} function`);
    const source = fs.readFileSync(file.upPath, 'utf8');
    const url = pathToFileURL(file.upPath).href;
    const context = { sql: sqlHelper(database), client: database.raw, dialect: database.dialect, name: file.name } as JsMigrationContext;
    context.context = context;
    return {
      noTransaction: module.transaction === false || hasNoTransactionMarker(source, 'js'),
      path: file.upPath,
      run: async () => void (await fn(context)),
      lineOf: (error) => stackLine(error, url),
    };
  }
  const sqlPath = direction === 'up' ? file.upPath : file.downPath;
  if (!sqlPath) throw new Error(`${file.name} has no down file`);
  const script = fs.readFileSync(sqlPath, 'utf8');
  const noTransaction = hasNoTransactionMarker(script);
  let failedStatement = { text: script, startLine: 1 };
  return {
    noTransaction,
    path: sqlPath,
    async run(db) {
      if (!noTransaction || db.dialect === 'sqlite') {
        await db.execScript(script);
        return;
      }
      // A multi-statement string is one implicit transaction block: send statements one by one.
      for (const statement of splitSqlStatements(script)) {
        failedStatement = { text: statement.text, startLine: lineAtIndex(script, statement.index) };
        await db.execScript(statement.text);
      }
    },
    lineOf: (error) => errorLine(error, failedStatement.text, failedStatement.startLine),
  };
}

function failure(file: MigrationFile, direction: Direction, body: Body, error: unknown, inTransaction: boolean): MigrationError {
  const line = body.lineOf(error);
  const where = `${displayPath(body.path)}${line ? `, line ${line}` : ''}`;
  const verb = direction === 'up' ? 'Migration' : 'Rolling back migration';
  const aftermath = inTransaction
    ? `Its transaction was rolled back: nothing it did remains${direction === 'up' ? ' and it is not recorded as applied' : ' and it is still recorded as applied'}.`
    : `It ran without a transaction (cutover:no-transaction), so statements before the failing one may have taken effect; it is ${direction === 'up' ? 'not recorded as applied' : 'still recorded as applied'}.`;
  return new MigrationError(`${verb} ${file.name} failed (${where}): ${describeCause(error)}. ${aftermath}`, {
    migration: file.name,
    file: displayPath(body.path),
    ...(line ? { line } : {}),
    cause: error,
    fix: inTransaction
      ? `fix ${displayPath(body.path)} and run again; migrations completed before it stay ${direction === 'up' ? 'applied' : 'rolled back'}.`
      : `check what the statements before the failing one did (make them idempotent, e.g. IF NOT EXISTS), fix ${displayPath(body.path)} and run again.`,
  });
}

/** Applies (`up`) or reverts (`down`) `file`, together with its history row. */
export async function runMigrationStep(file: MigrationFile, direction: Direction, context: MigrationRunContext): Promise<StepResult> {
  const { database, history } = context;
  const body = await bodyOf(file, direction, database);
  const alreadyDone = async () => (direction === 'up' ? history.has(file.name) : !(await history.has(file.name)));
  const record = async (durationMs: number) => {
    if (direction === 'up') await history.insert({ name: file.name, checksum: file.checksum, durationMs, appliedBy: context.appliedBy });
    else await history.remove(file.name);
  };

  if (body.noTransaction) {
    if (await alreadyDone()) return { skipped: true, durationMs: 0 };
    const started = Date.now();
    try {
      await body.run(database);
    } catch (error) {
      throw failure(file, direction, body, error, false);
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
    try {
      await body.run(database);
    } catch (error) {
      throw failure(file, direction, body, error, true);
    }
    const durationMs = Date.now() - started;
    await record(durationMs);
    await database.commit();
    committed = true;
    return { skipped: false, durationMs };
  } finally {
    if (!committed) await database.rollback();
  }
}
