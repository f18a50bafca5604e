// Translates a SQLite expression (a CHECK constraint, an index term or a partial index's WHERE) into
// Postgres SQL, token by token, or says why it cannot. Only what means the same on both sides is
// translated: column references (through the target's names), literals, operators, CASE, CAST and
// a list of functions; anything else (GLOB, JSON operators, date functions, unknown functions,
// COLLATE NOCASE) is refused with the reason, and the report shows the SQLite text. What passes
// here is still checked by Postgres when it is created (in a savepoint, see create-schema-objects.ts).
import { quoteIdent, quoteLiteral } from '../../db/pg-identifiers.js';
import { isWord, matchingClose, type Token } from '../../db/sqlite-sql-tokens.js';
import type { TargetKind } from '../cast/target-kind.js';
import { mapSqliteType } from './sqlite-type-mapping.js';

export interface ExpressionColumn {
  /** The column's name in the target. */
  name: string;
  kind: TargetKind;
}

export type Translation = { sql: string } | { reason: string };

class Untranslatable extends Error {}

const refuse = (reason: string): never => {
  throw new Untranslatable(reason);
};

/** SQLite function → Postgres function of the same meaning (for the argument counts listed). */
const FUNCTIONS: Record<string, { pg: string; args?: (n: number) => boolean }> = {
  lower: { pg: 'lower', args: (n) => n === 1 },
  upper: { pg: 'upper', args: (n) => n === 1 },
  length: { pg: 'length', args: (n) => n === 1 },
  abs: { pg: 'abs', args: (n) => n === 1 },
  coalesce: { pg: 'coalesce', args: (n) => n >= 2 },
  ifnull: { pg: 'coalesce', args: (n) => n === 2 },
  nullif: { pg: 'nullif', args: (n) => n === 2 },
  trim: { pg: 'btrim', args: (n) => n === 1 || n === 2 },
  ltrim: { pg: 'ltrim', args: (n) => n === 1 || n === 2 },
  rtrim: { pg: 'rtrim', args: (n) => n === 1 || n === 2 },
  substr: { pg: 'substr', args: (n) => n === 2 || n === 3 },
  substring: { pg: 'substr', args: (n) => n === 2 || n === 3 },
  replace: { pg: 'replace', args: (n) => n === 3 },
  instr: { pg: 'strpos', args: (n) => n === 2 },
  round: { pg: 'round', args: (n) => n === 1 || n === 2 },
  // With two or more arguments SQLite's max/min are scalar functions.
  max: { pg: 'greatest', args: (n) => n >= 2 },
  min: { pg: 'least', args: (n) => n >= 2 },
};

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'between', 'case', 'when', 'then', 'else', 'end', 'true', 'false', 'distinct', 'from', 'isnull', 'notnull', 'exists']);
const COMPARISONS = new Set(['=', '==', '!=', '<>']);

function argumentCount(tokens: Token[], open: number, close: number): number {
  if (close === open + 1) return 0;
  let depth = 0;
  let count = 1;
  for (let i = open + 1; i < close; i++) {
    if (tokens[i].kind === 'open') depth++;
    else if (tokens[i].kind === 'close') depth--;
    else if (tokens[i].kind === 'comma' && depth === 0) count++;
  }
  return count;
}

export function translateExpression(tokens: Token[], columns: Map<string, ExpressionColumn>): Translation {
  try {
    return { sql: new ExpressionWriter(tokens, columns).write() };
  } catch (error) {
    if (error instanceof Untranslatable) return { reason: error.message };
    throw error;
  }
}

class ExpressionWriter {
  /** Depth of an IN list whose left side is a boolean column (its 0/1 become false/true). */
  private booleanList = -1;
  private depth = 0;

  private readonly tokens: Token[];
  private readonly columns: Map<string, ExpressionColumn>;

  constructor(tokens: Token[], columns: Map<string, ExpressionColumn>) {
    this.tokens = tokens;
    this.columns = columns;
  }

  write(): string {
    if (this.tokens.length === 0) refuse('the expression is empty');
    for (let i = 0; i < this.tokens.length; ) i = this.token(i);
    return this.text;
  }

  private text = '';
  /** No space after '(' or a function name. */
  private glue = true;

  private emit(part: string, options: { tight?: boolean; opens?: boolean } = {}): void {
    this.text += this.glue || options.tight ? part : ` ${part}`;
    this.glue = options.opens ?? false;
  }

  private column(token: Token | undefined): ExpressionColumn | undefined {
    if (!token || (token.kind !== 'word' && token.kind !== 'quoted')) return undefined;
    return this.columns.get(token.value.toLowerCase());
  }

  /** Is the token at i a boolean column compared with this literal (either side)? */
  private comparedWithBoolean(i: number): boolean {
    const before = this.tokens[i - 1];
    const after = this.tokens[i + 1];
    if (before && (COMPARISONS.has(before.text) || isWord(before, 'is')) && this.column(this.tokens[i - 2])?.kind === 'boolean') return true;
    if (before && isWord(before, 'not') && isWord(this.tokens[i - 2], 'is') && this.column(this.tokens[i - 3])?.kind === 'boolean') return true;
    return Boolean(after && COMPARISONS.has(after.text) && this.column(this.tokens[i + 2])?.kind === 'boolean');
  }

