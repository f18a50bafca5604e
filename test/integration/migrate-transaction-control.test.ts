// Migration files as people really write them: a file with its own COMMIT (refused before anything
// runs), a file wrapped in BEGIN; … COMMIT; (Alembic's --sql output: run inside cutover's own
// transaction), a no-transaction file that fails half-way (the error lists what remains), a UTF-8
// byte-order mark, and a JS module with a syntax error (file and line named).
import path from 'node:path';
import type { SqliteLocation } from '../../src/db/database-url.js';
import { loadSqlite } from '../../src/db/sqlite-driver.js';
import { formatError, MigrationError, MigrationPlanError } from '../../src/errors.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';
import { historyNames, rejection, resetSchema, run } from './migrate-helpers.js';
import { recordingRuntime } from '../../src/runtime.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('migrate_txn_control');
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await resetSchema(db);
});

async function tables(): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'cutover_migrations' ORDER BY 1`);
  return rows.map((r) => r.name);
}

function dirWith(files: Record<string, string>): string {
  const dir = makeTempDir('cutover-txn-');
  writeFiles(dir, files);
  return dir;
}

describe('a file with its own transaction control', () => {
  test('is refused before anything runs, naming the statement, its line and the fix', async () => {
    const dir = dirWith({
      '001_first.up.sql': 'CREATE TABLE first (id int);\n',
      '002_self_commit.up.sql': 'CREATE TABLE half (id int);\ncommit;\nCREATE TABLE other (id int);\nSELECT 1/0;\n',
      '003_chain.up.sql': "-- commit; in a comment does not count\nINSERT INTO first VALUES (1);\n  COMMIT AND CHAIN;\nSELECT 'ROLLBACK;';\n",
    });
    const error = await rejection(run(db.location, dir));
    expect(error).toBeInstanceOf(MigrationPlanError);
    const text = formatError(error);
    expect(text).toContain('002_self_commit.up.sql has commit at line 2');
    expect(text).toContain('003_chain.up.sql has COMMIT AND CHAIN at line 3');
    expect(text).not.toContain('ROLLBACK at line');
    expect(text).toContain('nothing was run');
    expect(text).toContain('split the file');
    expect(text).toContain('-- cutover:no-transaction');
    // Nothing ran, not even 001.
    expect(await tables()).toEqual([]);
    expect(await historyNames(db)).toEqual([]);
  });

  test('words in strings, comments, dollar quotes and function bodies are not transaction control', async () => {
    const dir = dirWith({
      '001_ok.up.sql': [
        'CREATE TABLE log (msg text);',
        "INSERT INTO log VALUES ('BEGIN; COMMIT;');",
        '/* ROLLBACK; */ -- END;',
        'DO $$ BEGIN INSERT INTO log VALUES (\'from do\'); END $$;',
        "CREATE FUNCTION shout(t text) RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT upper(t); END;",
        "CREATE FUNCTION grade(n int) RETURNS text LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN n > 1 THEN 'big' ELSE 'small' END; END;",
        'SAVEPOINT s1;',
        'ROLLBACK TO SAVEPOINT s1;',
        '',
      ].join('\n'),
    });
    expect((await run(db.location, dir)).applied).toEqual(['001_ok']);
    const { rows } = await db.query(`SELECT shout('a') AS s, grade(5) AS g, (SELECT count(*)::int FROM log) AS n`);
    expect(rows[0]).toEqual({ s: 'A', g: 'big', n: 2 });
  });

  test('a file wrapped in BEGIN; … COMMIT; (alembic --sql) runs inside cutover\'s transaction, with an info line', async () => {
    const alembic = [
      'BEGIN;',
      '',
      'CREATE TABLE alembic_version (',
      '    version_num VARCHAR(32) NOT NULL,',
      '    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)',
      ');',
      '',
      '-- Running upgrade  -> 1a2b3c',
      '',
      'CREATE TABLE account (id SERIAL NOT NULL, name VARCHAR(50) NOT NULL, PRIMARY KEY (id));',
      '',
      "INSERT INTO alembic_version (version_num) VALUES ('1a2b3c') RETURNING alembic_version.version_num;",
      '',
      'COMMIT;',
      '',
    ].join('\n');
    const runtime = recordingRuntime();
    const outcome = await run(db.location, dirWith({ '001_alembic.up.sql': alembic }), { runtime });
    expect(outcome.applied).toEqual(['001_alembic']);
    expect(await tables()).toEqual(['account', 'alembic_version']);
    const info = runtime.logs.find((l) => l.message.includes('is wrapped in its own BEGIN;'));
    expect(info?.message).toBe("001_alembic.up.sql is wrapped in its own BEGIN; (line 1) … COMMIT; (line 14), as alembic --sql writes it: its statements run inside cutover's transaction for the migration instead.");
  });

  test('a wrapped file that fails is rolled back as a whole, the error on the right line', async () => {
    const dir = dirWith({ '001_wrapped.up.sql': 'BEGIN;\nCREATE TABLE wrapped_one (id int);\nINSERT INTO wrapped_one VALUES (1);\nINSERT INTO missing VALUES (1);\nCOMMIT;\n' });
    const error = (await rejection(run(db.location, dir))) as unknown as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.line).toBe(4);
    expect(formatError(error)).toContain('Its transaction was rolled back: nothing it did remains');
    expect(await tables()).toEqual([]);
  });

  test('BEGIN; … COMMIT; with other control in between is refused', async () => {
    const dir = dirWith({ '001_two.up.sql': 'BEGIN;\nCREATE TABLE t1 (id int);\nCOMMIT;\nBEGIN;\nCREATE TABLE t2 (id int);\nCOMMIT;\n' });
    const text = formatError(await rejection(run(db.location, dir)));
    expect(text).toContain('001_two.up.sql has BEGIN at line 1, COMMIT at line 3, BEGIN at line 4, COMMIT at line 6');
    expect(await tables()).toEqual([]);
  });
});

describe('a no-transaction migration that fails half-way', () => {
  test('the error lists the statements that completed and remain', async () => {
    const dir = dirWith({
      '001_steps.up.sql': '-- cutover:no-transaction\nCREATE TABLE nt_one (id int);\nCREATE TABLE nt_two (id int);\nSELECT 1/0;\nCREATE TABLE nt_three (id int);\n',
    });
    const error = (await rejection(run(db.location, dir))) as unknown as MigrationError;
    expect(error.line).toBe(4);
    const text = formatError(error);
    expect(text).toContain('It ran without a transaction (cutover:no-transaction): 2 of its 4 statements completed and remain (lines 2, 3); the statement at line 4 failed; 1 statement after it did not run. It is not recorded as applied.');
    expect(await tables()).toEqual(['nt_one', 'nt_two']);
    expect(await historyNames(db)).toEqual([]);
  });

  test('with its own BEGIN … COMMIT, what its own open transaction did is rolled back and said so', async () => {
    const dir = dirWith({
      '001_own.up.sql': '-- cutover:no-transaction\nCREATE TABLE own_kept (id int);\nBEGIN;\nCREATE TABLE own_rolled (id int);\nSELECT 1/0;\nCOMMIT;\n',
    });
    const text = formatError(await rejection(run(db.location, dir)));
    expect(text).toContain('1 of its 5 statements completed and remains (line 2); the statement at line 5 failed');
    expect(text).toContain("the file's own transaction (BEGIN at line 3) was open and was rolled back, with what it did since");
    expect(await tables()).toEqual(['own_kept']);
  });

  test('a failed CREATE INDEX CONCURRENTLY: the error says an invalid index may remain', async () => {
    const dir = dirWith({
      '001_t.up.sql': "CREATE TABLE dup (v int);\nINSERT INTO dup VALUES (1), (1);\n",
      '002_idx.up.sql': '-- cutover:no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY dup_v ON dup (v);\n',
    });
    const text = formatError(await rejection(run(db.location, dir)));
    expect(text).toContain('nothing it did before it remains');
    expect(text).toContain('A failed CREATE INDEX CONCURRENTLY can leave an INVALID index behind');
    const { rows } = await db.query(`SELECT indisvalid FROM pg_index WHERE indexrelid = 'dup_v'::regclass`);
    expect(rows).toEqual([{ indisvalid: false }]);
  });
});

describe('byte-order mark and JS syntax errors', () => {
  test('a leading UTF-8 BOM is ignored, also before the no-transaction marker', async () => {
    const dir = dirWith({
      '001_bom.up.sql': '\uFEFFcreate table bom_table (id int);\n',
      '002_bom_index.up.sql': '\uFEFF-- cutover:no-transaction\nCREATE INDEX CONCURRENTLY bom_idx ON bom_table (id);\n',
    });
    expect((await run(db.location, dir)).applied).toEqual(['001_bom', '002_bom_index']);
    expect(await tables()).toEqual(['bom_table']);
  });

  test('a JS migration with a syntax error names the file and line, before anything runs', async () => {
    const dir = dirWith({
      '001_first.up.sql': 'CREATE TABLE first (id int);\n',
      '002_broken.mjs': "export async function up({ sql }) {\n  await sql('SELECT 1');\n  const x = ;\n}\n",
    });
    const options = { runtime: recordingRuntime() };
    const error = (await rejection(run(db.location, dir, options))) as unknown as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.migration).toBe('002_broken');
    expect(error.line).toBe(3);
    const text = formatError(error);
    expect(text).toContain(`${path.join(dir, '002_broken.mjs')}, line 3`);
    expect(text).toContain("SyntaxError: Unexpected token ';'");
    expect(text).toContain('nothing was run');
    expect(options.runtime.logs.find((l) => l.level === 'error')?.annotation).toMatchObject({ line: 3 });
    expect(await tables()).toEqual([]);
  });
});

describe('on SQLite', () => {
  const newDatabase = (): SqliteLocation => ({ kind: 'sqlite', path: path.join(makeTempDir('cutover-sqlite-txn-'), 'app.db') });

  test('a COMMIT in a file is refused; a trigger body with BEGIN … END is not transaction control', async () => {
    const target = newDatabase();
    const refused = formatError(await rejection(run(target, dirWith({ '001_a.up.sql': 'CREATE TABLE a (id int);\nEND TRANSACTION;\n' }))));
    expect(refused).toContain('001_a.up.sql has END TRANSACTION at line 2');

    const dir = dirWith({
      '001_notes.up.sql': 'BEGIN IMMEDIATE;\nCREATE TABLE notes (id integer PRIMARY KEY, body text, n int DEFAULT 0);\nCREATE TRIGGER notes_count AFTER INSERT ON notes BEGIN\n  UPDATE notes SET n = CASE WHEN new.body = \'x\' THEN 1 ELSE 2 END WHERE id = new.id;\nEND;\nCOMMIT;\n',
    });
    expect((await run(target, dir)).applied).toEqual(['001_notes']);
    const Database = await loadSqlite();
    const sqlite = new Database(target.path);
    try {
      sqlite.exec("INSERT INTO notes (id, body) VALUES (1, 'x')");
      expect(sqlite.prepare('SELECT n FROM notes').all()).toEqual([{ n: 1 }]);
    } finally {
      sqlite.close();
    }
  });
});
