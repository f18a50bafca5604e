// migrate-command with the real `alembic` command against a real PostgreSQL, through the engine's
// front door: migrate on an empty database, status from alembic_version, rollback-command, four
// concurrent runs (each revision applied once, no errors: cutover's lock), a failing revision (exit
// code and Alembic's error tail, nothing half-applied), a tool missing from the job (exit 127), a
// command that hangs (timeout, lock released, process group gone), a password the command prints.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runMode } from '../../src/engine/run-mode.js';
import { CancelledError } from '../../src/errors.js';
import { recordingRuntime } from '../../src/runtime.js';
import { buildSettings, type RawInputs } from '../../src/settings.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { copyFixtureProject } from '../helpers/python-tools.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';
import { REPO_MIGRATIONS } from './migrate-helpers.js';

const REVISIONS = ['a1b2c3d4e5f6 (create users)', 'b2c3d4e5f6a7 (create orders)', 'c3d4e5f6a7b8 (add order status)'];
const databases: TestDatabase[] = [];
let project: string;

beforeAll(() => {
  project = copyFixtureProject('alembic-project');
});
afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
});

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase('alembic_cmd');
  databases.push(db);
  return db;
}

async function run(db: TestDatabase, raw: RawInputs, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const runtime = recordingRuntime();
  const cwd = options.cwd ?? project;
  const settings = buildSettings({ 'target-url': db.url, 'migrate-command': 'alembic upgrade head', 'lock-timeout': '60', ...raw }, { origin: 'cli', env: { RUNNER_TEMP: makeTempDir('alembic-cmd-') }, cwd });
  const result = await runMode(settings, runtime, { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...options.env });
  return { result, runtime };
}

const versionOf = async (db: TestDatabase) => (await db.query('SELECT version_num FROM alembic_version')).rows.map((r) => r.version_num);
const heldMigrationLocks = async (db: TestDatabase) =>
  Number((await db.query(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)).rows[0].n);

