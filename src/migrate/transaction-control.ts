// Finds transaction control (BEGIN, COMMIT, ROLLBACK, …) in a SQL migration before anything runs.
// cutover runs each migration in its own transaction together with its history row; a COMMIT inside
// the file would commit part of it on its own, and a later failure would leave that part behind while
// the migration is not recorded. Only statements at the top level count: words inside strings,
// comments, dollar quotes and function bodies are not statements (sql-statements.ts).
import { leadingWords, splitSqlStatements, type SqlDialect } from './sql-statements.js';
import { lineAtIndex } from './error-position.js';

export type ControlKind = 'begin' | 'commit' | 'rollback' | 'other';

export interface ControlStatement {
  kind: ControlKind;
  /** As written, e.g. "COMMIT AND CHAIN". */
  text: string;
  /** 1-based line in the file. */
  line: number;
}

export type TransactionControl =
  | { kind: 'none' }
  /** `BEGIN; … COMMIT;` around everything (Alembic's --sql output): run the inside in our transaction. */
  | { kind: 'wrapped'; innerStart: number; innerEnd: number; begin: ControlStatement; commit: ControlStatement }
  | { kind: 'mixed'; statements: ControlStatement[] };

/** What kind of transaction control a statement is, if any. */
export function controlKind(text: string, dialect: SqlDialect): { kind: ControlKind; plain: boolean } | undefined {
  const [first, second, third] = leadingWords(text, 3, dialect);
  const noise = (word: string | undefined) => word === undefined || word === 'work' || word === 'transaction';
  switch (first) {
    case 'begin':
      // PostgreSQL: BEGIN [WORK|TRANSACTION]; SQLite: BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION].
      if (dialect === 'sqlite') return { kind: 'begin', plain: noise(second) || (['deferred', 'immediate', 'exclusive'].includes(second!) && noise(third)) };
      return { kind: 'begin', plain: noise(second) && third === undefined };
    case 'start':
      return dialect === 'postgres' && second === 'transaction' ? { kind: 'begin', plain: third === undefined } : undefined;
    case 'commit':
    case 'end':
      // COMMIT PREPARED and COMMIT AND CHAIN are control too, but not a plain end of the wrapper.
      return { kind: 'commit', plain: noise(second) && third === undefined };
    case 'rollback':
      // ROLLBACK TO [SAVEPOINT] x stays inside the transaction.
      if (second === 'to' || (noise(second) && second !== undefined && third === 'to')) return undefined;
      return { kind: 'rollback', plain: false };
    case 'abort':
      return dialect === 'postgres' ? { kind: 'rollback', plain: false } : undefined;
    case 'prepare':
      return dialect === 'postgres' && second === 'transaction' ? { kind: 'other', plain: false } : undefined;
    default:
      return undefined;
  }
}

function firstLine(text: string): string {
  const trimmed = text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '');
  return trimmed.split('\n')[0].replace(/;\s*$/, '').trim().slice(0, 60);
}

export function findTransactionControl(script: string, dialect: SqlDialect): TransactionControl {
  const statements = splitSqlStatements(script, dialect);
  const found: Array<ControlStatement & { plain: boolean; position: number; end: number }> = [];
  statements.forEach((statement, position) => {
    const control = controlKind(statement.text, dialect);
    if (!control) return;
    const codeStart = statement.index + (statement.text.length - statement.text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '').length);
    found.push({ kind: control.kind, plain: control.plain, text: firstLine(statement.text), line: lineAtIndex(script, codeStart), position, end: statement.index + statement.text.length });
  });
  if (found.length === 0) return { kind: 'none' };
  const [begin, commit] = found;
  const last = statements.length - 1;
  if (found.length === 2 && begin.kind === 'begin' && begin.plain && begin.position === 0 && commit.kind === 'commit' && commit.plain && commit.position === last) {
    return { kind: 'wrapped', innerStart: begin.end, innerEnd: statements[last].index, begin, commit };
  }
  return { kind: 'mixed', statements: found.map(({ kind, text, line }) => ({ kind, text, line })) };
}
