// Issue 8 (copy side): never two writers, never a hang on a lost connection, and a SQLite source
// read from one point in time while an application keeps writing to it.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { copyData } from '../../src/copy/copy-data.js';
import { ConnectionError, CopyError } from '../../src/errors.js';
import { recordingRuntime } from '../../src/runtime.js';
import { createTestDatabase, withAdmin, type TestDatabase } from '../helpers/postgres.js';
import { digestAll } from '../helpers/table-digest.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { copyOptions, makeSqlite } from './copy-helpers.js';

const dir = makeTempDir();
let target: TestDatabase;
let source: TestDatabase;
beforeAll(async () => {
  [target, source] = await Promise.all([createTestDatabase('conc_target'), createTestDatabase('conc_source')]);
});
afterAll(async () => {
  await Promise.all([target.drop(), source.drop()]);
});

async function cutoverBackends(label: string): Promise<Array<{ pid: number; application_name: string; state: string }>> {
  return withAdmin(async (client) => (await client.query(`SELECT pid, application_name, state FROM pg_stat_activity WHERE application_name LIKE $1`, [`${label}%`])).rows);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('two concurrent copies into the same keyless table: one copies, the other waits and then refuses; every id once', async () => {
  const file = await makeSqlite(path.join(dir, 'keyless.db'), `
    CREATE TABLE events (id INTEGER, body TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 240000) INSERT INTO events SELECT i, 'event ' || i FROM n;`);
  await target.query('CREATE TABLE events (id bigint, body text)');
  const runs = await Promise.allSettled([copyData(copyOptions(file, target.location)), copyData(copyOptions(file, target.location))]);
  const fulfilled = runs.filter((r) => r.status === 'fulfilled');
  const rejected = runs.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(fulfilled).toHaveLength(1);
  expect(rejected).toHaveLength(1);
  expect(rejected[0].reason).toBeInstanceOf(CopyError);
  expect(rejected[0].reason.message).toMatch(/target table public\.events is not empty/);
  const counts = await target.query(`SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM events`);
  expect(counts.rows[0]).toEqual({ n: 240000, d: 240000 });
  await target.query('DROP TABLE events');
}, 60_000);

describe('a Postgres backend terminated mid-copy (two transactions in flight)', () => {
  const TABLES = ['public.a', 'public.b'];
  beforeAll(async () => {
    for (const db of [source, target]) await db.query(`CREATE TABLE a (id int PRIMARY KEY, v text); CREATE TABLE b (id int PRIMARY KEY, v text)`);
    await source.query(`INSERT INTO a SELECT i, repeat('x', 200) FROM generate_series(1, 1500000) i; INSERT INTO b SELECT i, repeat('y', 200) FROM generate_series(1, 1500000) i`);
  });

  test.each([
    ['source', 'reader'],
    ['target', 'target'],
  ])('the %s side: the run ends within seconds naming that side; nothing remains, nothing was written', async (side, purpose) => {
    const before = await digestAll(target, TABLES);
    const label = `cutover/test-${crypto.randomBytes(3).toString('hex')}`;
    const options = { ...copyOptions(source.location, target.location, { jobs: 2 }), runLabel: label };
    const copying = copyData(options).then(
      () => undefined,
      (error: unknown) => error,
    );
    const victim = await waitFor(`two COPY statements on the ${side}`, async () => {
      const rows = (await cutoverBackends(label)).filter((r) => r.application_name === `${label} ${purpose}` && r.state === 'active');
      return rows.length >= 2 ? rows[0] : undefined;
    });
    const killedAt = Date.now();
    await withAdmin((client) => client.query('SELECT pg_terminate_backend($1)', [victim.pid]));
    const error = await copying;
    const seconds = (Date.now() - killedAt) / 1000;
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(new RegExp(`connection to the ${side} was lost`));
    expect(seconds).toBeLessThan(15); // bound of the test, not a performance claim
    await waitFor('every connection of the run to close', async () => ((await cutoverBackends(label)).length === 0 ? true : undefined), 10_000);
    expect(await digestAll(target, TABLES)).toEqual(before);
    // The journal table the run created for its two transactions is gone again: nothing committed.
    expect((await target.query(`SELECT to_regclass('cutover_copy_journal') AS t`)).rows[0].t).toBeNull();
  }, 60_000);
});

test('a SQLite source written to during the copy: one point in time, and the log says later writes are not included', async () => {
  const file = path.join(dir, 'busy-app.db');
  await makeSqlite(file, `
    PRAGMA journal_mode = WAL;
    CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE entries (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id), amount INTEGER NOT NULL);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) INSERT INTO accounts SELECT i, 'a' || i FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) INSERT INTO entries SELECT i, i, i FROM n;`);
  await target.query(`
    CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);
    CREATE TABLE entries (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts(id), amount bigint NOT NULL)`);
  // The application: each transaction adds an account and an entry that references it.
  const writer = spawn(path.resolve('node_modules/.bin/node'), ['--import', './scripts/register-ts.mjs', '-e', `
    const { loadSqlite } = await import('./src/db/sqlite-driver.ts');
    const Database = await loadSqlite();
    const db = new Database(${JSON.stringify(file)});
    db.pragma('busy_timeout = 5000');
    const add = db.transaction((i) => {
      db.prepare('INSERT INTO accounts (id, name) VALUES (?, ?)').run(i, 'late ' + i);
      db.prepare('INSERT INTO entries (id, account_id, amount) VALUES (?, ?, 1)').run(i, i);
    });
    let i = 1000000;
    process.stdout.write('writing\\n');
    setInterval(() => add(i++), 2);
  `], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise((resolve) => writer.stdout.once('data', resolve));
    const runtime = recordingRuntime();
    const outcome = await copyData(copyOptions({ kind: 'sqlite', path: file }, target.location, { jobs: 1 }, runtime));
    expect(outcome.verified).toBe(true);
    expect(outcome.warnings.join('\n')).toMatch(/was written to by another process during the copy; every table was read from one snapshot/);
    // Parents and children come from the same instant: every entry's account was copied.
    const orphans = await target.query(`SELECT count(*)::int AS n FROM entries e WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = e.account_id)`);
    expect(orphans.rows[0].n).toBe(0);
    const counts = await target.query(`SELECT (SELECT count(*) FROM accounts)::int AS a, (SELECT count(*) FROM entries)::int AS e`);
    expect(counts.rows[0].a).toBe(counts.rows[0].e);
  } finally {
    writer.kill('SIGKILL');
  }
  await target.query('DROP TABLE entries, accounts');
}, 60_000);
