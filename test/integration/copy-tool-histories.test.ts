// The case: a SQLite dev database that has its own alembic_version, copied into a Postgres
// that `alembic upgrade head` migrated (so it has a non-empty alembic_version too). With no flags the
// copy succeeds and says which table it left out and why; before, it failed on
// "public.alembic_version is not empty".
import path from 'node:path';
import { runMode } from '../../src/engine/run-mode.js';
import { renderReport } from '../../src/report/render-report.js';
import { recordingRuntime } from '../../src/runtime.js';
import { buildSettings } from '../../src/settings.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { alembic, copyFixtureProject } from '../helpers/python-tools.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { makeSqlite } from './copy-helpers.js';

let target: TestDatabase;
let project: string;
let source: string;

beforeAll(async () => {
  target = await createTestDatabase('copy_alembic');
  project = copyFixtureProject('alembic-project');
  alembic(['upgrade', 'head'], project, target.url);
  const dir = makeTempDir('copy-alembic-');
  source = path.join(dir, 'dev.db');
  // What `alembic upgrade head` leaves in a SQLite dev database, with the app's rows.
  await makeSqlite(source, `
    CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
    INSERT INTO alembic_version VALUES ('c3d4e5f6a7b8');
    CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE, is_admin BOOLEAN NOT NULL DEFAULT 0, created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP);
    CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), total_cents INTEGER NOT NULL, status VARCHAR(20) NOT NULL DEFAULT 'new');
    INSERT INTO users VALUES (1, 'ada@example.com', 1, '2024-03-01 10:00:00'), (2, 'grace@example.com', 0, '2024-03-02 11:00:00');
    INSERT INTO orders VALUES (1, 1, 1200, 'paid'), (2, 2, 800, 'new'), (3, 1, 450, 'shipped');
  `);
});
afterAll(async () => {
  await target?.drop();
});

function settings(mode: 'copy' | 'verify') {
  return buildSettings({ mode, 'source-url': `sqlite:${source}`, 'target-url': target.url }, { origin: 'cli', env: { RUNNER_TEMP: makeTempDir('copy-alembic-run-') }, cwd: project });
}

test('copy with no flags: alembic_version is left out on both sides, the rows are copied and verified', async () => {
  const result = await runMode(settings('copy'), recordingRuntime());
  expect(result.error).toBeUndefined();
  expect(result.ok).toBe(true);
  expect(result.verified).toBe(true);
  expect(result.leftOut).toEqual([{ table: 'public.alembic_version', reason: 'migration history of Alembic' }]);
  expect(result.tables.map((t) => [t.table, t.targetRows]).sort()).toEqual([['public.orders', 3], ['public.users', 2]]);
  expect((await target.query('SELECT version_num FROM alembic_version')).rows).toEqual([{ version_num: 'c3d4e5f6a7b8' }]);
  const report = renderReport(result);
  expect(report).toContain('migration history of Alembic');
  expect(report).toContain('public.alembic_version');
});

test('verify leaves it out too, and passes', async () => {
  const result = await runMode(settings('verify'), recordingRuntime());
  expect(result.error).toBeUndefined();
  expect(result.verified).toBe(true);
  expect(result.leftOut).toEqual([{ table: 'public.alembic_version', reason: 'migration history of Alembic' }]);
});

test('cutover with migrate-command: Alembic migrates an empty Postgres, the SQLite data is copied and verified, and the undo is alembic downgrade', async () => {
  const fresh = await createTestDatabase('cutover_alembic');
  try {
    const settings = buildSettings(
      { mode: 'cutover', 'source-url': `sqlite:${source}`, 'target-url': fresh.url, 'migrate-command': 'alembic upgrade head' },
      { origin: 'cli', env: { RUNNER_TEMP: makeTempDir('cutover-alembic-run-') }, cwd: project },
    );
    const result = await runMode(settings, recordingRuntime(), { ...process.env, PYTHONDONTWRITEBYTECODE: '1' });
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);
    expect(result.migrations.map((m) => m.status)).toEqual(['applied', 'applied', 'applied']);
    expect(result.leftOut).toEqual([{ table: 'public.alembic_version', reason: 'migration history of Alembic' }]);
    expect(result.rollback).toContain("Undo this run's 3 migrations (a1b2c3d4e5f6 (create users), b2c3d4e5f6a7 (create orders), c3d4e5f6a7b8 (add order status)) with the tool that applied them, DATABASE_URL set to the target: the command below.");
    expect(result.rollbackCommand).toBe('alembic downgrade base');
    expect((await fresh.query('SELECT count(*)::int AS n FROM orders')).rows[0].n).toBe(3);
  } finally {
    await fresh.drop();
  }
});
