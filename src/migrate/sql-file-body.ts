// What running a SQL migration file means. By default its text is sent as one script inside
// cutover's transaction for the migration; a file wrapped exactly in `BEGIN; … COMMIT;` (Alembic's
// --sql output) has the wrapper left out; a file marked `-- cutover:no-transaction` is sent one
// statement at a time, and its progress is kept so that a failure can say what remains.
// With an observer (measuring mode, migration-observer.ts) every statement is sent on its own, also
// inside the transaction, so that each one can be measured.
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { Runtime } from '../runtime.js';
import { errorLine, lineAtIndex } from './error-position.js';
import type { MigrationDatabase } from './migration-database.js';
import { hasNoTransactionMarker } from './migration-files.js';
import type { MigrationObserver } from './migration-observer.js';
import { leadingWords, splitSqlStatements, type SqlDialect } from './sql-statements.js';
import { controlKind, findTransactionControl } from './transaction-control.js';

/** A migration's code, ready to run on a database. */
export interface Body {
  noTransaction: boolean;
  /** File the failing code is in. */
  path: string;
  run(database: MigrationDatabase, signal?: AbortSignal): Promise<void>;
  lineOf(error: unknown): number | undefined;
  /** No-transaction SQL files: which statements ran (for the error). */
  progress?: StatementProgress;
}

/** How far a no-transaction file got, statement by statement. */
export interface StatementProgress {
  total: number;
  /** Lines of the statements that completed and were not undone by the file's own ROLLBACK. */
  kept: number[];
  /** Line of the statement that failed or was cancelled while running. */
  failedLine?: number;
  /** First words of that statement, lower-cased (to recognise CREATE INDEX CONCURRENTLY). */
  failedWords?: string[];
  /** Line of the statement that did not start because the run was cancelled. */
  stoppedBeforeLine?: number;
  /** Statements after the failed (or stopped-before) one that did not run. */
  notRun: number;
  /** Line of the file's own BEGIN when its own transaction was open at the failure. */
  ownTransactionLine?: number;
}

/** Thrown between statements when the run was cancelled. */
export class StepCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

/** A SQL migration's text without a leading UTF-8 byte-order mark (Windows editors add one). */
export function readSqlFile(file: string): string {
  return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
}

/** Measuring mode: who observes the statements, and of which migration they are. */
export interface Measuring {
  observer: MigrationObserver;
  migration: string;
  direction: 'up' | 'down';
}

interface Statement {
  text: string;
  /** Line of the statement's first code (after leading comments) and of its first character. */
  line: number;
  startLine: number;
}

function statementsOf(script: string, dialect: SqlDialect, offset = 0, baseScript = script): Statement[] {
  return splitSqlStatements(script, dialect).map((statement) => {
    const codeStart = statement.index + (statement.text.length - statement.text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '').length);
    return { text: statement.text, line: lineAtIndex(baseScript, offset + codeStart), startLine: lineAtIndex(baseScript, offset + statement.index) };
  });
}

/** Sends one statement, through the observer when measuring (its result carries command and rowCount). */
function sendStatement(db: MigrationDatabase, statement: Statement, index: number, total: number, sqlPath: string, inTransaction: boolean, measuring?: Measuring): Promise<unknown> {
  const execute = () => (db.dialect === 'postgres' ? (db.raw as pg.Client).query(statement.text) : db.execScript(statement.text));
  if (!measuring) return db.execScript(statement.text);
  return measuring.observer.observe(
    { migration: measuring.migration, direction: measuring.direction, index, total, sql: statement.text, path: sqlPath, line: statement.line, inTransaction, database: db },
    execute,
  );
}

export function sqlBody(sqlPath: string, dialect: SqlDialect, runtime: Runtime, measuring?: Measuring): Body {
  const script = readSqlFile(sqlPath);
  const noTransaction = hasNoTransactionMarker(script);
  if (noTransaction) return statementByStatement(sqlPath, script, dialect, measuring);

  let text = script;
  let startLine = 1;
  const control = findTransactionControl(script, dialect);
  // Mixed transaction control was refused before the run (migration-preflight.ts).
  if (control.kind === 'wrapped') {
    text = script.slice(control.innerStart, control.innerEnd);
    startLine = lineAtIndex(script, control.innerStart);
    runtime.info(
      `${path.basename(sqlPath)} is wrapped in its own BEGIN; (line ${control.begin.line}) … COMMIT; (line ${control.commit.line}), as alembic --sql writes it: its statements run inside cutover's transaction for the migration instead.`,
    );
  }
  if (measuring) return measuredInTransaction(sqlPath, script, control.kind === 'wrapped' ? control.innerStart : 0, text, dialect, measuring);
  return {
    noTransaction: false,
    path: sqlPath,
    run: (db) => db.execScript(text),
    lineOf: (error) => errorLine(error, text, startLine),
  };
}

/** Measuring mode for a file that runs in the migration's transaction: one statement at a time. */
function measuredInTransaction(sqlPath: string, script: string, offset: number, text: string, dialect: SqlDialect, measuring: Measuring): Body {
  const statements = statementsOf(text, dialect, offset, script);
  let current: Statement | undefined;
  return {
    noTransaction: false,
    path: sqlPath,
    async run(db) {
      for (const [index, statement] of statements.entries()) {
        current = statement;
        await sendStatement(db, statement, index, statements.length, sqlPath, true, measuring);
      }
    },
    lineOf: (error) => (current ? (errorLine(error, current.text, current.startLine) ?? current.line) : undefined),
  };
}

function statementByStatement(sqlPath: string, script: string, dialect: SqlDialect, measuring?: Measuring): Body {
  const statements = statementsOf(script, dialect);
  const progress: StatementProgress = { total: statements.length, kept: [], notRun: 0 };
  let current: (typeof statements)[number] | undefined;
  return {
    noTransaction: true,
    path: sqlPath,
    progress,
    async run(db, signal) {
      // Statements inside the file's own BEGIN … COMMIT only remain once it commits.
      let ownBegin: number | undefined;
      let inOwnTransaction: number[] = [];
      for (const [index, statement] of statements.entries()) {
        current = statement;
        if (signal?.aborted) {
          progress.stoppedBeforeLine = statement.line;
          progress.notRun = statements.length - index - 1;
          throw new StepCancelled();
        }
        try {
          // One statement per query: a multi-statement string would be one implicit transaction block.
          await sendStatement(db, statement, index, statements.length, sqlPath, ownBegin !== undefined, measuring);
        } catch (error) {
          progress.failedLine = statement.line;
          progress.failedWords = leadingWords(statement.text, 5, dialect);
          progress.notRun = statements.length - index - 1;
          if (ownBegin !== undefined) progress.ownTransactionLine = ownBegin;
          throw error;
        }
        const control = controlKind(statement.text, dialect)?.kind;
        if (control === 'begin') {
          ownBegin = statement.line;
        } else if (control) {
          if (control === 'commit') progress.kept.push(...inOwnTransaction);
          ownBegin = undefined;
          inOwnTransaction = [];
        } else if (ownBegin !== undefined) {
          inOwnTransaction.push(statement.line);
        } else {
          progress.kept.push(statement.line);
        }
      }
    },
    // pg's position when it gives one, else the statement's own line (e.g. division by zero).
    lineOf: (error) => (current ? (errorLine(error, current.text, current.startLine) ?? current.line) : undefined),
  };
}
