// Issue 7: every copy ends with the target identical to the source or exactly as it was. Each case
// runs as a non-superuser target role where ownership matters, and checks the outcome with an
// independent md5 of the rows (test/helpers/table-digest.ts), not with cutover's own checksums.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { copyData } from '../../src/copy/copy-data.js';
import { CopyError } from '../../src/errors.js';
import { recordingRuntime, type RecordedRuntime } from '../../src/runtime.js';
import { createTestDatabase, withAdmin, type TestDatabase } from '../helpers/postgres.js';
import { digestAll, tableDigest } from '../helpers/table-digest.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { asRole, copyOptions, makeSqlite } from './copy-helpers.js';

const ROLE = `copier_${crypto.randomBytes(3).toString('hex')}`;
const OTHER = `app_owner_${crypto.randomBytes(3).toString('hex')}`;
const PASSWORD = 'Copier-Pw-42x';
let db: TestDatabase;
const dir = makeTempDir();

beforeAll(async () => {
  db = await createTestDatabase('exact');
  await withAdmin(async (client) => {
    await client.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`);
    await client.query(`CREATE ROLE ${OTHER} NOLOGIN`);
  });
  await db.query(`GRANT ALL ON SCHEMA public TO ${ROLE}`);
});
afterAll(async () => {
  await db.drop();
  await withAdmin(async (client) => {
    await client.query(`DROP ROLE IF EXISTS ${ROLE}`);
    await client.query(`DROP ROLE IF EXISTS ${OTHER}`);
  });
});

const ORDERS_SQL = `
  CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT NOT NULL, placed_at TEXT);
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
    INSERT INTO orders SELECT i, 'item ' || i, CASE WHEN i % 2 = 0 THEN '2024-01-02 03:04:05' END FROM n;`;

/** The target table `orders` with a BEFORE INSERT trigger that fills placed_at, owned by `owner`. */
async function ordersWithTrigger(owner: string): Promise<void> {
  await db.query(`
    DROP TABLE IF EXISTS orders;
    CREATE TABLE orders (id bigint PRIMARY KEY, item text NOT NULL, placed_at timestamp);
    CREATE FUNCTION fill_placed_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.placed_at := coalesce(NEW.placed_at, now()); RETURN NEW; END $$;
    CREATE TRIGGER orders_placed_at BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION fill_placed_at();
    ALTER TABLE orders OWNER TO ${owner};
    GRANT SELECT, INSERT, TRUNCATE ON orders TO ${ROLE};`);
}

async function dropOrders(): Promise<void> {
  await db.query('DROP TABLE IF EXISTS orders; DROP FUNCTION IF EXISTS fill_placed_at()');
}
beforeEach(dropOrders);

function logged(runtime: RecordedRuntime, level: 'info' | 'warning'): string {
  return runtime.logs.filter((l) => l.level === level).map((l) => l.message).join('\n');
}

test('owned table with a data-changing trigger: exact rows, trigger enabled again afterwards', async () => {
  const source = await makeSqlite(path.join(dir, 'orders.db'), ORDERS_SQL);
  await ordersWithTrigger(ROLE);
  const outcome = await copyData(copyOptions(source, asRole(db.location, ROLE, PASSWORD)));
  expect(outcome.verified).toBe(true);
  const nulls = await db.query(`SELECT count(*)::int AS n FROM orders WHERE placed_at IS NULL`);
  expect(nulls.rows[0].n).toBe(1000);
  const trigger = await db.query(`SELECT tgenabled FROM pg_trigger WHERE tgname = 'orders_placed_at'`);
  expect(trigger.rows[0].tgenabled).toBe('O');
});

test('table the role does not own, with such a trigger: rolled back before commit, target untouched, triggers named', async () => {
  const source = await makeSqlite(path.join(dir, 'orders.db'), ORDERS_SQL);
  await ordersWithTrigger(OTHER);
  const before = await tableDigest(db, 'orders');
  const runtime = recordingRuntime();
  const outcome = await copyData(copyOptions(source, asRole(db.location, ROLE, PASSWORD), {}, runtime));
  expect(outcome.verified).toBe(false);
  expect(outcome.tables[0]).toMatchObject({ table: 'public.orders', sourceRows: 2000, targetRows: 2000, checksumMatch: false });
  expect(await tableDigest(db, 'orders')).toEqual(before);
  expect(before.rows).toBe(0);
  expect(outcome.warnings.join('\n')).toMatch(/does not own this target table, so it cannot disable its triggers, which will fire during the load: orders_placed_at \(BEFORE INSERT, for each row\).*rolled back/);
  expect(logged(runtime, 'info')).toMatch(/DIFFERENCES FOUND; rolled back, the target is as it was/);
});

test('FORCE ROW LEVEL SECURITY on an owned table: lifted for the load, restored, every row copied', async () => {
  const source = await makeSqlite(path.join(dir, 'orders.db'), ORDERS_SQL);
  await db.query(`
    CREATE TABLE orders (id bigint PRIMARY KEY, item text NOT NULL, placed_at timestamp);
    ALTER TABLE orders ENABLE ROW LEVEL SECURITY; ALTER TABLE orders FORCE ROW LEVEL SECURITY;
    CREATE POLICY only_even ON orders USING (id % 2 = 0) WITH CHECK (id % 2 = 0);
    ALTER TABLE orders OWNER TO ${ROLE};`);
  const outcome = await copyData(copyOptions(source, asRole(db.location, ROLE, PASSWORD)));
  expect(outcome.verified).toBe(true);
  expect((await tableDigest(db, 'orders')).rows).toBe(2000);
  const flags = await db.query(`SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'orders'`);
  expect(flags.rows[0]).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
});

test('row-level security on a table the role does not own: an error that names it, target untouched', async () => {
  const source = await makeSqlite(path.join(dir, 'orders.db'), ORDERS_SQL);
  await db.query(`
    CREATE TABLE orders (id bigint PRIMARY KEY, item text NOT NULL, placed_at timestamp);
    ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
    CREATE POLICY everything ON orders USING (true) WITH CHECK (true);
    ALTER TABLE orders OWNER TO ${OTHER};
    GRANT SELECT, INSERT ON orders TO ${ROLE};`);
  const error = await copyData(copyOptions(source, asRole(db.location, ROLE, PASSWORD))).catch((e) => e);
  expect(error).toBeInstanceOf(CopyError);
  // Found by the preflight, before anything is written; the problem itself names the fix.
  expect(error.message).toMatch(/target table public\.orders has row-level security enabled.*copy as the table's owner or a role with BYPASSRLS/);
  expect((await tableDigest(db, 'orders')).rows).toBe(0);
});

test('the same database as source and target is refused before anything is done', async () => {
  await db.query(`CREATE TABLE same_t (id int PRIMARY KEY, v text); INSERT INTO same_t SELECT i, 'v' || i FROM generate_series(1, 100) i`);
  const before = await tableDigest(db, 'same_t');
  // Another spelling of the same server: localhost instead of 127.0.0.1.
  const alias = { ...db.location, host: db.location.host === '127.0.0.1' ? 'localhost' : db.location.host };
  const error = await copyData(copyOptions(alias, db.location, { ifTargetNotEmpty: 'truncate' })).catch((e) => e);
  expect(error).toBeInstanceOf(CopyError);
  expect(error.message).toMatch(/lead to the same database.*would empty them.*Nothing was done/);
  expect(await tableDigest(db, 'same_t')).toEqual(before);
  await db.query('DROP TABLE same_t');
});

describe('a process killed between two COMMITs', () => {
  const TABLES = ['public.kv', 'public.users'];
  let target: TestDatabase;
  let source: ReturnType<typeof makeSqlite> extends Promise<infer T> ? T : never;
  beforeAll(async () => {
    target = await createTestDatabase('halfcommit');
    source = await makeSqlite(path.join(dir, 'two-groups.db'), `
      CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT);
      CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
        INSERT INTO kv SELECT 'k' || i, 'v' || i FROM n;
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
        INSERT INTO users SELECT i, 'u' || i || '@example.com' FROM n;`);
    await target.query(`CREATE TABLE kv (k text PRIMARY KEY, v text); CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL)`);
  });
  afterAll(() => target.drop());

  function killedRun(): Promise<{ signal: string | null; output: string }> {
    const child = spawn(path.resolve('node_modules/.bin/node'), ['--import', './scripts/register-ts.mjs', 'test/fixtures/copy-child-kill-at.ts'], {
      env: { PATH: process.env.PATH ?? '', SOURCE: (source as { path: string }).path, TARGET_URL: target.url, KILL_AT: '^Committed transaction 1 of 2' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve) => child.on('exit', (_code, signal) => resolve({ signal, output })));
  }

  test('the next copy undoes the half-commit, then copies every row once', async () => {
    const run = await killedRun();
    expect({ signal: run.signal, committed: /Committed transaction 1 of 2/.test(run.output) }).toEqual({ signal: 'SIGKILL', committed: true });
    const half = await digestAll(target, TABLES);
    // Exactly one of the two transactions committed, and the journal says so.
    expect([half['public.kv'].rows, half['public.users'].rows].sort()).toEqual([0, 5000]);
    const journal = await target.query(`SELECT count(DISTINCT group_no)::int AS committed, max(groups)::int AS groups FROM cutover_copy_journal`);
    expect(journal.rows[0]).toEqual({ committed: 1, groups: 2 });

    const runtime = recordingRuntime();
    const outcome = await copyData(copyOptions(source, target.location, {}, runtime));
    expect(logged(runtime, 'warning')).toMatch(/interrupted after committing 1 of its 2 transactions.*emptied again.*as it was before that run/);
    expect(outcome.verified).toBe(true);
    const after = await digestAll(target, TABLES);
    expect([after['public.kv'].rows, after['public.users'].rows]).toEqual([5000, 5000]);
    expect((await target.query(`SELECT to_regclass('cutover_copy_journal') AS t`)).rows[0].t).toBeNull();
  }, 60_000);

  test('an application holding a half-committed table: the undo waits at most lock-timeout, then says so, changing nothing', async () => {
    await target.query('TRUNCATE kv, users');
    const run = await killedRun();
    expect(run.signal).toBe('SIGKILL');
    const half = await digestAll(target, TABLES);
    const filled = half['public.kv'].rows > 0 ? 'kv' : 'users';
    const app = new pg.Client({ connectionString: target.url, application_name: 'the-app' });
    await app.connect();
    await app.query('BEGIN');
    await app.query(`LOCK TABLE ${filled} IN ACCESS SHARE MODE`);
    try {
      const started = Date.now();
      const error = await copyData({ ...copyOptions(source, target.location), lockTimeoutMs: 1_500 }).then(() => undefined, (e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(String((error as Error)?.message)).toMatch(/interrupted half-way.*waited longer than lock-timeout.*Nothing was changed/);
      expect(await digestAll(target, TABLES)).toEqual(half);
    } finally {
      await app.query('ROLLBACK');
      await app.end();
    }
    // Once the application lets go, the next copy undoes the half-commit and copies every row.
    const outcome = await copyData(copyOptions(source, target.location));
    expect(outcome.verified).toBe(true);
  }, 90_000);

  test('a half-committed table written to since is not emptied: a clear error instead', async () => {
    await target.query('TRUNCATE kv, users');
    const run = await killedRun();
    expect(run.signal).toBe('SIGKILL');
    const filled = (await target.query(`SELECT table_name FROM cutover_copy_journal`)).rows[0].table_name as string;
    await target.query(filled.includes('kv') ? `INSERT INTO kv VALUES ('app-wrote', 'x')` : `INSERT INTO users (id, email) VALUES (999999, 'app@example.com')`);
    const before = await digestAll(target, TABLES);
    const error = await copyData(copyOptions(source, target.location)).catch((e) => e);
    expect(error).toBeInstanceOf(CopyError);
    expect(error.message).toMatch(/interrupted after committing 1 of its 2 transactions.*written to since.*will not empty them/);
    expect(error.fix).toMatch(/DELETE FROM "public"."cutover_copy_journal" WHERE run_id = '/);
    expect(await digestAll(target, TABLES)).toEqual(before);
  }, 60_000);
});
