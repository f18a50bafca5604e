// status / migrate / rollback / baseline against a real PostgreSQL, with the repository's example
// migrations and a JS-module fixture; checks the history rows the runs leave behind.
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { fixture, historyNames, migrationOptions, REPO_MIGRATIONS, resetSchema, run, tableExists } from './migrate-helpers.js';
import { runMigrations } from '../../src/migrate/run-migrations.js';
import { formatError } from '../../src/errors.js';
import { recordingRuntime } from '../../src/runtime.js';
import { migrationChecksum } from '../../src/migrate/migration-files.js';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';

const ALL = ['001_create_users', '002_create_orders', '003_create_events', '004_index_events_by_user_time'];
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('migrate_pg');
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await resetSchema(db);
});

describe('runMigrations on PostgreSQL', () => {
  test('status on a fresh database lists everything as pending and creates nothing', async () => {
    const outcome = await run(db.location, REPO_MIGRATIONS, { mode: 'status' });
    expect(outcome.pending).toEqual(ALL);
    expect(outcome.applied).toEqual([]);
    expect(outcome.entries.map((e) => e.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(outcome.entries[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(await tableExists(db, 'public.cutover_migrations')).toBe(false);
  });

  test('migrate applies every pending migration and records a history row for each', async () => {
    const before = Date.now();
    const outcome = await run(db.location, REPO_MIGRATIONS, { appliedBy: 'octocat run https://github.com/o/r/actions/runs/1' });
    expect(outcome.applied).toEqual(ALL);
    expect(outcome.pending).toEqual([]);
    expect(outcome.entries.map((e) => [e.name, e.status])).toEqual(ALL.map((n) => [n, 'applied']));

    for (const table of ['users', 'orders', 'events']) expect(await tableExists(db, `public.${table}`)).toBe(true);
    const { rows: index } = await db.query(`SELECT indexname FROM pg_indexes WHERE indexname = 'events_user_id_occurred_at_idx'`);
    expect(index).toHaveLength(1);

    const { rows } = await db.query('SELECT name, checksum, applied_at, duration_ms, applied_by FROM cutover_migrations ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(ALL);
    const up = fs.readFileSync(path.join(REPO_MIGRATIONS, '001_create_users.up.sql'), 'utf8');
    expect(rows[0].checksum).toBe(migrationChecksum(up));
    for (const row of rows) {
      expect(row.applied_by).toBe('octocat run https://github.com/o/r/actions/runs/1');
      expect(row.duration_ms).toBeGreaterThanOrEqual(0);
      expect(row.applied_at.getTime()).toBeGreaterThanOrEqual(before - 5000);
    }
    // Columns and key of the history table.
    const { rows: columns } = await db.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'cutover_migrations' ORDER BY ordinal_position`);
    expect(columns.map((c) => `${c.column_name}:${c.data_type}`)).toEqual(['name:text', 'checksum:text', 'applied_at:timestamp with time zone', 'duration_ms:integer', 'applied_by:text']);
    const { rows: pk } = await db.query(`SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'cutover_migrations'::regclass AND i.indisprimary`);
    expect(pk.map((r) => r.attname)).toEqual(['name']);

    // The entries carry what the history says.
    expect(outcome.entries[0]).toMatchObject({ appliedBy: 'octocat run https://github.com/o/r/actions/runs/1', checksum: rows[0].checksum });
    expect(typeof outcome.entries[0].appliedAt).toBe('string');
  });

  test('a second migrate finds nothing pending; status then shows everything applied', async () => {
    await run(db.location, REPO_MIGRATIONS);
    const again = await run(db.location, REPO_MIGRATIONS);
    expect(again.applied).toEqual([]);
    expect(again.entries.every((e) => e.status === 'already-applied')).toBe(true);
    const status = await run(db.location, REPO_MIGRATIONS, { mode: 'status' });
    expect(status.entries.map((e) => e.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(status.pending).toEqual([]);
  });

  test('migrate to a name stops after it (inclusive); an id alone also works', async () => {
    const first = await run(db.location, REPO_MIGRATIONS, { to: '002_create_orders' });
    expect(first.applied).toEqual(['001_create_users', '002_create_orders']);
    expect(first.pending).toEqual(['003_create_events', '004_index_events_by_user_time']);
    expect(await tableExists(db, 'public.events')).toBe(false);
    const second = await run(db.location, REPO_MIGRATIONS, { to: '003' });
    expect(second.applied).toEqual(['003_create_events']);
  });

  test('rollback reverts the last `steps` migrations, newest first, and deletes their rows', async () => {
    await run(db.location, REPO_MIGRATIONS);
    const one = await run(db.location, REPO_MIGRATIONS, { mode: 'rollback' });
    expect(one.applied).toEqual(['004_index_events_by_user_time']);
    expect(one.pending).toEqual(['004_index_events_by_user_time']);
    expect(one.entries.find((e) => e.name === '004_index_events_by_user_time')?.status).toBe('rolled-back');
    const two = await run(db.location, REPO_MIGRATIONS, { mode: 'rollback', steps: 2 });
    expect(two.applied).toEqual(['003_create_events', '002_create_orders']);
    expect(await historyNames(db)).toEqual(['001_create_users']);
    expect(await tableExists(db, 'public.orders')).toBe(false);
    expect(await tableExists(db, 'public.users')).toBe(true);
  });

  test('rollback to a name reverts everything after it (exclusive)', async () => {
    await run(db.location, REPO_MIGRATIONS);
    const outcome = await run(db.location, REPO_MIGRATIONS, { mode: 'rollback', to: '001_create_users', steps: 1 });
    expect(outcome.applied).toEqual(['004_index_events_by_user_time', '003_create_events', '002_create_orders']);
    expect(await historyNames(db)).toEqual(['001_create_users']);
  });

  test('rollback with nothing applied does nothing and creates nothing', async () => {
    const outcome = await run(db.location, REPO_MIGRATIONS, { mode: 'rollback' });
    expect(outcome.applied).toEqual([]);
    expect(await tableExists(db, 'public.cutover_migrations')).toBe(false);
  });

  test('baseline records migrations as applied without running them', async () => {
    // The schema exists already (made by hand or by another tool); baseline adopts it up to 002.
    await db.query('CREATE TABLE users (id bigint PRIMARY KEY); CREATE TABLE orders (id bigint PRIMARY KEY)');
    const outcome = await run(db.location, REPO_MIGRATIONS, { mode: 'baseline', to: '002_create_orders' });
    expect(outcome.applied).toEqual(['001_create_users', '002_create_orders']);
    expect(outcome.entries.map((e) => e.status)).toEqual(['baselined', 'baselined', 'pending', 'pending']);
    const { rows } = await db.query('SELECT name, duration_ms, applied_by FROM cutover_migrations ORDER BY name');
    expect(rows).toEqual([
      { name: '001_create_users', duration_ms: null, applied_by: 'jest (baseline)' },
      { name: '002_create_orders', duration_ms: null, applied_by: 'jest (baseline)' },
    ]);
    // The hand-made users table has no email column: proof that 001 did not run.
    const { rows: cols } = await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'users'`);
    expect(cols.map((c) => c.column_name)).toEqual(['id']);
    // Without `to`, baseline records everything still pending.
    const rest = await run(db.location, REPO_MIGRATIONS, { mode: 'baseline' });
    expect(rest.applied).toEqual(['003_create_events', '004_index_events_by_user_time']);
    expect(await tableExists(db, 'public.events')).toBe(false);
  });

  test('JS migrations get sql() with parameters, run in order with SQL files, and roll back', async () => {
    const dir = fixture('migrations-js');
    const outcome = await run(db.location, dir);
    expect(outcome.applied).toEqual(['001_create_things', '002_seed_things', '003_label_upper']);
    const { rows } = await db.query('SELECT id, label FROM things ORDER BY id');
    expect(rows).toEqual([{ id: 1, label: 'ONE' }, { id: 2, label: 'TWO' }]);

    // 003 has no down: rolling it back is refused before anything changes.
    const refused = await runMigrations(migrationOptions(db.location, dir, { mode: 'rollback' })).catch((e) => e);
    expect(refused.name).toBe('MigrationPlanError');
    expect(refused.message).toContain('003_label_upper (its module exports no down function)');
    expect(await historyNames(db)).toHaveLength(3);

    await db.query(`DELETE FROM cutover_migrations WHERE name = '003_label_upper'`);
    const back = await run(db.location, dir, { mode: 'rollback' });
    expect(back.applied).toEqual(['002_seed_things']);
    expect((await db.query('SELECT count(*)::int AS n FROM things')).rows[0].n).toBe(0);
  });

  test('the history table stays in the starting schema even when a migration changes search_path', async () => {
    const dir = makeTempDir('cutover-searchpath-');
    writeFiles(dir, {
      '001_other_schema.up.sql': 'CREATE SCHEMA other; SET search_path = other; CREATE TABLE t (id int);',
      '002_more.up.sql': 'CREATE TABLE u (id int);',
    });
    const outcome = await run(db.location, dir);
    expect(outcome.applied).toEqual(['001_other_schema', '002_more']);
    expect(await historyNames(db)).toEqual(['001_other_schema', '002_more']);
    expect(await tableExists(db, 'other.cutover_migrations')).toBe(false);
    expect(await tableExists(db, 'other.u')).toBe(true);
    await db.query('DROP SCHEMA other CASCADE');
  });

  test('a transaction-pooler target (pgbouncer=true) is routed to the session port, with a warning', async () => {
    const runtime = recordingRuntime();
    const pooled = { ...db.location, params: { ...db.location.params, pgbouncer: 'true' } };
    // Nothing is expected on port 5432 of the test host, so the run fails; what matters is where it went.
    const outcome = await run(pooled, REPO_MIGRATIONS, { mode: 'status', runtime }).catch((error) => error);
    const warning = runtime.logs.find((l) => l.level === 'warning');
    expect(warning?.message).toContain('cannot hold the session advisory lock');
    expect(warning?.message).toContain('port 5432');
    if (outcome instanceof Error) expect(formatError(outcome)).toContain('port 5432');
    else expect(outcome.warnings[0]).toBe(warning?.message);
  });
});
