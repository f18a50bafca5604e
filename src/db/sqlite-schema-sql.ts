// Reads what SQLite's pragmas do not tell from the CREATE TABLE / CREATE INDEX text in
// sqlite_schema: CHECK constraints, column collations, constraint names, AUTOINCREMENT, DEFERRABLE
// clauses of foreign keys, and the expressions and WHERE clause of an index. The pragmas stay the
// authority for columns, keys and actions; this only adds to them.
import { isName, isWord, matchingClose, sourceText, splitTopLevel, tokenizeSqlite, type Token } from './sqlite-sql-tokens.js';

export interface SqlExpression {
  /** Tokens of the expression (without the surrounding parentheses of CHECK (…)). */
  tokens: Token[];
  /** The expression as written in the SQLite schema. */
  text: string;
}

export interface ParsedCheck extends SqlExpression {
  name?: string;
  /** Set for a column constraint. */
  column?: string;
  /** The whole constraint as written, e.g. `CONSTRAINT ck CHECK (qty > 0)`. */
  sql: string;
}

export interface ParsedForeignKey {
  name?: string;
  columns: string[];
  refTable: string;
  /** 'deferred' = DEFERRABLE INITIALLY DEFERRED; 'immediate' = DEFERRABLE [INITIALLY IMMEDIATE]. */
  deferrable?: 'deferred' | 'immediate';
  sql: string;
}

export interface ParsedKey {
  name?: string;
  columns: string[];
}

export interface ParsedColumn {
  name: string;
  collation?: string;
  /** The column definition as written. */
  sql: string;
}

export interface ParsedTableSql {
  columns: ParsedColumn[];
  checks: ParsedCheck[];
  foreignKeys: ParsedForeignKey[];
  uniques: ParsedKey[];
  primaryKey?: ParsedKey;
  autoincrement: boolean;
}

const COLUMN_CONSTRAINT_START = new Set(['constraint', 'primary', 'not', 'null', 'unique', 'check', 'default', 'collate', 'references', 'generated', 'as']);

function nameOf(token: Token | undefined): string {
  return token ? token.value : '';
}

function parenthesized(sql: string, tokens: Token[], open: number): { inner: Token[]; next: number } {
  const close = matchingClose(tokens, open);
  return { inner: tokens.slice(open + 1, close), next: close + 1 };
}

function columnList(tokens: Token[]): string[] {
  // Each item: name [COLLATE x] [ASC|DESC]; only the name matters here.
  return splitTopLevel(tokens, 0, tokens.length).map((item) => nameOf(item[0]));
}

/** REFERENCES … up to the end of the clause; returns table, deferrable and where it ended. */
function references(tokens: Token[], at: number): { refTable: string; deferrable?: 'deferred' | 'immediate'; next: number } {
  let i = at + 1;
  const refTable = nameOf(tokens[i++]);
  if (tokens[i]?.kind === 'open') i = matchingClose(tokens, i) + 1;
  let deferrable: 'deferred' | 'immediate' | undefined;
  while (i < tokens.length) {
    const t = tokens[i];
    if (isWord(t, 'on')) { i += isWord(tokens[i + 2], 'set', 'no') ? 4 : 3; continue; }
    if (isWord(t, 'match')) { i += 2; continue; }
    if (isWord(t, 'not') && isWord(tokens[i + 1], 'deferrable')) {
      i += 2;
      if (isWord(tokens[i], 'initially')) i += 2;
      continue;
    }
    if (isWord(t, 'deferrable')) {
      deferrable = isWord(tokens[i + 1], 'initially') && isWord(tokens[i + 2], 'deferred') ? 'deferred' : 'immediate';
      i += isWord(tokens[i + 1], 'initially') ? 3 : 1;
      continue;
    }
    break;
  }
  return { refTable, ...(deferrable ? { deferrable } : {}), next: i };
}

