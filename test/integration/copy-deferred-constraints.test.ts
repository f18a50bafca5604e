// Deferrable constraints that stay on a table during its load. The load defers every constraint, so
// their checks queue as pending trigger events, and Postgres refuses ALTER TABLE on a table with
// pending events: the keys built after the load and the foreign keys re-added must still work.
import { copyData } from '../../src/copy/copy-data.js';
import { formatError } from '../../src/errors.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { copyOptions, makeSqlite } from './copy-helpers.js';

const dir = makeTempDir();
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('copy_deferred');
});
afterAll(async () => {
  await db.drop();
});

test('a deferrable foreign key to a table outside the copy, on a table whose keys are rebuilt: copied, and a missing parent is named', async () => {
  await db.query(`CREATE TABLE owners (id int PRIMARY KEY); INSERT INTO owners VALUES (1), (2);
    CREATE TABLE tickets (id int PRIMARY KEY, owner_id int REFERENCES owners (id) DEFERRABLE INITIALLY IMMEDIATE, title text UNIQUE);`);
  const good = await makeSqlite(`${dir}/good.db`, `CREATE TABLE tickets (id INTEGER PRIMARY KEY, owner_id INTEGER, title TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO tickets SELECT i, 1 + i % 2, 't' || i FROM n;`);
  await copyData(copyOptions(good, db.location, { include: ['tickets'] }));
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM tickets');
  expect(rows[0].n).toBe('100');
  const bad = await makeSqlite(`${dir}/bad.db`, `CREATE TABLE tickets (id INTEGER PRIMARY KEY, owner_id INTEGER, title TEXT); INSERT INTO tickets VALUES (1, 1, 'a'), (2, 3, 'b');`);
  const error = await copyData(copyOptions(bad, db.location, { include: ['tickets'], ifTargetNotEmpty: 'truncate' })).then(() => undefined, (e: unknown) => e);
  const text = formatError(error);
  expect(text).toMatch(/tickets_owner_id_fkey/);
  expect(text).toMatch(/public\.owners/);
  expect(text).toMatch(/left as it was/);
  expect((await db.query<{ n: string }>('SELECT count(*) AS n FROM tickets')).rows[0].n).toBe('100');
}, 60_000);

test('append into a table with rows, a deferrable unique and a foreign key inside the copy: copied; a key the target already holds blames the target', async () => {
  await db.query(`DROP TABLE IF EXISTS lines, orders;
    CREATE TABLE orders (id int PRIMARY KEY);
    CREATE TABLE lines (id int PRIMARY KEY, order_id int NOT NULL REFERENCES orders (id), code text UNIQUE DEFERRABLE INITIALLY DEFERRED);
    INSERT INTO orders VALUES (1000); INSERT INTO lines VALUES (1000, 1000, 'kept');`);
  const source = await makeSqlite(`${dir}/append.db`, `CREATE TABLE orders (id INTEGER PRIMARY KEY); CREATE TABLE lines (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, code TEXT);
    INSERT INTO orders VALUES (1), (2); INSERT INTO lines VALUES (1, 1, 'a'), (2, 2, 'b');`);
  await copyData(copyOptions(source, db.location, { include: ['orders', 'lines'], ifTargetNotEmpty: 'append' }));
  expect((await db.query<{ n: string }>('SELECT count(*) AS n FROM lines')).rows[0].n).toBe('3');
  const clash = await makeSqlite(`${dir}/clash.db`, `CREATE TABLE orders (id INTEGER PRIMARY KEY); CREATE TABLE lines (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, code TEXT);
    INSERT INTO orders VALUES (3); INSERT INTO lines VALUES (3, 3, 'kept');`);
  const error = await copyData(copyOptions(clash, db.location, { include: ['orders', 'lines'], ifTargetNotEmpty: 'append' })).then(() => undefined, (e: unknown) => e);
  const text = formatError(error);
  expect(text).toMatch(/lines_code_key/);
  expect(text).toMatch(/already holds rows/);
  expect((await db.query<{ n: string }>('SELECT count(*) AS n FROM lines')).rows[0].n).toBe('3');
}, 60_000);
