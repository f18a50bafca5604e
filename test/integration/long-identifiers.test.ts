// Identifiers longer than Postgres' 63 bytes: pgloader's collision.db (two columns equal in their
// first 63 bytes) copies and verifies with create-tables (the two get hashed names, shown in the
// report); and a schema made by migrations, where Postgres cut the names itself, is matched by the
// same rule by copy and by verify.
import path from 'node:path';
import { copyData } from '../../src/copy/copy-data.js';
import { verifyData } from '../../src/verify/verify-data.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { copyOptions, makeSqlite, REAL, sqliteAt, verifyOptions } from './copy-helpers.js';

const PREFIX = 'col_very_long_name_that_exceeds_postgresql_identifier_limit_aaa';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('long_names');
});
afterAll(() => db.drop());
beforeEach(() => db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public'));

test("pgloader's collision.db: two columns that collide after 63 bytes copy and verify, and the report maps them", async () => {
  const source = sqliteAt(path.join(REAL, 'pgloader_collision.db'));
  const outcome = await copyData(copyOptions(source, db.location, { createTables: true }));
  expect(outcome.verified).toBe(true);
  const renames = outcome.schema!.created[0].renames;
  expect(renames.map((r) => r.from)).toEqual([`${PREFIX}x`, `${PREFIX}y`]);
  const { rows } = await db.query(`SELECT * FROM products`);
  expect(rows).toEqual([{ id: '1', name: 'apple', [renames[0].to]: '10', [renames[1].to]: '20' }]);
  expect(renames.every((r) => Buffer.byteLength(r.to) <= 63 && r.to.startsWith(PREFIX.slice(0, 50)))).toBe(true);
  const verified = await verifyData(verifyOptions(source, db.location));
  expect(verified).toMatchObject({ verified: true, tables: [expect.objectContaining({ table: 'public.products', sourceRows: 1, targetRows: 1, checksumMatch: true })] });
});

test('a schema made by migrations (Postgres cut the long names): copy and verify match table and column', async () => {
  const longTable = `orders_archived_before_the_migration_to_postgres_for_the_reporting_team`;
  const longColumn = `${PREFIX}_total_in_cents`;
  const file = path.join(makeTempDir('cutover-long-'), 'app.db');
  const source = await makeSqlite(file, `CREATE TABLE "${longTable}" (id INTEGER PRIMARY KEY, "${longColumn}" INTEGER NOT NULL); INSERT INTO "${longTable}" VALUES (1, 250), (2, 990);`);
  // What a migration with the same names creates: Postgres keeps the first 63 bytes (with a NOTICE).
  await db.query(`CREATE TABLE "${longTable}" (id bigint PRIMARY KEY, "${longColumn}" bigint NOT NULL)`);
  const cut = await db.query(`SELECT c.relname, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = 2 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'`);
  expect(cut.rows[0]).toEqual({ relname: longTable.slice(0, 63), attname: longColumn.slice(0, 63) });

  const outcome = await copyData(copyOptions(source, db.location));
  expect(outcome.verified).toBe(true);
  expect(outcome.tables).toEqual([expect.objectContaining({ table: `public.${longTable.slice(0, 63)}`, sourceRows: 2, targetRows: 2, checksumMatch: true })]);
  const verified = await verifyData(verifyOptions(source, db.location));
  expect(verified.verified).toBe(true);
  // create-tables into that schema finds the table too, and leaves it as it is.
  await db.query(`TRUNCATE "${longTable.slice(0, 63)}"`);
  const again = await copyData(copyOptions(source, db.location, { createTables: true }));
  expect(again.schema).toEqual({ created: [], existing: [`public.${longTable.slice(0, 63)}`] });
});
