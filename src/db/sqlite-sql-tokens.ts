// Splits SQLite SQL text (the CREATE TABLE / CREATE INDEX statements kept in sqlite_schema) into
// tokens with their offsets, so parts of it can be found (CHECK, COLLATE, DEFERRABLE, index
// expressions) and quoted back verbatim in reports. SQLite's pragmas do not expose those parts.

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'blob' | 'op' | 'open' | 'close' | 'comma' | 'semicolon' | 'dot';

export interface Token {
  kind: TokenKind;
  /** The token as written. */
  text: string;
  /** Identifier name (quotes removed) for word/quoted; string value for string; else the text. */
  value: string;
  start: number;
  end: number;
}

const OPERATORS = ['||', '==', '!=', '<>', '<=', '>=', '<<', '>>', '->>', '->', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '~'];

export class SqlTokenError extends Error {}

export function tokenizeSqlite(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string) => tokens.push({ kind, text: sql.slice(start, end), value: value ?? sql.slice(start, end), start, end });
  while (i < sql.length) {
    const c = sql[i];
    if (/\s/.test(c)) { i++; continue; }
    if (sql.startsWith('--', i)) { const nl = sql.indexOf('\n', i); i = nl < 0 ? sql.length : nl + 1; continue; }
    if (sql.startsWith('/*', i)) { const close = sql.indexOf('*/', i + 2); i = close < 0 ? sql.length : close + 2; continue; }
    const start = i;
    if (c === "'" || c === '"' || c === '`') {
      let value = '';
      i++;
      for (;;) {
        if (i >= sql.length) throw new SqlTokenError(`unterminated ${c} at offset ${start}`);
        if (sql[i] === c) {
          if (sql[i + 1] === c) { value += c; i += 2; continue; }
          i++;
          break;
        }
        value += sql[i++];
      }
      push(c === "'" ? 'string' : 'quoted', start, i, value);
      continue;
    }
    if (c === '[') {
      const close = sql.indexOf(']', i);
      if (close < 0) throw new SqlTokenError(`unterminated [ at offset ${start}`);
      i = close + 1;
      push('quoted', start, i, sql.slice(start + 1, close));
      continue;
    }
    if ((c === 'x' || c === 'X') && sql[i + 1] === "'") {
      const close = sql.indexOf("'", i + 2);
      if (close < 0) throw new SqlTokenError(`unterminated blob literal at offset ${start}`);
      i = close + 1;
      push('blob', start, i, sql.slice(start + 2, close));
      continue;
    }
    const number = /^(0x[0-9a-f]+|(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?)/i.exec(sql.slice(i, i + 64));
    if (number && /[\d.]/.test(c) && (c !== '.' || /\d/.test(sql[i + 1] ?? ''))) {
      i += number[0].length;
      push('number', start, i);
      continue;
    }
    const word = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(sql.slice(i, i + 512));
    if (word) {
      i += word[0].length;
      push('word', start, i);
      continue;
    }
    if (c === '(') { i++; push('open', start, i); continue; }
    if (c === ')') { i++; push('close', start, i); continue; }
    if (c === ',') { i++; push('comma', start, i); continue; }
    if (c === ';') { i++; push('semicolon', start, i); continue; }
    if (c === '.') { i++; push('dot', start, i); continue; }
    const op = OPERATORS.find((o) => sql.startsWith(o, i));
    if (op) { i += op.length; push('op', start, i); continue; }
    throw new SqlTokenError(`unexpected character ${JSON.stringify(c)} at offset ${start}`);
  }
  return tokens;
}

/** Is this token the (case-insensitive) keyword? Quoted identifiers never are. */
export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.some((w) => w.toLowerCase() === token.value.toLowerCase());
}

export function isName(token: Token | undefined): boolean {
  return token?.kind === 'word' || token?.kind === 'quoted' || token?.kind === 'string';
}

/** Index of the token closing the parenthesis opened at `open`. */
export function matchingClose(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].kind === 'open') depth++;
    else if (tokens[i].kind === 'close' && --depth === 0) return i;
  }
  throw new SqlTokenError('unbalanced parentheses');
}

/** Splits tokens[from, to) at top-level commas. */
export function splitTopLevel(tokens: Token[], from: number, to: number): Token[][] {
  const parts: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (let i = from; i < to; i++) {
    const token = tokens[i];
    if (token.kind === 'open') depth++;
    if (token.kind === 'close') depth--;
    if (token.kind === 'comma' && depth === 0) {
      parts.push(current);
      current = [];
      continue;
    }
    current.push(token);
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/** The original text spanned by tokens (comments and spacing inside kept as written). */
export function sourceText(sql: string, tokens: Token[]): string {
  return tokens.length === 0 ? '' : sql.slice(tokens[0].start, tokens[tokens.length - 1].end);
}
