// The parts of a created table that are built after its rows are in: UNIQUE constraints and indexes
// (partial and expression ones when they translate; COLLATE NOCASE uniqueness kept as a unique
// index on lower(col)), CHECK constraints, column defaults, and AUTOINCREMENT's sequence position.
import type { PgColumn } from '../../db/pg-introspect.js';
import { quoteIdent, quoteLiteral } from '../../db/pg-identifiers.js';
import type { SqliteIndex, SqliteTable } from '../../db/sqlite-introspect.js';
import { isWord } from '../../db/sqlite-sql-tokens.js';
import type { NotTranslated, SchemaObject } from './schema-objects.js';
import { translateDefault } from './sqlite-default.js';
import { translateExpression, type ExpressionColumn } from './sqlite-expression.js';

interface TableNaming {
  /** schema.table, quoted. */
  target: string;
  /** SQLite column → target column name. */
  col: (name: string) => string;
  /** Target columns, in the SQLite table's column order. */
  columns: PgColumn[];
}

interface Built {
  objects: SchemaObject[];
  notTranslated: NotTranslated[];
}

function expressionColumns(table: SqliteTable, naming: TableNaming): Map<string, ExpressionColumn> {
  return new Map(table.columns.map((c, i) => [c.name.toLowerCase(), { name: naming.columns[i].name, kind: naming.columns[i].type.kind }]));
}

function indexSqliteText(index: SqliteIndex, table: SqliteTable): string {
  if (index.sql) return index.sql;
  const names = index.columns.map((c) => `${c.name}${c.collation !== 'BINARY' ? ` COLLATE ${c.collation}` : ''}`).join(', ');
  return index.origin === 'pk' ? `PRIMARY KEY (${names}) of ${table.name}` : `UNIQUE (${names}) of ${table.name}`;
}

export function indexObjects(table: SqliteTable, naming: TableNaming & { targetName: string; claimRelation: (wanted: string, given: boolean) => string }): Built {
  const built: Built = { objects: [], notTranslated: [] };
  const exprColumns = expressionColumns(table, naming);
  for (const index of [...table.indexes].sort((a, b) => a.name.localeCompare(b.name))) {
    const nocase = index.columns.some((c) => c.name && c.collation === 'NOCASE');
    // The primary key itself is created with the table's keys; only a case-insensitive one needs more.
    if (index.origin === 'pk' && !nocase) continue;
    const sqlite = indexSqliteText(index, table);
    const terms: string[] = [];
    const notes: string[] = [];
    let reason: string | undefined;
    for (const column of index.columns) {
      if (column.name === 'rowid') reason ??= 'it indexes the rowid, which has no Postgres equivalent';
      let term: string;
      if (column.name === null) {
        const translated = column.expression ? translateExpression(column.expression.tokens, exprColumns) : { reason: `its expression could not be read${index.unreadable ? ` (${index.unreadable})` : ''}` };
        if ('reason' in translated) {
          reason ??= `the expression ${column.expression?.text ?? '?'}: ${translated.reason}`;
          continue;
        }
        term = `(${translated.sql})`;
      } else {
        term = quoteIdent(naming.col(column.name));
        if (column.collation === 'NOCASE' && index.unique) {
          term = `lower(${term})`;
          notes.push(`COLLATE NOCASE kept as a unique index on lower(${quoteIdent(naming.col(column.name))}): values differing only in case stay refused`);
        } else if (column.collation !== 'BINARY') {
          notes.push(`COLLATE ${column.collation} of ${column.name} dropped: Postgres compares ${quoteIdent(naming.col(column.name))} as written`);
        }
      }
      terms.push(column.descending ? `${term} DESC` : term);
    }
    let where: string | undefined;
    if (index.where) {
      const translated = translateExpression(index.where.tokens, exprColumns);
      if ('reason' in translated) reason ??= `its WHERE ${index.where.text}: ${translated.reason}`;
      else where = translated.sql;
    } else if (index.unreadable && index.origin === 'c') {
      reason ??= `its SQL could not be read (${index.unreadable})`;
    }
    const kind = index.unique ? 'unique' : 'index';
    if (reason) {
      built.notTranslated.push({ kind, sqlite, reason });
      continue;
    }
    const plainColumns = index.columns.every((c) => c.name !== null && (c.collation === 'BINARY' || !index.unique || c.collation !== 'NOCASE'));
    const given = index.origin === 'c' ? index.name : table.uniqueNames.find((u) => u.columns.length === index.columns.length && u.columns.every((c, i) => c.toLowerCase() === index.columns[i].name?.toLowerCase()))?.name;
    const name = naming.claimRelation(given ?? `${naming.targetName}_${index.columns.map((c) => naming.col(c.name ?? 'expr')).join('_')}${nocase ? '_lower' : ''}_key`, given !== undefined);
    const definition = `(${terms.join(', ')})${where ? ` WHERE ${where}` : ''}`;
    // A UNIQUE constraint (or plain unique index) SQLite enforced: the data satisfies it, so a failure is a real error.
    const required = index.unique && plainColumns && !where && !nocase;
    const sql = required && index.origin === 'u' && index.columns.every((c) => !c.descending)
      ? `ALTER TABLE ${naming.target} ADD CONSTRAINT ${quoteIdent(name)} UNIQUE (${terms.join(', ')})`
      : `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(name)} ON ${naming.target} (${terms.join(', ')})${where ? ` WHERE ${where}` : ''}`;
    built.objects.push({ kind, name, definition, sqlite, sql, stage: required ? 'constraint' : 'optional', ...(notes.length ? { note: notes.join('; ') } : {}) });
  }
  return built;
}