describe('one database through migrate, status, rollback', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await database();
  });

  test('migrate on an empty database applies the three revisions, read back from alembic_version', async () => {
    const { result, runtime } = await run(db, { mode: 'migrate' });
    expect(result.error).toBeUndefined();
    expect(result.migrations.map((m) => [m.name, m.status])).toEqual(REVISIONS.map((name) => [name, 'applied']));
    expect(result.notes.find((n) => n.startsWith('migrate-command'))).toMatch(/^migrate-command `alembic upgrade head` applied 3 migrations in \d+\.\d s: a1b2c3d4e5f6 \(create users\), b2c3d4e5f6a7 \(create orders\), c3d4e5f6a7b8 \(add order status\)\.$/);
    expect(await versionOf(db)).toEqual(['c3d4e5f6a7b8']);
    expect((await db.query(`SELECT to_regclass('public.orders') AS t`)).rows[0].t).toBe('orders');
    // Alembic's own output went through the log (redacted), inside the command's group.
    expect(runtime.groups).toContain('migrate-command: alembic upgrade head');
    expect(runtime.logs.some((l) => /Running upgrade b2c3d4e5f6a7 -> c3d4e5f6a7b8, add order status/.test(l.message))).toBe(true);
    expect(await heldMigrationLocks(db)).toBe(0);
  });

  test('status shows the head and nothing pending', async () => {
    const { result } = await run(db, { mode: 'status', 'status-command': 'alembic current' });
    expect(result.error).toBeUndefined();
    expect(result.notes).toContain('Managed by Alembic: public.alembic_version records head c3d4e5f6a7b8; alembic/versions has 3 revisions, 0 pending.');
    expect(result.migrations.map((m) => m.status)).toEqual(['applied', 'applied', 'applied']);
    expect(result.notes.find((n) => n.startsWith('status-command'))).toMatch(/status-command `alembic current` succeeded; .*c3d4e5f6a7b8 \(head\)/);
  });

  test('rollback-command reverts one revision and the report says which', async () => {
    const { result } = await run(db, { mode: 'rollback', 'rollback-command': 'alembic downgrade -1' });
    expect(result.error).toBeUndefined();
    expect(result.migrations.map((m) => [m.name, m.status])).toEqual([
      [REVISIONS[0], 'already-applied'],
      [REVISIONS[1], 'already-applied'],
      [REVISIONS[2], 'rolled-back'],
    ]);
    expect(await versionOf(db)).toEqual(['b2c3d4e5f6a7']);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'status'`);
    expect(rows[0].n).toBe(0);
  });

  test('rollback with migrate-command but no rollback-command says what to set', async () => {
    const { result } = await run(db, { mode: 'rollback' });
    expect(result.ok).toBe(false);
    expect(result.error).toContain('rollback with --migrate-command needs --rollback-command');
    expect(result.error).toContain('alembic downgrade -1');
  });
});

test('four concurrent runs: each revision applied exactly once, no run fails', async () => {
  const db = await database();
  const runs = await Promise.all([1, 2, 3, 4].map(() => run(db, { mode: 'migrate' })));
  for (const { result } of runs) expect(result.error).toBeUndefined();
  const applied = runs.flatMap(({ result }) => result.histories?.[0].changed ?? []);
  expect(applied.sort()).toEqual(REVISIONS);
  expect(await versionOf(db)).toEqual(['c3d4e5f6a7b8']);
  // The runs that found nothing to do say so.
  expect(runs.filter(({ result }) => result.notes.some((n) => /applied 0 migrations/.test(n)))).toHaveLength(3);
});

test('a failing revision: exit code and the Alembic error tail, nothing of it left behind', async () => {
  const db = await database();
  const broken = copyFixtureProject('alembic-project');
  expect((await run(db, { mode: 'migrate' }, { cwd: broken })).result.error).toBeUndefined();
  writeFiles(path.join(broken, 'alembic/versions'), {
    'd4e5f6a7b8c9_add_audit_log.py': `"""add audit log

Revision ID: d4e5f6a7b8c9
Revises: c3d4e5f6a7b8
"""
from alembic import op
import sqlalchemy as sa

revision = 'd4e5f6a7b8c9'
down_revision = 'c3d4e5f6a7b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_log', sa.Column('id', sa.Integer(), primary_key=True))
    op.execute('ALTER TABLE no_such_table ADD COLUMN note text')


def downgrade():
    op.drop_table('audit_log')
`,
  });
  const { result } = await run(db, { mode: 'migrate' }, { cwd: broken });
  expect(result.ok).toBe(false);
  expect(result.error).toContain('migrate-command `alembic upgrade head` failed with exit code 1');
  expect(result.error).toContain('By its history table it applied nothing.');
  expect(result.error).toMatch(/relation "no_such_table" does not exist/);
  expect(result.migrations.find((m) => m.name === 'd4e5f6a7b8c9 (add audit log)')?.status).toBe('pending');
  expect((await db.query(`SELECT to_regclass('public.audit_log') AS t`)).rows[0].t).toBeNull();
  expect(await versionOf(db)).toEqual(['c3d4e5f6a7b8']);
  expect(await heldMigrationLocks(db)).toBe(0);
});

test('a tool the job does not have: exit 127 says it is not installed and what setup step to add', async () => {
  const db = await database();
  // A PATH with bash but without alembic.
  const bin = makeTempDir('no-alembic-');
  fs.symlinkSync(execFileSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim(), path.join(bin, 'bash'));
  const { result } = await run(db, { mode: 'migrate' }, { env: { PATH: bin } });
  expect(result.ok).toBe(false);
  expect(result.error).toContain('alembic is not installed in this job (exit 127: command not found): add a setup step that installs it');
  expect(result.error).toContain('pip install');
});

test('a command that hangs is stopped at migrate-command-timeout, with its process group, and the lock is released', async () => {
  const db = await database();
  const { result } = await run(db, { mode: 'migrate', 'migrate-command': 'sleep 37.25 & sleep 37.5; wait', 'migrate-command-timeout': '1' });
  expect(result.ok).toBe(false);
  expect(result.error).toContain('migrate-command `sleep 37.25 & sleep 37.5; wait` was still running after 1 s (migrate-command-timeout) and was stopped');
  expect(result.error).toContain('the migration lock was released');
  expect(result.error).toContain('Fix: find what it waited for');
  expect(await heldMigrationLocks(db)).toBe(0);
  const left = execFileSync('bash', ['-c', 'pgrep -f "sleep 37\\.(25|5)" || true'], { encoding: 'utf8' }).trim();
  expect(left).toBe('');
});

test('a command that prints the password: masked in the log and in the error', async () => {
  const db = await database();
  const password = new URL(db.url).password;
  expect(password.length).toBeGreaterThanOrEqual(8);
  const { result, runtime } = await run(db, { mode: 'migrate', 'migrate-command': 'echo "url $DATABASE_URL"; echo "pw $PGPASSWORD"; exit 3' });
  expect(result.ok).toBe(false);
  expect(result.error).toContain('failed with exit code 3');
  expect(result.error).toContain('pw ***');
  const everything = JSON.stringify({ logs: runtime.logs, result });
  expect(everything).not.toContain(password);
  expect(runtime.logs.some((l) => l.message.startsWith('url postgresql://postgres:***@'))).toBe(true);
});

test('migrate-command and cutover migration files both present: the warning says the command runs and the files do not', async () => {
  const db = await database();
  const dir = copyFixtureProject('alembic-project');
  fs.cpSync(REPO_MIGRATIONS, path.join(dir, 'migrations'), { recursive: true });
  const { result } = await run(db, { mode: 'migrate' }, { cwd: dir });
  expect(result.error).toBeUndefined();
  expect(result.warnings).toContain(
    'migrate-command is set, so `alembic upgrade head` runs and the 4 cutover migrations in migrations (001_create_users, 002_create_orders, 003_create_events, …) do not: remove migrate-command to run them with cutover, or move them out of migrations-dir.',
  );
  expect((await db.query(`SELECT to_regclass('public.cutover_migrations') AS t`)).rows[0].t).toBeNull();
});

test('a cancelled run stops the command, says what it had applied, and releases the lock', async () => {
  const db = await database();
  const controller = new AbortController();
  const settings = buildSettings({ mode: 'migrate', 'target-url': db.url, 'migrate-command': 'alembic upgrade head && sleep 38.5' }, { origin: 'cli', env: { RUNNER_TEMP: makeTempDir('alembic-cancel-') }, cwd: project });
  const runtime = recordingRuntime();
  // Cancel once Alembic has applied its revisions and the command sleeps.
  const watcher = setInterval(() => {
    if (runtime.logs.some((l) => /Running upgrade b2c3d4e5f6a7 -> c3d4e5f6a7b8/.test(l.message))) {
      clearInterval(watcher);
      setTimeout(() => controller.abort(new CancelledError('Cancelled (SIGTERM)')), 300);
    }
  }, 50);
  const result = await runMode(settings, runtime, { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }, controller.signal);
  clearInterval(watcher);
  expect(result.ok).toBe(false);
  expect(result.cancelled).toBe(
    'Cancelled (SIGTERM): migrate-command `alembic upgrade head && sleep 38.5` was stopped; by the tool\'s history table it had applied a1b2c3d4e5f6 (create users), b2c3d4e5f6a7 (create orders), c3d4e5f6a7b8 (add order status), which stay applied.',
  );
  expect(await heldMigrationLocks(db)).toBe(0);
  expect(execFileSync('bash', ['-c', 'pgrep -f "sleep 38\\.5" || true'], { encoding: 'utf8' }).trim()).toBe('');
});