function parseColumn(sql: string, item: Token[], result: ParsedTableSql): void {
  const name = nameOf(item[0]);
  const column: ParsedColumn = { name, sql: sourceText(sql, item) };
  let i = 1;
  while (i < item.length && !(item[i].kind === 'word' && COLUMN_CONSTRAINT_START.has(item[i].value.toLowerCase()))) {
    i = item[i].kind === 'open' ? matchingClose(item, i) + 1 : i + 1;
  }
  let pendingName: string | undefined;
  let constraintStart = i;
  while (i < item.length) {
    const t = item[i];
    if (isWord(t, 'constraint')) { pendingName = nameOf(item[i + 1]); constraintStart = i; i += 2; continue; }
    const start = pendingName !== undefined ? constraintStart : i;
    if (isWord(t, 'primary')) {
      result.primaryKey = { ...(pendingName ? { name: pendingName } : {}), columns: [name] };
      i += 2;
    } else if (isWord(t, 'unique')) {
      result.uniques.push({ ...(pendingName ? { name: pendingName } : {}), columns: [name] });
      i++;
    } else if (isWord(t, 'check') && item[i + 1]?.kind === 'open') {
      const { inner, next } = parenthesized(sql, item, i + 1);
      result.checks.push({ ...(pendingName ? { name: pendingName } : {}), column: name, tokens: inner, text: sourceText(sql, inner), sql: sourceText(sql, item.slice(start, next)) });
      i = next;
    } else if (isWord(t, 'collate')) {
      column.collation = nameOf(item[i + 1]).toUpperCase();
      i += 2;
    } else if (isWord(t, 'references')) {
      const ref = references(item, i);
      result.foreignKeys.push({ ...(pendingName ? { name: pendingName } : {}), columns: [name], refTable: ref.refTable, ...(ref.deferrable ? { deferrable: ref.deferrable } : {}), sql: sourceText(sql, item.slice(start, ref.next)) });
      i = ref.next;
    } else if (isWord(t, 'autoincrement')) {
      result.autoincrement = true;
      i++;
    } else if (t.kind === 'open') {
      i = matchingClose(item, i) + 1;
      continue;
    } else {
      i++;
      continue;
    }
    pendingName = undefined;
  }
  result.columns.push(column);
}

function parseTableConstraint(sql: string, item: Token[], result: ParsedTableSql): void {
  let i = 0;
  let name: string | undefined;
  if (isWord(item[0], 'constraint')) {
    name = nameOf(item[1]);
    i = 2;
  }
  const named = name !== undefined ? { name } : {};
  const t = item[i];
  if (isWord(t, 'primary') && item[i + 2]?.kind === 'open') {
    result.primaryKey = { ...named, columns: columnList(parenthesized(sql, item, i + 2).inner) };
  } else if (isWord(t, 'unique') && item[i + 1]?.kind === 'open') {
    result.uniques.push({ ...named, columns: columnList(parenthesized(sql, item, i + 1).inner) });
  } else if (isWord(t, 'check') && item[i + 1]?.kind === 'open') {
    const { inner } = parenthesized(sql, item, i + 1);
    result.checks.push({ ...named, tokens: inner, text: sourceText(sql, inner), sql: sourceText(sql, item) });
  } else if (isWord(t, 'foreign') && item[i + 2]?.kind === 'open') {
    const { inner, next } = parenthesized(sql, item, i + 2);
    const ref = isWord(item[next], 'references') ? references(item, next) : undefined;
    if (ref) result.foreignKeys.push({ ...named, columns: columnList(inner), refTable: ref.refTable, ...(ref.deferrable ? { deferrable: ref.deferrable } : {}), sql: sourceText(sql, item) });
  }
}

const TABLE_CONSTRAINT_START = ['constraint', 'primary', 'unique', 'check', 'foreign'];

export function parseCreateTable(sql: string): ParsedTableSql {
  const result: ParsedTableSql = { columns: [], checks: [], foreignKeys: [], uniques: [], autoincrement: false };
  const tokens = tokenizeSqlite(sql);
  const open = tokens.findIndex((t) => t.kind === 'open');
  if (open < 0) return result;
  const close = matchingClose(tokens, open);
  for (const item of splitTopLevel(tokens, open + 1, close)) {
    if (item.length === 0) continue;
    // These keywords are reserved in SQLite: a column so named is quoted, so a bare one starts a table constraint.
    if (item[0].kind === 'word' && TABLE_CONSTRAINT_START.includes(item[0].value.toLowerCase())) {
      parseTableConstraint(sql, item, result);
    } else if (isName(item[0])) {
      parseColumn(sql, item, result);
    }
  }
  return result;
}

export interface ParsedIndexSql {
  /** One entry per indexed term, in order: the expression without COLLATE / ASC / DESC. */
  terms: SqlExpression[];
  where?: SqlExpression;
}

export function parseCreateIndex(sql: string): ParsedIndexSql | undefined {
  const tokens = tokenizeSqlite(sql);
  const on = tokens.findIndex((t) => isWord(t, 'on'));
  const open = tokens.findIndex((t, i) => i > on && t.kind === 'open');
  if (on < 0 || open < 0) return undefined;
  const close = matchingClose(tokens, open);
  const terms = splitTopLevel(tokens, open + 1, close).map((item) => {
    let end = item.length;
    if (isWord(item[end - 1], 'asc', 'desc')) end--;
    if (end >= 2 && isWord(item[end - 2], 'collate')) end -= 2;
    const expr = item.slice(0, end);
    return { tokens: expr, text: sourceText(sql, expr) };
  });
  const whereAt = tokens.findIndex((t, i) => i > close && isWord(t, 'where'));
  if (whereAt < 0) return { terms };
  const rest = tokens.slice(whereAt + 1).filter((t) => t.kind !== 'semicolon');
  return { terms, where: { tokens: rest, text: sourceText(sql, rest) } };
}
