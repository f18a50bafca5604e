// An application holding a lock on a target table while a copy starts: the copy's DDL and TRUNCATE
// (ACCESS EXCLUSIVE) must not wait on it forever, nor queue the application's queries behind it.
import pg from 'pg';
import { copyData } from '../../src/copy/copy-data.js';
import { formatError } from '../../src/errors.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { copyOptions, makeSqlite } from './copy-helpers.js';

const dir = makeTempDir();
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('copy_app_locks');
});
afterAll(async () => {
  await db.drop();
});

async function holdRead(table: string): Promise<pg.Client> {
  const app = new pg.Client({ connectionString: db.url, application_name: 'the-app' });
  await app.connect();
  await app.query('BEGIN');
  await app.query(`SELECT * FROM ${table} LIMIT 1`);
  return app;
}

test.each(['fail', 'truncate'] as const)('if-target-not-empty %s: a read held by the application fails the copy in bounded time, naming the blocker; the target is untouched', async (mode) => {
  await db.query(`DROP TABLE IF EXISTS notes; CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL); CREATE INDEX notes_body ON notes (body)`);
  const source = await makeSqlite(`${dir}/notes-${mode}.db`, `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO notes SELECT i, 'note ' || i FROM n;`);
  const app = await holdRead('notes');
  try {
    const started = Date.now();
    const options = copyOptions(source, db.location, { ifTargetNotEmpty: mode });
    const error = await copyData({ ...options, lockTimeoutMs: 2_000 }).then(() => undefined, (e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(error).toBeDefined();
    const text = formatError(error);
    expect(text).toMatch(/notes/);
    expect(text).toMatch(/the-app/);
    expect(text).toMatch(/target/i);
    // Untouched: no rows, the index still there.
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM notes');
    expect(rows[0].n).toBe('0');
    const { rows: idx } = await db.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'notes_body'`);
    expect(idx).toHaveLength(1);
  } finally {
    await app.query('ROLLBACK');
    await app.end();
  }
  // Once the application lets go, the same copy succeeds.
  const options = copyOptions(source, db.location, { ifTargetNotEmpty: mode });
  await copyData({ ...options, lockTimeoutMs: 2_000 });
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM notes');
  expect(rows[0].n).toBe('500');
}, 90_000);

test('two tables referencing the same table outside the copy, loaded on two connections, do not wait on each other', async () => {
  await db.query(`DROP TABLE IF EXISTS orders, payments, users CASCADE;
    CREATE TABLE users (id int PRIMARY KEY);
    INSERT INTO users SELECT generate_series(1, 10);
    CREATE TABLE orders (id int PRIMARY KEY, user_id int NOT NULL REFERENCES users (id));
    CREATE TABLE payments (id int PRIMARY KEY, user_id int NOT NULL REFERENCES users (id));`);
  const source = await makeSqlite(`${dir}/shared-parent.db`, `
    CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL);
    CREATE TABLE payments (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO orders SELECT i, 1 + i % 10 FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO payments SELECT i, 1 + i % 10 FROM n;`);
  const options = copyOptions(source, db.location, { include: ['orders', 'payments'], jobs: 2 });
  await copyData({ ...options, lockTimeoutMs: 5_000 });
  const { rows } = await db.query<{ o: string; p: string }>('SELECT (SELECT count(*) FROM orders) AS o, (SELECT count(*) FROM payments) AS p');
  expect(rows[0]).toEqual({ o: '300', p: '200' });
  const { rows: fks } = await db.query(`SELECT conname FROM pg_constraint WHERE contype = 'f' ORDER BY conname`);
  expect(fks.map((r) => r.conname)).toEqual(['orders_user_id_fkey', 'payments_user_id_fkey']);
}, 60_000);

test('an application that lets go while the copy waits: the copy goes on, and the log named who it waited for', async () => {
  await db.query(`DROP TABLE IF EXISTS notes; CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL)`);
  const source = await makeSqlite(`${dir}/notes-release.db`, `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO notes SELECT i, 'note ' || i FROM n;`);
  const app = await holdRead('notes');
  const options = copyOptions(source, db.location);
  const copying = copyData({ ...options, lockTimeoutMs: 30_000, tableLockAttemptMs: 300 });
  // Meanwhile the application's own queries on the table are not queued behind the copy for long.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const reader = new pg.Client({ connectionString: db.url });
  await reader.connect();
  const readStarted = Date.now();
  await reader.query('SELECT count(*) FROM notes');
  const readMs = Date.now() - readStarted;
  await reader.end();
  await app.query('ROLLBACK');
  await app.end();
  await copying;
  expect(readMs).toBeLessThan(5_000);
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM notes');
  expect(rows[0].n).toBe('50');
  expect(options.runtime.logs.map((l) => l.message).join('\n')).toMatch(/Waiting for locks on public\.notes.*the-app/);
}, 60_000);

test('create-tables: two created tables whose foreign keys reference the same table outside the copy, on two connections, do not wait on each other', async () => {
  await db.query(`DROP TABLE IF EXISTS orders, payments, users CASCADE;
    CREATE TABLE users (id int PRIMARY KEY);
    INSERT INTO users SELECT generate_series(1, 10);`);
  const source = await makeSqlite(`${dir}/created-shared-parent.db`, `
    CREATE TABLE users (id INTEGER PRIMARY KEY);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id));
    CREATE TABLE payments (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id));
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) INSERT INTO users SELECT i FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO orders SELECT i, 1 + i % 10 FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO payments SELECT i, 1 + i % 10 FROM n;`);
  const options = copyOptions(source, db.location, { exclude: ['users'], createTables: true, jobs: 2 });
  const started = Date.now();
  await copyData({ ...options, lockTimeoutMs: 10_000 });
  expect(Date.now() - started).toBeLessThan(10_000);
  const { rows: fks } = await db.query(`SELECT conname, confrelid::regclass::text AS parent FROM pg_constraint WHERE contype = 'f' ORDER BY conname`);
  expect(fks).toEqual([
    { conname: 'orders_user_id_fkey', parent: 'users' },
    { conname: 'payments_user_id_fkey', parent: 'users' },
  ]);
}, 60_000);

test('create-tables: a created table whose foreign key references a table the application is writing to fails in bounded time, and nothing is created', async () => {
  await db.query(`DROP TABLE IF EXISTS orders, payments, users, notes CASCADE;
    CREATE TABLE users (id int PRIMARY KEY);
    INSERT INTO users SELECT generate_series(1, 10);`);
  const source = await makeSqlite(`${dir}/created-fk-held.db`, `
    CREATE TABLE users (id INTEGER PRIMARY KEY);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id));
    INSERT INTO users VALUES (1);
    INSERT INTO orders VALUES (1, 1);`);
  // The application wrote to users and sits in its transaction (ROW EXCLUSIVE, which ADD FOREIGN KEY's SHARE ROW EXCLUSIVE waits for).
  const app = new pg.Client({ connectionString: db.url, application_name: 'the-app' });
  await app.connect();
  await app.query('BEGIN');
  await app.query('UPDATE users SET id = id WHERE id = 1');
  try {
    const started = Date.now();
    const options = copyOptions(source, db.location, { exclude: ['users'], createTables: true });
    const error = await copyData({ ...options, lockTimeoutMs: 2_000, tableLockAttemptMs: 500 }).then(() => undefined, (e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(30_000);
    const text = formatError(error);
    expect(text).toMatch(/lock/i);
    expect(text).toMatch(/lock-timeout/);
    expect((await db.query(`SELECT to_regclass('public.orders') AS t`)).rows[0].t).toBeNull();
  } finally {
    await app.query('ROLLBACK');
    await app.end();
  }
}, 60_000);
