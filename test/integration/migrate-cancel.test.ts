// Cancelling a migration run (MigrationOptions.signal, aborted on SIGINT/SIGTERM): the running
// migration is stopped at once (its backend cancelled) and rolled back, what the run applied before
// stays, nothing later starts, the lock is released, and the error says all of that.
import { CancelledError, formatError } from '../../src/errors.js';
import { LOCK_KEY } from '../../src/migrate/migration-lock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';
import { historyNames, rejection, resetSchema, run, tableExists } from './migrate-helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('migrate_cancel');
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await resetSchema(db);
});

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function sleeping(): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()`);
  return rows.length > 0;
}

async function lockHeld(): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND classid = $1::int4::oid AND objid = $2::int4::oid AND objsubid = 2`, [LOCK_KEY[0], LOCK_KEY[1]]);
  return rows.length > 0;
}

test('a migration running in a transaction is cancelled and rolled back; earlier ones stay; the lock is released', async () => {
  const dir = makeTempDir('cutover-cancel-');
  writeFiles(dir, {
    '001_first.up.sql': 'CREATE TABLE first (id int);\n',
    '002_slow.up.sql': 'CREATE TABLE slow_made (id int);\nSELECT pg_sleep(30);\n',
    '003_after.up.sql': 'CREATE TABLE after (id int);\n',
  });
  const controller = new AbortController();
  const running = rejection(run(db.location, dir, { signal: controller.signal }));
  await until(sleeping, 15_000);
  controller.abort();
  const error = await running;

  expect(error).toBeInstanceOf(CancelledError);
  expect(formatError(error)).toBe(
    'Cancelled while 002_slow was running. Its transaction was rolled back: nothing it did remains and it is not recorded as applied. ' +
      'Before the cancel this run applied 001_first; it stays applied. No later migration was started. ' +
      'Cause: canceling statement due to user request (SQLSTATE 57014). Fix: run migrate again to continue.',
  );
  expect(await historyNames(db)).toEqual(['001_first']);
  expect(await tableExists(db, 'public.first')).toBe(true);
  expect(await tableExists(db, 'public.slow_made')).toBe(false);
  expect(await tableExists(db, 'public.after')).toBe(false);
  // Stopped, not left running on the server; the run's lock is gone.
  expect(await sleeping()).toBe(false);
  expect(await lockHeld()).toBe(false);
  // The report still gets what the run did.
  const outcome = (error as unknown as { outcome?: { applied: string[]; history: string[] } }).outcome;
  expect(outcome).toMatchObject({ applied: ['001_first'], history: ['001_first'] });
}, 20_000);

test('a no-transaction migration is cancelled mid-file: the error lists what remains', async () => {
  const dir = makeTempDir('cutover-cancel-nt-');
  writeFiles(dir, {
    '001_steps.up.sql': '-- cutover:no-transaction\nCREATE TABLE nt_made (id int);\nSELECT pg_sleep(30);\nCREATE TABLE nt_never (id int);\n',
  });
  const controller = new AbortController();
  const running = rejection(run(db.location, dir, { signal: controller.signal }));
  await until(sleeping, 15_000);
  controller.abort();
  const text = formatError(await running);
  expect(text).toContain('Cancelled while 001_steps was running. It ran without a transaction (cutover:no-transaction): 1 of its 3 statements completed and remains (line 2); the statement at line 3 was cancelled; 1 statement after it did not run. It is not recorded as applied.');
  expect(text).toContain('This run had applied no migration before the cancel.');
  expect(await tableExists(db, 'public.nt_made')).toBe(true);
  expect(await tableExists(db, 'public.nt_never')).toBe(false);
  expect(await historyNames(db)).toEqual([]);
  expect(await lockHeld()).toBe(false);
}, 20_000);

test('aborted before the run: nothing is started', async () => {
  const dir = makeTempDir('cutover-cancel-early-');
  writeFiles(dir, { '001_first.up.sql': 'CREATE TABLE first (id int);\n' });
  const error = await rejection(run(db.location, dir, { signal: AbortSignal.abort() }));
  expect(error).toBeInstanceOf(CancelledError);
  expect(error.message).toBe('Cancelled before 001_first started. This run had applied no migration before the cancel. No later migration was started.');
  expect(await tableExists(db, 'public.first')).toBe(false);
  expect(await lockHeld()).toBe(false);
});
