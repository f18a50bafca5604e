// Sequences after a copy: the target must not hand out ids the source already handed out. The copied
// maximum is not enough when the newest rows were deleted in the source (pg_dump copies the
// sequence's value; SQLite's AUTOINCREMENT keeps the high-water mark in sqlite_sequence).
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { repairInterruptedCopy } from '../../src/copy/load/copy-journal.js';
import { recordingRuntime } from '../../src/runtime.js';
import { copyData } from '../../src/copy/copy-data.js';
import { createTestDatabase, withAdmin, type TestDatabase } from '../helpers/postgres.js';
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
  await withAdmin((client) => client.query(`DROP ROLE IF EXISTS ${WRITER}`));
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
  // Two unlinked tables: two load transactions, each restarting its own sequence; and a standalone
  // sequence set in the first (reading a sequence the other restarted would wait on its transaction).
  const schema = `DROP TABLE IF EXISTS tickets, invoices; DROP SEQUENCE IF EXISTS ticket_numbers;
    CREATE SEQUENCE ticket_numbers;
    CREATE TABLE tickets (id serial PRIMARY KEY, title text NOT NULL);
    CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total int NOT NULL);`;
  await source.query(schema);
  await target.query(schema);
  await source.query(`INSERT INTO tickets (title) SELECT 't' || g FROM generate_series(1, 100) g; DELETE FROM tickets WHERE id > 90;
    INSERT INTO invoices (total) SELECT g FROM generate_series(1, 50) g; DELETE FROM invoices WHERE id > 40;`);
  await source.query(`SELECT setval('ticket_numbers', 77)`);
  const options = copyOptions(source.location, target.location);
  await copyData(options);
  expect(options.runtime.logs.map((l) => l.message).join('\n')).toMatch(/in 2 transactions/);
  expect(await nextId(target, `SELECT nextval('ticket_numbers') AS id`)).toBe('78');
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

const WRITER = `seq_writer_${process.pid}`;

/**
 * The target as a non-superuser sees it: `tickets` is the writer's (its serial sequence too), the
 * shared number sequence and `events` are not. `events` has a deferred key to `owners`, which the copy
 * does not fill: a source row with a missing owner fails the check just before COMMIT, after the
 * sequences were set. The writer may not create in public, so everything loads in one transaction.
 */
async function targetForWriter(): Promise<typeof target.location> {
  await target.query(`DROP TABLE IF EXISTS tickets, invoices, events, owners, audit CASCADE; DROP SEQUENCE IF EXISTS shared_numbers, invoice_numbers, only_in_source;
    DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${WRITER}') THEN EXECUTE 'DROP OWNED BY ${WRITER}'; END IF; END $$;
    DROP ROLE IF EXISTS ${WRITER};
    CREATE ROLE ${WRITER} LOGIN PASSWORD 'seq-Pw-1';
    CREATE TABLE owners (id int PRIMARY KEY);
    CREATE SEQUENCE shared_numbers;
    SELECT setval('shared_numbers', 7);
    GRANT SELECT, UPDATE, USAGE ON SEQUENCE shared_numbers TO ${WRITER};
    CREATE TABLE tickets (id serial PRIMARY KEY, number bigint NOT NULL DEFAULT nextval('shared_numbers'));
    ALTER TABLE tickets OWNER TO ${WRITER};
    SELECT setval('tickets_id_seq', 3);
    CREATE TABLE events (id int PRIMARY KEY, owner_id int REFERENCES owners (id) DEFERRABLE INITIALLY DEFERRED);
    GRANT SELECT, INSERT ON events TO ${WRITER};
    GRANT SELECT, REFERENCES ON owners TO ${WRITER};`);
  return { ...target.location, user: WRITER, password: 'seq-Pw-1' };
}

test('a copy rolled back after the sequences were set leaves them where they were (owned: ALTER SEQUENCE; not owned: setval only at COMMIT)', async () => {
  const asWriter = await targetForWriter();
  const sourceSql = (owner: string) => `
    CREATE TABLE tickets (id INTEGER PRIMARY KEY, number INTEGER NOT NULL);
    CREATE TABLE events (id INTEGER PRIMARY KEY, owner_id INTEGER);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) INSERT INTO tickets SELECT i, 1000 + i FROM n;
    INSERT INTO events VALUES (1, ${owner});`;
  const file = await makeSqlite(`${dir}/rollback.db`, sourceSql('99'));
  const options = copyOptions(file, asWriter);
  const error = await copyData(options).then(() => undefined, (e: unknown) => e);
  expect(String((error as Error)?.message)).toMatch(/events/);
  expect(options.runtime.logs.map((l) => l.message).join('\n')).toMatch(/1 transaction/);
  expect(await sequenceState(target, 'tickets_id_seq')).toEqual({ last_value: '3', is_called: true });
  expect(await sequenceState(target, 'shared_numbers')).toEqual({ last_value: '7', is_called: true });
  // Fixed source: both move, the sequence the role does not own through its UPDATE privilege.
  await makeSqlite(`${dir}/rollback.db`, sourceSql('NULL'));
  await copyData(copyOptions(file, asWriter));
  expect(await sequenceState(target, 'tickets_id_seq')).toEqual({ last_value: '21', is_called: false });
  expect(await sequenceState(target, 'shared_numbers')).toEqual({ last_value: '1020', is_called: true });
}, 60_000);

