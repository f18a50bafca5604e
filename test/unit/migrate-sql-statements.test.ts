// Statement splitting (for no-transaction files) and mapping pg's error position to a file line.
import { errorLine, lineAtIndex, lineAtPosition, stackLine } from '../../src/migrate/error-position.js';
import { leadingWords, splitSqlStatements } from '../../src/migrate/sql-statements.js';
import { findTransactionControl } from '../../src/migrate/transaction-control.js';

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

describe('splitSqlStatements: bodies and dialects', () => {
  test('BEGIN ATOMIC … END bodies (with CASE … END inside) and parentheses do not split', () => {
    const script = [
      "CREATE OR REPLACE FUNCTION grade(n int) RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN n > 1 THEN 'big' ELSE 'small' END; SELECT 'x'; END;",
      'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));',
      'SELECT 1;',
    ].join('\n');
    expect(splitSqlStatements(script).map((s) => s.text.trim().slice(0, 20))).toEqual(['CREATE OR REPLACE FU', 'CREATE RULE r AS ON ', 'SELECT 1;']);
  });

  test('SQLite: trigger bodies, `…` and […] identifiers; no dollar quoting', () => {
    const script = 'CREATE TRIGGER tr AFTER INSERT ON [semi;colon] BEGIN UPDATE `a;b` SET n = 1; END;\nSELECT $x$;\nSELECT 2;';
    expect(splitSqlStatements(script, 'sqlite').map((s) => s.text.trim())).toEqual([
      'CREATE TRIGGER tr AFTER INSERT ON [semi;colon] BEGIN UPDATE `a;b` SET n = 1; END;',
      'SELECT $x$;',
      'SELECT 2;',
    ]);
  });

  test('leadingWords skips comments and stops at quoted text', () => {
    expect(leadingWords('-- c\n/* d */  Commit AND chain;', 3)).toEqual(['commit', 'and', 'chain']);
    expect(leadingWords("SELECT 'begin'", 3)).toEqual(['select']);
  });
});

describe('findTransactionControl', () => {
  test.each([
    ['BEGIN;\nSELECT 1;\nCOMMIT;', 'wrapped'],
    ['begin work;\nSELECT 1;\nend transaction;', 'wrapped'],
    ['START TRANSACTION;\nSELECT 1;\nCOMMIT;', 'wrapped'],
    ['BEGIN ISOLATION LEVEL SERIALIZABLE;\nSELECT 1;\nCOMMIT;', 'mixed'],
    ['BEGIN;\nSELECT 1;\nCOMMIT AND CHAIN;', 'mixed'],
    ['SELECT 1;\nBEGIN;\nSELECT 2;\nCOMMIT;', 'mixed'],
    ['SELECT 1;\nROLLBACK;', 'mixed'],
    ['SELECT 1;\nABORT;', 'mixed'],
    ["PREPARE TRANSACTION 'x';", 'mixed'],
    ['SAVEPOINT a;\nROLLBACK TO SAVEPOINT a;\nROLLBACK WORK TO a;\nRELEASE a;', 'none'],
    ["SELECT 'COMMIT;'; -- ROLLBACK;\nDO $$BEGIN END$$;", 'none'],
  ])('%j is %s', (script, kind) => {
    expect(findTransactionControl(script, 'postgres').kind).toBe(kind);
  });

  test('SQLite forms', () => {
    expect(findTransactionControl('BEGIN IMMEDIATE TRANSACTION;\nCREATE TABLE a (id);\nEND;', 'sqlite').kind).toBe('wrapped');
    expect(findTransactionControl('CREATE TABLE a (id);\nCOMMIT TRANSACTION;', 'sqlite')).toEqual({ kind: 'mixed', statements: [{ kind: 'commit', text: 'COMMIT TRANSACTION', line: 2 }] });
  });
});
