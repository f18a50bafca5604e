// A migration that needs a lock an application transaction holds: it waits only
// migration-lock-timeout at a time (so the application's own queries on the table are not queued
// behind it for longer), retries a bounded number of times, and gives up naming the blocker, with
// nothing half-applied. Another application session is real: a second pg connection.
import pg from 'pg';
import { formatError, MigrationError } from '../../src/errors.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';
import { historyNames, rejection, resetSchema, run } from './migrate-helpers.js';
import type { RecordedRuntime } from '../../src/runtime.js';
import { recordingRuntime } from '../../src/runtime.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('migrate_app_lock');
});
afterAll(async () => {
  await db?.drop();
});

let dir: string;
let app: pg.Client;
let appPid: number;
beforeEach(async () => {
  await resetSchema(db);
  dir = makeTempDir('cutover-app-lock-');
  writeFiles(dir, {
    '001_create_users.up.sql': "CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL);\nINSERT INTO users VALUES (1, 'a@example.com'), (2, 'b@example.com');\n",
    '002_add_nickname.up.sql': 'CREATE TABLE nickname_audit (id int);\nALTER TABLE users ADD COLUMN nickname text;\n',
  });
  await run(db.location, dir, { to: '001_create_users' });
  // The application: a transaction that has locked a row of users and is still open.
  app = new pg.Client({ connectionString: db.url, application_name: 'shop-app' });
  await app.connect();
  appPid = (await app.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  await app.query('BEGIN');
  await app.query(`SELECT * FROM users WHERE email = 'a@example.com' FOR UPDATE`);
});
afterEach(async () => {
  await app.end().catch(() => undefined);
});

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** True while some session (the migration) waits for a lock the application holds. */
async function migrationIsWaiting(): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND $1 = ANY (pg_blocking_pids(pid))`, [appPid]);
  return rows.length > 0;
}

async function columnExists(): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'nickname'`);
  return rows.length > 0;
}

const retryWarnings = (runtime: RecordedRuntime) => runtime.logs.filter((l) => l.level === 'warning' && /could not get a lock within migration-lock-timeout/.test(l.message));

test('gives up after the retries naming the blocking pid, application_name and query, with nothing applied; the app keeps working meanwhile', async () => {
  const runtime = recordingRuntime();
  let migrationSettled = false;
  const migrating = run(db.location, dir, { runtime, migrationLockTimeoutMs: 1_000, migrationLockRetries: 2, migrationRetryDelayMs: 200 }).finally(() => (migrationSettled = true));
  const failure = rejection(migrating);

  await until(migrationIsWaiting, 20_000);
  // Another application session reading users while the ALTER waits: it must get through (it
  // queues behind the ALTER's lock request only until lock_timeout cancels that request).
  const reader = new pg.Client({ connectionString: db.url, application_name: 'shop-app-reader', statement_timeout: 20_000 });
  await reader.connect();
  try {
    const { rows } = await reader.query('SELECT count(*)::int AS n FROM users');
    expect(rows[0].n).toBe(2);
    expect(migrationSettled).toBe(false);
  } finally {
    await reader.end();
  }

  const error = await failure;
  expect(error).toBeInstanceOf(MigrationError);
  const text = formatError(error);
  expect(text).toContain('Migration 002_add_nickname failed');
  expect(text).toContain('SQLSTATE 55P03');
  expect(text).toContain('It waited migration-lock-timeout (1 s) for a lock 3 times');
  expect(text).toContain('AccessExclusiveLock on users');
  expect(text).toContain(`backend pid ${appPid}`);
  expect(text).toContain("application_name 'shop-app'");
  expect(text).toContain("state idle in transaction");
  expect(text).toMatch(/in a transaction open for \d+(\.\d)? s/);
  expect(text).toContain("last query: SELECT * FROM users WHERE email = '…' FOR UPDATE");
  expect(text).toContain('Its transaction was rolled back: nothing it did remains and it is not recorded as applied.');
  expect(text).toContain(`pg_terminate_backend(${appPid})`);
  expect(text).toContain('raise migration-lock-timeout');
  // Each retry said so, naming the blocker.
  const warnings = retryWarnings(runtime);
  expect(warnings.map((w) => / retry (\d) of 2 /.exec(w.message)?.[1])).toEqual(['1', '2']);
  expect(warnings.every((w) => w.message.includes(`backend pid ${appPid}`) && w.message.includes('Its transaction was rolled back'))).toBe(true);
  // Nothing half-applied: neither the table created before the ALTER nor the column, nor a history row.
  expect(await columnExists()).toBe(false);
  const { rows } = await db.query(`SELECT to_regclass('public.nickname_audit') AS t`);
  expect(rows[0].t).toBeNull();
  expect(await historyNames(db)).toEqual(['001_create_users']);
}, 60_000);

test('the application lock released during a retry: the migration is applied', async () => {
  const runtime = recordingRuntime();
  const migrating = run(db.location, dir, { runtime, migrationLockTimeoutMs: 500, migrationLockRetries: 5, migrationRetryDelayMs: 300 });
  await until(() => retryWarnings(runtime).length > 0, 20_000);
  await app.query('COMMIT');
  const outcome = await migrating;
  expect(outcome.applied).toEqual(['002_add_nickname']);
  expect(await columnExists()).toBe(true);
  expect(await historyNames(db)).toEqual(['001_create_users', '002_add_nickname']);
  expect(runtime.logs.some((l) => l.message.startsWith('Applied 002_add_nickname'))).toBe(true);
}, 60_000);

test('a no-transaction migration is not retried, and the error says it ran without a transaction', async () => {
  writeFiles(dir, { '002_add_nickname.up.sql': '-- cutover:no-transaction\nCREATE TABLE nickname_audit (id int);\nALTER TABLE users ADD COLUMN nickname text;\n' });
  const runtime = recordingRuntime();
  const error = await rejection(run(db.location, dir, { runtime, migrationLockTimeoutMs: 500, migrationLockRetries: 3, migrationRetryDelayMs: 100 }));
  const text = formatError(error);
  expect(text).toContain('It waited migration-lock-timeout (500 ms) for a lock once');
  expect(text).toContain(`backend pid ${appPid}`);
  expect(text).toContain('It ran without a transaction (cutover:no-transaction)');
  expect(retryWarnings(runtime)).toEqual([]);
  // The statement before the ALTER did take effect: the message does not claim otherwise.
  const { rows } = await db.query(`SELECT to_regclass('public.nickname_audit') AS t`);
  expect(rows[0].t).not.toBeNull();
  expect(await historyNames(db)).toEqual(['001_create_users']);
}, 60_000);
