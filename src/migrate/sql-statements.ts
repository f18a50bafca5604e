// Splits a PostgreSQL script into statements. Only needed for files marked no-transaction: a
// multi-statement query string runs as one implicit transaction block, which CREATE INDEX
// CONCURRENTLY refuses, so those files are sent one statement at a time. Understands quotes,
// E'' escapes, dollar quoting and (nested) comments; semicolons inside them do not split.

export interface SqlStatement {
  text: string;
  /** UTF-16 index of the statement's first character in the script. */
  index: number;
}

const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

export function splitSqlStatements(script: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const text = script.slice(start, end);
    if (hasCode(text)) statements.push({ text, index: start });
  };
  while (i < script.length) {
    const ch = script[i];
    const next = script[i + 1];
    if (ch === '-' && next === '-') {
      const eol = script.indexOf('\n', i);
      i = eol < 0 ? script.length : eol + 1;
    } else if (ch === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < script.length && depth > 0) {
        if (script[i] === '/' && script[i + 1] === '*') (depth += 1), (i += 2);
        else if (script[i] === '*' && script[i + 1] === '/') (depth -= 1), (i += 2);
        else i += 1;
      }
    } else if (ch === "'" || ch === '"') {
      const escapes = ch === "'" && i > 0 && /[eE]/.test(script[i - 1]) && !/[A-Za-z0-9_]/.test(script[i - 2] ?? ' ');
      i += 1;
      while (i < script.length) {
        if (escapes && script[i] === '\\') i += 2;
        else if (script[i] === ch && script[i + 1] === ch) i += 2;
        else if (script[i] === ch) break;
        else i += 1;
      }
      i += 1;
    } else if (ch === '$' && !/[A-Za-z0-9_]/.test(script[i - 1] ?? ' ')) {
      const tag = DOLLAR_TAG.exec(script.slice(i))?.[0];
      if (tag) {
        const close = script.indexOf(tag, i + tag.length);
        i = close < 0 ? script.length : close + tag.length;
      } else {
        i += 1;
      }
    } else if (ch === ';') {
      push(i + 1);
      start = i + 1;
      i += 1;
    } else {
      i += 1;
    }
  }
  push(script.length);
  return statements;
}

/** True when `text` has something besides whitespace, comments and semicolons. */
function hasCode(text: string): boolean {
  const stripped = text
    .replace(/--[^\n]*/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/[;\s]/g, '');
  return stripped.length > 0;
}
