// Statement splitting (for no-transaction files) and mapping pg's error position to a file line.
import { errorLine, lineAtIndex, lineAtPosition, stackLine } from '../../src/migrate/error-position.js';
import { splitSqlStatements } from '../../src/migrate/sql-statements.js';

describe('splitSqlStatements', () => {
  test('splits on top-level semicolons only', () => {
    const script = [
      "-- header; with a semicolon",
      "CREATE INDEX CONCURRENTLY a ON t (c);",
      "COMMENT ON INDEX a IS 'one; two';",
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;',
      'CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 2; END $body$;',
      'SELECT "semi;colon" FROM t /* a; /* nested; */ comment */;',
      "SELECT E'it\\'s; fine';",
      '-- trailing comment only',
    ].join('\n');
    const statements = splitSqlStatements(script);
    expect(statements.map((s) => s.text.trim().split('\n').pop())).toEqual([
      'CREATE INDEX CONCURRENTLY a ON t (c);',
      "COMMENT ON INDEX a IS 'one; two';",
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;',
      'CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 2; END $body$;',
      'SELECT "semi;colon" FROM t /* a; /* nested; */ comment */;',
      "SELECT E'it\\'s; fine';",
    ]);
    expect(script.slice(statements[1].index).startsWith('\nCOMMENT')).toBe(true);
  });

  test('a statement without a final semicolon is kept', () => {
    expect(splitSqlStatements('SELECT 1;\nSELECT 2').map((s) => s.text.trim())).toEqual(['SELECT 1;', 'SELECT 2']);
  });
});

describe('error positions', () => {
  test('maps a 1-based character position to a 1-based line', () => {
    const sql = 'SELECT 1;\nSELECT oops\nFROM t;';
    expect(lineAtPosition(sql, 1)).toBe(1);
    expect(lineAtPosition(sql, sql.indexOf('oops') + 1)).toBe(2);
    expect(lineAtPosition(sql, sql.indexOf('FROM') + 1)).toBe(3);
  });

  test('counts characters, not UTF-16 units (emoji before the error)', () => {
    const sql = "SELECT '😀😀';\nSELECT bad;";
    const position = Array.from(sql).indexOf('b') + 1;
    expect(lineAtPosition(sql, position)).toBe(2);
  });

  test('offsets by the line a split statement starts on', () => {
    const script = 'SELECT 1;\n\nSELECT\n  nope;';
    const start = lineAtIndex(script, script.indexOf('\n\nSELECT'));
    const statement = script.slice(script.indexOf('\n\nSELECT'));
    expect(errorLine({ position: String(statement.indexOf('nope') + 1) }, statement, start)).toBe(4);
    expect(errorLine(new Error('no position'), statement, start)).toBeUndefined();
  });

  test('finds the line of a JS migration in a stack trace', () => {
    const error = new Error('boom');
    error.stack = 'Error: boom\n    at up (file:///m/002_x.mjs:7:11)\n    at other (file:///other.js:1:1)';
    expect(stackLine(error, 'file:///m/002_x.mjs')).toBe(7);
    expect(stackLine(error, 'file:///m/003_y.mjs')).toBeUndefined();
  });
});
