// Splits a SQL script into statements, as psql does. Needed where a file is run one statement at a
// time (no-transaction files: a multi-statement query string is one implicit transaction block,
// which CREATE INDEX CONCURRENTLY refuses) and to find transaction control before anything runs.
// Understands quotes, E'' escapes, dollar quoting (PostgreSQL), `…` and […] identifiers (SQLite),
// (nested) comments, parentheses, and BEGIN … END bodies of CREATE FUNCTION/PROCEDURE (BEGIN ATOMIC)
// and SQLite's CREATE TRIGGER: semicolons inside any of them do not split.

export interface SqlStatement {
  text: string;
  /** UTF-16 index of the statement's first character in the script. */
  index: number;
}

export type SqlDialect = 'postgres' | 'sqlite';

const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;
const WORD_START = /[A-Za-z_\u0080-\uFFFF]/;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uFFFF]/;

/** Index just past the comment, quoted text or identifier starting at `i`, or -1 if none starts there. */
function skipQuoted(script: string, i: number, dialect: SqlDialect): number {
  const ch = script[i];
  const next = script[i + 1];
  if (ch === '-' && next === '-') {
    const eol = script.indexOf('\n', i);
    return eol < 0 ? script.length : eol + 1;
  }
  if (ch === '/' && next === '*') {
    let depth = 1;
    let j = i + 2;
    while (j < script.length && depth > 0) {
      if (script[j] === '/' && script[j + 1] === '*') (depth += 1), (j += 2);
      else if (script[j] === '*' && script[j + 1] === '/') (depth -= 1), (j += 2);
      else j += 1;
    }
    return j;
  }
  if (ch === "'" || ch === '"' || (dialect === 'sqlite' && ch === '`')) {
    const escapes = dialect === 'postgres' && ch === "'" && i > 0 && /[eE]/.test(script[i - 1]) && !/[A-Za-z0-9_]/.test(script[i - 2] ?? ' ');
    let j = i + 1;
    while (j < script.length) {
      if (escapes && script[j] === '\\') j += 2;
      else if (script[j] === ch && script[j + 1] === ch) j += 2;
      else if (script[j] === ch) break;
      else j += 1;
    }
    return j + 1;
  }
  if (dialect === 'sqlite' && ch === '[') {
    const close = script.indexOf(']', i + 1);
    return close < 0 ? script.length : close + 1;
  }
  if (dialect === 'postgres' && ch === '$' && !WORD_CHAR.test(script[i - 1] ?? ' ')) {
    const tag = DOLLAR_TAG.exec(script.slice(i, i + 80))?.[0];
    if (tag) {
      const close = script.indexOf(tag, i + tag.length);
      return close < 0 ? script.length : close + tag.length;
    }
  }
  return -1;
}

/** Whether the statement's leading words open a body whose BEGIN … END may contain semicolons. */
function hasBeginEndBody(words: string[], dialect: SqlDialect): boolean {
  if (words[0] !== 'create') return false;
  const rest = words[1] === 'or' && words[2] === 'replace' ? words.slice(3) : words.slice(1);
  if (dialect === 'postgres') return rest[0] === 'function' || rest[0] === 'procedure';
  return rest[0] === 'trigger' || (['temp', 'temporary'].includes(rest[0]) && rest[1] === 'trigger');
}

export function splitSqlStatements(script: string, dialect: SqlDialect = 'postgres'): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let start = 0;
  let i = 0;
  let parens = 0;
  let blocks = 0;
  let words: string[] = [];
  const push = (end: number) => {
    const text = script.slice(start, end);
    if (hasCode(text, dialect)) statements.push({ text, index: start });
  };
  while (i < script.length) {
    const skipped = skipQuoted(script, i, dialect);
    if (skipped >= 0) {
      i = skipped;
      continue;
    }
    const ch = script[i];
    if (WORD_START.test(ch) && !WORD_CHAR.test(script[i - 1] ?? ' ')) {
      let j = i + 1;
      while (j < script.length && WORD_CHAR.test(script[j])) j += 1;
      const word = script.slice(i, j).toLowerCase();
      if (words.length < 4) words.push(word);
      // psql's heuristic: inside such a body CASE … END nests too.
      if (parens === 0 && hasBeginEndBody(words, dialect)) {
        if (word === 'begin') blocks += 1;
        else if (word === 'case' && blocks > 0) blocks += 1;
        else if (word === 'end' && blocks > 0) blocks -= 1;
      }
      i = j;
    } else if (ch === '(') {
      parens += 1;
      i += 1;
    } else if (ch === ')') {
      parens = Math.max(0, parens - 1);
      i += 1;
    } else if (ch === ';' && parens === 0 && blocks === 0) {
      push(i + 1);
      start = i + 1;
      words = [];
      i += 1;
    } else {
      i += 1;
    }
  }
  push(script.length);
  return statements;
}

/** The first `count` words of a statement, lower-cased, after any leading comments. */
export function leadingWords(text: string, count: number, dialect: SqlDialect = 'postgres'): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length && words.length < count) {
    if (/\s/.test(text[i])) {
      i += 1;
      continue;
    }
    const skipped = skipQuoted(text, i, dialect);
    if (skipped >= 0) {
      // Only comments may come before the first word; quoted text ends the words.
      if (text[i] === '-' || text[i] === '/') {
        i = skipped;
        continue;
      }
      break;
    }
    const match = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i, i + 64));
    if (!match) break;
    words.push(match[0].toLowerCase());
    i += match[0].length;
  }
  return words;
}

/** True when `text` has something besides whitespace, comments and semicolons. */
function hasCode(text: string, dialect: SqlDialect): boolean {
  let i = 0;
  while (i < text.length) {
    if (/[\s;]/.test(text[i])) {
      i += 1;
      continue;
    }
    if ((text[i] === '-' && text[i + 1] === '-') || (text[i] === '/' && text[i + 1] === '*')) {
      i = skipQuoted(text, i, dialect);
      continue;
    }
    return true;
  }
  return false;
}