/** `col IN (0, 1)` on a column created as boolean: the type itself enforces it. */
function isBooleanDomainCheck(tokens: SqliteTable['checks'][number]['tokens'], columns: Map<string, ExpressionColumn>): boolean {
  const [column, inWord, open, a, comma, b, close] = tokens;
  return tokens.length === 7 && columns.get(column.value.toLowerCase())?.kind === 'boolean' && isWord(inWord, 'in') && open.kind === 'open' && comma.kind === 'comma' && close.kind === 'close'
    && [a.text, b.text].sort().join() === '0,1';
}

export function checkObjects(table: SqliteTable, naming: TableNaming & { targetName: string; claimConstraint: (wanted: string, given: boolean) => string }): Built {
  const built: Built = { objects: [], notTranslated: [] };
  const exprColumns = expressionColumns(table, naming);
  for (const check of table.checks) {
    if (isBooleanDomainCheck(check.tokens, exprColumns)) {
      built.objects.push({ kind: 'check', definition: `${quoteIdent(naming.col(check.tokens[0].value))} is boolean`, sqlite: check.sql, note: 'the boolean type allows only true/false (SQLite\'s 0/1), so no CHECK is needed' });
      continue;
    }
    const translated = translateExpression(check.tokens, exprColumns);
    if ('reason' in translated) {
      built.notTranslated.push({ kind: 'check', sqlite: check.sql, reason: translated.reason });
      continue;
    }
    const name = naming.claimConstraint(check.name ?? `${naming.targetName}${check.column ? `_${naming.col(check.column)}` : ''}_check`, check.name !== undefined);
    built.objects.push({ kind: 'check', name, definition: translated.sql, sqlite: check.sql, sql: `ALTER TABLE ${naming.target} ADD CONSTRAINT ${quoteIdent(name)} CHECK (${translated.sql})`, stage: 'optional' });
  }
  return built;
}

export function defaultObjects(table: SqliteTable, naming: TableNaming): Built {
  const built: Built = { objects: [], notTranslated: [] };
  table.columns.forEach((column, i) => {
    if (table.rowidAlias === column.name || column.defaultSql === null) return;
    const target = naming.columns[i];
    const translated = translateDefault(column.defaultSql, target.type);
    if ('none' in translated) return;
    const sqlite = `${column.name} DEFAULT ${column.defaultSql}`;
    if ('reason' in translated) {
      built.notTranslated.push({ kind: 'default', sqlite, reason: translated.reason });
      return;
    }
    built.objects.push({ kind: 'default', definition: `${quoteIdent(target.name)} DEFAULT ${translated.sql}`, sqlite, sql: `ALTER TABLE ${naming.target} ALTER COLUMN ${quoteIdent(target.name)} SET DEFAULT ${translated.sql}`, stage: 'optional' });
  });
  return built;
}

/** AUTOINCREMENT never reuses an id, even of deleted rows: continue after the highest one handed out. */
export function sequenceStart(table: SqliteTable, naming: Pick<TableNaming, 'target' | 'col'>): SchemaObject | undefined {
  if (!table.rowidAlias || !table.autoincrement || !table.sequence || table.sequence < 1) return undefined;
  const column = quoteIdent(naming.col(table.rowidAlias));
  const seq = table.sequence;
  return {
    kind: 'identity',
    definition: `${column} continues after ${seq}`,
    sqlite: `AUTOINCREMENT (sqlite_sequence: ${seq})`,
    note: 'SQLite handed out ids up to this one (rows may have been deleted since); AUTOINCREMENT never reuses them',
    sql: `SELECT setval(pg_get_serial_sequence(${quoteLiteral(naming.target)}, ${quoteLiteral(naming.col(table.rowidAlias))}), ${seq}) FROM ${naming.target} HAVING coalesce(max(${column}), 0) < ${seq}`,
    stage: 'optional',
  };
}
