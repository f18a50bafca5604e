// Sequences after a copy: the target must not hand out ids the source already handed out. The copied
// maximum is not enough when the newest rows were deleted in the source (pg_dump copies the
// sequence's value; SQLite's AUTOINCREMENT keeps the high-water mark in sqlite_sequence).
import pg from 'pg';
import { copyData } from '../../src/copy/copy-data.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { copyOptions, makeSqlite } from './copy-helpers.js';

const dir = makeTempDir();
let source: TestDatabase;
let target: TestDatabase;

beforeAll(async () => {
  source = await createTestDatabase('seq_source');
  target = await createTestDatabase('seq_target');
});
afterAll(async () => {
  await source.drop();
  await target.drop();
});

async function nextId(db: TestDatabase, sql: string): Promise<string> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query(sql);
    return String(rows[0].id);
  } finally {
    await client.end();
  }
}

test('PG → PG: serial and identity columns continue after the source position, not the copied maximum', async () => {
  const schema = `DROP TABLE IF EXISTS tickets, invoices;
    CREATE TABLE tickets (id serial PRIMARY KEY, title text NOT NULL);
    CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total int NOT NULL);`;
  await source.query(schema);
  await target.query(schema);
  await source.query(`INSERT INTO tickets (title) SELECT 't' || g FROM generate_series(1, 100) g; DELETE FROM tickets WHERE id > 90;
    INSERT INTO invoices (total) SELECT g FROM generate_series(1, 50) g; DELETE FROM invoices WHERE id > 40;`);
  await copyData(copyOptions(source.location, target.location));
  expect(await nextId(target, `INSERT INTO tickets (title) VALUES ('new') RETURNING id`)).toBe('101');
  expect(await nextId(target, `INSERT INTO invoices (total) VALUES (1) RETURNING id`)).toBe('51');
  // A source sequence behind the copied maximum (rows inserted with explicit ids) does not pull the target back.
  await source.query(`TRUNCATE tickets; INSERT INTO tickets (id, title) VALUES (500, 'explicit'); SELECT setval('tickets_id_seq', 7)`);
  await copyData(copyOptions(source.location, target.location, { include: ['tickets'], ifTargetNotEmpty: 'truncate' }));
  expect(await nextId(target, `INSERT INTO tickets (title) VALUES ('new') RETURNING id`)).toBe('501');
}, 60_000);

test('SQLite → PG: an AUTOINCREMENT table continues after sqlite_sequence, a plain INTEGER PRIMARY KEY after the maximum', async () => {
  await target.query(`DROP TABLE IF EXISTS tickets, invoices;
    CREATE TABLE tickets (id bigserial PRIMARY KEY, title text NOT NULL);
    CREATE TABLE invoices (id bigserial PRIMARY KEY, total int NOT NULL);`);
  const file = await makeSqlite(`${dir}/autoincrement.db`, `
    CREATE TABLE tickets (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL);
    CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER NOT NULL);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO tickets (title) SELECT 't' || i FROM n;
    DELETE FROM tickets WHERE id > 90;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO invoices (total) SELECT i FROM n;
    DELETE FROM invoices WHERE id > 40;`);
  await copyData(copyOptions(file, target.location));
  expect(await nextId(target, `INSERT INTO tickets (title) VALUES ('new') RETURNING id`)).toBe('101');
  // SQLite itself reuses ids above the maximum of a table without AUTOINCREMENT: so does the target.
  expect(await nextId(target, `INSERT INTO invoices (total) VALUES (1) RETURNING id`)).toBe('41');
}, 60_000);

async function sequenceState(db: TestDatabase, sequence: string): Promise<{ last_value: string; is_called: boolean }> {
  const { rows } = await db.query(`SELECT last_value::text, is_called FROM ${sequence}`);
  return rows[0] as { last_value: string; is_called: boolean };
}

test('a copy rolled back after the sequences were set leaves them where they were (owned: ALTER SEQUENCE; not owned: setval only at COMMIT)', async () => {
  const role = `seq_writer_${process.pid}`;
  await target.query(`DROP TABLE IF EXISTS tickets, invoices, owners; DROP SEQUENCE IF EXISTS shared_numbers; DROP ROLE IF EXISTS ${role};
    CREATE ROLE ${role} LOGIN PASSWORD 'seq-Pw-1';
    CREATE TABLE owners (id int PRIMARY KEY);
    CREATE SEQUENCE shared_numbers;
    SELECT setval('shared_numbers', 7);
    GRANT SELECT, UPDATE, USAGE ON SEQUENCE shared_numbers TO ${role};
    GRANT SELECT, REFERENCES ON owners TO ${role};
    CREATE TABLE tickets (id serial PRIMARY KEY, number bigint NOT NULL DEFAULT nextval('shared_numbers'),
      owner_id int REFERENCES owners (id) DEFERRABLE INITIALLY DEFERRED);
    ALTER TABLE tickets OWNER TO ${role};
    SELECT setval('tickets_id_seq', 3);`);
  const file = await makeSqlite(`${dir}/rollback.db`, `
    CREATE TABLE tickets (id INTEGER PRIMARY KEY, number INTEGER NOT NULL, owner_id INTEGER);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) INSERT INTO tickets SELECT i, 1000 + i, CASE WHEN i = 20 THEN 99 END FROM n;`);
  const asWriter = { ...target.location, user: role, password: 'seq-Pw-1' };
  // Owner 99 does not exist: the deferred key fails at the check before COMMIT, after the sequences were set.
  const error = await copyData(copyOptions(file, asWriter)).then(() => undefined, (e: unknown) => e);
  expect(error).toBeDefined();
  expect(await sequenceState(target, 'tickets_id_seq')).toEqual({ last_value: '3', is_called: true });
  expect(await sequenceState(target, 'shared_numbers')).toEqual({ last_value: '7', is_called: true });
  // Fixed source: both move, the sequence the role does not own through its UPDATE privilege.
  await makeSqlite(`${dir}/rollback.db`, `
    CREATE TABLE tickets (id INTEGER PRIMARY KEY, number INTEGER NOT NULL, owner_id INTEGER);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) INSERT INTO tickets SELECT i, 1000 + i, NULL FROM n;`);
  await copyData(copyOptions(file, asWriter));
  expect(await sequenceState(target, 'tickets_id_seq')).toEqual({ last_value: '21', is_called: false });
  expect(await sequenceState(target, 'shared_numbers')).toEqual({ last_value: '1020', is_called: true });
  await target.query(`DROP TABLE tickets; DROP SEQUENCE shared_numbers; REVOKE ALL ON owners FROM ${role}; DROP ROLE ${role}`);
}, 60_000);
