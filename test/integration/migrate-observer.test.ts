// The runner's measuring hook (src/migrate/migration-observer.ts) on real PostgreSQL: each statement
// of a transaction file runs on its own inside the migration's transaction, no-transaction files and
// JS modules are observed too, `only` limits what migrate applies, and a failing statement keeps its line.
import { MigrationError } from '../../src/errors.js';
import type { MigrationObserver, ObservedUnit } from '../../src/migrate/migration-observer.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';
import { fixture, historyNames, rejection, resetSchema, run } from './migrate-helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('migrate_observer');
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await resetSchema(db);
});

interface Seen extends Omit<ObservedUnit, 'database'> {
  inTransactionOnServer: boolean;
  command?: string;
  rowCount?: number | null;
  failed?: boolean;
}

/** Records every unit and asks the server, on the unit's own connection, whether a transaction is open. */
function recorder(): { observer: MigrationObserver; seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    observer: {
      async observe(unit, execute) {
        const { database, ...rest } = unit;
        // now() = statement_timestamp() only outside a transaction block.
        const [row] = await database.query<{ open: boolean }>('SELECT now() <> statement_timestamp() AS open');
        const entry: Seen = { ...rest, inTransactionOnServer: row.open };
        seen.push(entry);
        try {
          const result = (await execute()) as { command?: string; rowCount?: number | null } | undefined;
          if (result?.command) Object.assign(entry, { command: result.command, rowCount: result.rowCount });
          return result;
        } catch (error) {
          entry.failed = true;
          throw error;
        }
      },
    },
  };
}

test('each statement of a transaction file is one unit inside the open transaction, with its line', async () => {
  const dir = makeTempDir('cutover-observer-');
  writeFiles(dir, {
    '001_items.up.sql': "-- items\nCREATE TABLE items (id int PRIMARY KEY, sku text);\nINSERT INTO items VALUES (1, 'a;b'), (2, 'c');\n\nUPDATE items\n   SET sku = upper(sku);\n",
  });
  const { observer, seen } = recorder();
  const outcome = await run(db.location, dir, { observer });
  expect(outcome.applied).toEqual(['001_items']);
  expect(seen.map((s) => [s.migration, s.index, s.total, s.line, s.inTransaction, s.inTransactionOnServer, s.command, s.rowCount])).toEqual([
    ['001_items', 0, 3, 2, true, true, 'CREATE', null],
    ['001_items', 1, 3, 3, true, true, 'INSERT', 2],
    ['001_items', 2, 3, 5, true, true, 'UPDATE', 2],
  ]);
  expect((await db.query('SELECT sku FROM items ORDER BY id')).rows.map((r) => r.sku)).toEqual(['A;B', 'C']);
});

test('no-transaction statements and JS modules are observed; the JS module as one unit', async () => {
  const { observer, seen } = recorder();
  await run(db.location, fixture('migrations-no-transaction'), { observer });
  expect(seen.map((s) => [s.migration, s.line, s.inTransaction, s.inTransactionOnServer])).toEqual([
    ['001_create_items', 1, true, true],
    ['002_index_items_sku', 3, false, false],
    ['002_index_items_sku', 4, false, false],
  ]);
  await resetSchema(db);
  const js = recorder();
  await run(db.location, fixture('migrations-js'), { observer: js.observer });
  expect(js.seen.map((s) => [s.migration, s.sql === undefined, s.inTransactionOnServer])).toEqual([
    ['001_create_things', false, true],
    ['002_seed_things', true, true],
    ['003_label_upper', true, true],
  ]);
});

test('a failing statement fails the migration at its own line and rolls back the whole migration', async () => {
  const dir = makeTempDir('cutover-observer-fail-');
  writeFiles(dir, { '001_ok.up.sql': 'CREATE TABLE ok (id int);\n', '002_bad.up.sql': 'CREATE TABLE half (id int);\n\nSELECT 1/0;\n' });
  const { observer, seen } = recorder();
  const error = await rejection(run(db.location, dir, { observer }));
  expect(error).toBeInstanceOf(MigrationError);
  expect(error.line).toBe(3);
  expect(seen.at(-1)).toMatchObject({ migration: '002_bad', line: 3, failed: true });
  expect(await historyNames(db)).toEqual(['001_ok']);
  expect((await db.query(`SELECT to_regclass('half') AS t`)).rows[0].t).toBeNull();
});

test('only: migrate applies just the named pending migrations, in order, and says when none is pending', async () => {
  const dir = makeTempDir('cutover-observer-only-');
  writeFiles(dir, { '001_a.up.sql': 'CREATE TABLE a (id int);', '002_b.up.sql': 'CREATE TABLE b (id int);', '003_c.up.sql': 'CREATE TABLE c (id int);' });
  const first = await run(db.location, dir, { only: new Set(['001_a', '003_c']) });
  expect(first.applied).toEqual(['001_a', '003_c']);
  expect(first.pending).toEqual(['002_b']);
  const again = await run(db.location, dir, { only: new Set(['001_a']) });
  expect(again.applied).toEqual([]);
  expect(again.warnings).toEqual([]);
});