test('PG → PG: sequences no copied column uses are carried over by name, also rolled back with a failed copy; those of tables left out are not', async () => {
  await source.query(`DROP TABLE IF EXISTS tickets, invoices, events, audit CASCADE; DROP SEQUENCE IF EXISTS invoice_numbers, only_in_source, shared_numbers;
    CREATE SEQUENCE invoice_numbers START 1000;
    CREATE SEQUENCE only_in_source;
    CREATE TABLE tickets (id serial PRIMARY KEY, number bigint NOT NULL);
    CREATE TABLE events (id int PRIMARY KEY, owner_id int);
    CREATE TABLE audit (id serial PRIMARY KEY, what text);
    SELECT nextval('invoice_numbers') FROM generate_series(1, 42); SELECT nextval('only_in_source');
    INSERT INTO tickets (number) VALUES (1), (2); INSERT INTO events VALUES (1, 99);
    INSERT INTO audit (what) SELECT 'x' FROM generate_series(1, 30);`);
  const asWriter = await targetForWriter();
  await target.query(`CREATE SEQUENCE invoice_numbers; ALTER SEQUENCE invoice_numbers OWNER TO ${WRITER}; SELECT setval('invoice_numbers', 5);
    CREATE TABLE audit (id serial PRIMARY KEY, what text); ALTER TABLE audit OWNER TO ${WRITER};`);
  // A copy that fails (a deferred key checked before COMMIT) never reaches the sequences: set last, just before COMMIT.
  const failing = copyOptions(source.location, asWriter, { exclude: ['audit'] });
  await expect(copyData(failing)).rejects.toThrow(/events/);
  expect(failing.runtime.logs.map((l) => l.message).join('\n')).not.toMatch(/invoice_numbers set to/);
  expect(await sequenceState(target, 'invoice_numbers')).toEqual({ last_value: '5', is_called: true });
  await source.query('UPDATE events SET owner_id = NULL');
  const options = copyOptions(source.location, asWriter, { exclude: ['audit'] });
  await copyData(options);
  expect(await nextId(target, `SELECT nextval('invoice_numbers') AS id`)).toBe('1042');
  // audit was left out of the copy: its sequence belongs to it and stays.
  expect(await nextId(target, `SELECT nextval('audit_id_seq') AS id`)).toBe('1');
  const log = options.runtime.logs.map((l) => l.message).join('\n');
  expect(log).toMatch(/Sequence public\.invoice_numbers set to the source's position 1041/);
  expect(log).toMatch(/Sequence public\.only_in_source is not in the target/);
}, 60_000);


test('PG → PG killed between two COMMITs: the repair puts a standalone sequence back with the tables', async () => {
  const schema = `DROP TABLE IF EXISTS tickets, invoices, events, owners, audit, kv, people CASCADE; DROP SEQUENCE IF EXISTS invoice_numbers, only_in_source, shared_numbers;
    CREATE TABLE kv (k text PRIMARY KEY, v text); CREATE TABLE people (id int PRIMARY KEY, email text NOT NULL);
    CREATE SEQUENCE invoice_numbers;`;
  await source.query(`${schema}
    INSERT INTO kv SELECT 'k' || g, 'v' || g FROM generate_series(1, 3000) g; INSERT INTO people SELECT g, 'p' || g FROM generate_series(1, 3000) g;
    SELECT setval('invoice_numbers', 1041);`);
  await target.query(`${schema} SELECT setval('invoice_numbers', 5);`);
  const child = spawn(path.resolve('node_modules/.bin/node'), ['--import', './scripts/register-ts.mjs', 'test/fixtures/copy-child-kill-at.ts'], {
    env: { PATH: process.env.PATH ?? '', SOURCE: source.url, TARGET_URL: target.url, KILL_AT: '^Committed transaction 1 of 2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const signal = await new Promise((resolve) => child.on('exit', (_code, s) => resolve(s)));
  expect({ signal, committed: /Committed transaction 1 of 2/.test(output), set: /invoice_numbers set to the source's position 1041/.test(output) }).toEqual({ signal: 'SIGKILL', committed: true, set: true });
  // The first transaction to commit carried the sequence (restarted: the next value is 1042).
  expect(await sequenceState(target, 'invoice_numbers')).toEqual({ last_value: '1042', is_called: false });
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    await repairInterruptedCopy(client, 'public', recordingRuntime());
  } finally {
    await client.end();
  }
  expect(await sequenceState(target, 'invoice_numbers')).toEqual({ last_value: '5', is_called: true });
  const rows = await target.query<{ kv: string; people: string }>('SELECT (SELECT count(*) FROM kv) AS kv, (SELECT count(*) FROM people) AS people');
  expect(rows.rows[0]).toEqual({ kv: '0', people: '0' });
}, 60_000);