  private token(i: number): number {
    const t = this.tokens[i];
    switch (t.kind) {
      case 'number': {
        const inBooleanList = this.booleanList === this.depth;
        if ((inBooleanList || this.comparedWithBoolean(i)) && (t.text === '0' || t.text === '1')) this.emit(t.text === '1' ? 'true' : 'false');
        else this.emit(/^0x/i.test(t.text) ? BigInt(t.text).toString() : t.text);
        return i + 1;
      }
      case 'string':
        this.emit(quoteLiteral(t.value));
        return i + 1;
      case 'blob':
        this.emit(`${quoteLiteral(`\\x${t.value}`)}::bytea`);
        return i + 1;
      case 'open':
        this.depth++;
        this.emit('(', { opens: true });
        return i + 1;
      case 'close':
        if (this.booleanList === this.depth) this.booleanList = -1;
        this.depth--;
        this.emit(')', { tight: true });
        return i + 1;
      case 'comma':
        this.emit(',', { tight: true });
        return i + 1;
      case 'op':
        if (t.text === '->' || t.text === '->>') refuse(`the JSON operator ${t.text} works on text in SQLite and on json in Postgres`);
        this.emit(t.text === '==' ? '=' : t.text);
        return i + 1;
      case 'dot':
        refuse('qualified names (table.column) are not translated');
        return i + 1;
      case 'semicolon':
        return i + 1;
      case 'quoted':
      case 'word':
        return this.word(i);
    }
  }

  private word(i: number): number {
    const t = this.tokens[i];
    const next = this.tokens[i + 1];
    const lower = t.value.toLowerCase();
    if (t.kind === 'word' && next?.kind === 'open' && !KEYWORDS.has(lower) && lower !== 'cast') return this.call(i);
    const column = this.column(t);
    if (column) {
      this.emit(quoteIdent(column.name));
      if (column.kind === 'boolean') {
        const at = isWord(next, 'not') ? i + 2 : i + 1;
        if (isWord(this.tokens[at], 'in') && this.tokens[at + 1]?.kind === 'open') this.booleanList = this.depth + 1;
      }
      return i + 1;
    }
    // SQLite reads a "double-quoted" word that names no column as a string literal.
    if (t.kind === 'quoted') {
      if (t.text.startsWith('"')) {
        this.emit(quoteLiteral(t.value));
        return i + 1;
      }
      refuse(`${t.text} names no column of this table`);
    }
    if (['glob', 'regexp', 'match'].includes(lower)) refuse(`${t.value.toUpperCase()} has no Postgres equivalent of the same meaning`);
    if (['current_timestamp', 'current_date', 'current_time'].includes(lower)) refuse(`${t.value.toUpperCase()} changes over time`);
    if (lower === 'collate') {
      const collation = this.tokens[i + 1]?.value.toUpperCase();
      if (collation === 'BINARY') return i + 2;
      refuse(`COLLATE ${collation}: Postgres has no such collation`);
    }
    if (lower === 'like') {
      const pattern = this.tokens[i + 1];
      if (pattern?.kind !== 'string' || pattern.value.includes('\\') || isWord(this.tokens[i + 2], 'escape')) refuse('LIKE is translated only with a plain string pattern (SQLite has no escape character by default, Postgres uses \\)');
      // SQLite's LIKE ignores case (for ASCII letters); Postgres' ILIKE does.
      this.emit('ILIKE');
      return i + 1;
    }
    if (lower === 'not' && isWord(next, 'null') && !isWord(this.tokens[i - 1], 'is')) {
      this.emit('IS NOT NULL');
      return i + 2;
    }
    if (lower === 'is') return this.is(i);
    if (lower === 'cast') return this.cast(i);
    if (KEYWORDS.has(lower)) {
      this.emit(t.value.toUpperCase());
      return i + 1;
    }
    return refuse(`${t.value} is not a column of this table or a keyword cutover translates`);
  }

  /** SQLite's IS compares any two values (NULL-safe equality); Postgres' only with NULL/TRUE/FALSE. */
  private is(i: number): number {
    const negated = isWord(this.tokens[i + 1], 'not');
    const operand = this.tokens[i + (negated ? 2 : 1)];
    if (isWord(operand, 'null', 'true', 'false', 'distinct')) {
      this.emit(negated ? 'IS NOT' : 'IS');
      return i + (negated ? 2 : 1);
    }
    this.emit(negated ? 'IS DISTINCT FROM' : 'IS NOT DISTINCT FROM');
    return i + (negated ? 2 : 1);
  }

  private cast(i: number): number {
    const open = i + 1;
    const close = matchingClose(this.tokens, open);
    const as = this.tokens.findIndex((t, at) => at > open && at < close && isWord(t, 'as'));
    if (as < 0) refuse('CAST without AS');
    const inner = new ExpressionWriter(this.tokens.slice(open + 1, as), this.columns).write();
    const type = this.tokens.slice(as + 1, close).map((t) => t.text).join(' ');
    this.emit(`CAST(${inner} AS ${mapSqliteType(type).sql})`);
    return close + 1;
  }

  private call(i: number): number {
    const name = this.tokens[i].value.toLowerCase();
    const open = i + 1;
    const close = matchingClose(this.tokens, open);
    const fn = FUNCTIONS[name];
    const count = argumentCount(this.tokens, open, close);
    if (!fn) refuse(`the function ${name}() is not one cutover translates`);
    if (fn.args && !fn.args(count)) refuse(`${name}() with ${count} argument${count === 1 ? '' : 's'} is not translated`);
    this.emit(fn.pg, { opens: true });
    return open;
  }
}
