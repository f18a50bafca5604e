// dry-run with migrate-command on a real git repository: the base commit's Alembic revisions are
// applied to the throwaway database first (from a temporary worktree of the base commit), then the
// PR's; the revision the PR adds is marked new and timed, and the worktree is gone afterwards.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runMode } from '../../src/engine/run-mode.js';
import { renderReport } from '../../src/report/render-report.js';
import { recordingRuntime } from '../../src/runtime.js';
import { buildSettings } from '../../src/settings.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { alembic, copyFixtureProject } from '../helpers/python-tools.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { makeSqlite } from './copy-helpers.js';

const databases: TestDatabase[] = [];
let repo: string;
let base: string;

const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } }).trim();
const NEW_REVISION = 'alembic/versions/c3d4e5f6a7b8_add_order_status.py';

beforeAll(() => {
  // The app in backend/ of a repository; the base commit has two revisions, the PR adds the third.
  repo = makeTempDir('dry-run-alembic-repo-');
  fs.cpSync(copyFixtureProject('alembic-project'), path.join(repo, 'backend'), { recursive: true });
  const added = fs.readFileSync(path.join(repo, 'backend', NEW_REVISION), 'utf8');
  fs.rmSync(path.join(repo, 'backend', NEW_REVISION));
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'base: two revisions');
  base = git('rev-parse', 'HEAD');
  fs.writeFileSync(path.join(repo, 'backend', NEW_REVISION), added);
  git('add', '.');
  git('commit', '-q', '-m', 'PR: add order status');
});
afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
});

async function database(prefix: string): Promise<TestDatabase> {
  const db = await createTestDatabase(prefix);
  databases.push(db);
  return db;
}

test('the base commit first, then the PR: its new revision is marked new and measured', async () => {
  const throwaway = await database('dry_alembic');
  const runtime = recordingRuntime();
  const settings = buildSettings(
    { mode: 'dry-run', 'dry-run-database': throwaway.url, 'migrate-command': 'alembic upgrade head', 'migrate-command-dir': 'backend', 'base-ref': base },
    { origin: 'cli', env: { RUNNER_TEMP: makeTempDir('dry-alembic-run-') }, cwd: repo },
  );
  const result = await runMode(settings, runtime, { ...process.env, PYTHONDONTWRITEBYTECODE: '1' });
  expect(result.error).toBeUndefined();
  expect(result.migrations.map((m) => [m.name, m.status, m.isNew])).toEqual([
    ['a1b2c3d4e5f6 (create users)', 'applied', false],
    ['b2c3d4e5f6a7 (create orders)', 'applied', false],
    ['c3d4e5f6a7b8 (add order status)', 'applied', true],
  ]);
  expect(result.migrations[2].durationMs).toBeGreaterThan(0);
  expect(result.migrations[0].durationMs).toBeUndefined();
  const short = base.slice(0, 7);
  expect(runtime.groups).toEqual(expect.arrayContaining([`migrate-command (base commit ${short}): alembic upgrade head`, 'migrate-command: alembic upgrade head']));
  expect(result.notes.find((n) => n.startsWith('On the throwaway database'))).toMatch(new RegExp(`^On the throwaway database the base commit ${short}'s migrations \\(applied in \\d+\\.\\d s\\) came first; then the PR's migrate-command applied 1 new migration in \\d+\\.\\d s\\.$`));
  expect((await throwaway.query('SELECT version_num FROM alembic_version')).rows).toEqual([{ version_num: 'c3d4e5f6a7b8' }]);
  // The base worktree is gone, and so is git's record of it.
  expect(git('worktree', 'list').split('\n')).toHaveLength(1);
  const report = renderReport(result);
  expect(report).toContain('| `c3d4e5f6a7b8 (add order status)` | 🆕 yes | ✅ applied |');
  expect(report).toContain('| `a1b2c3d4e5f6 (create users)` | no | ✅ applied |');
});

test('schema-from: target: the target\'s alembic_version comes along, so only what is pending there runs', async () => {
  const production = await database('dry_alembic_prod');
  const throwaway = await database('dry_alembic_throwaway');
  // Production is at the base commit's head.
  const baseProject = makeTempDir('dry-alembic-base-');
  execFileSync('git', ['worktree', 'add', '--detach', path.join(baseProject, 'b'), base], { cwd: repo });
  try {
    alembic(['upgrade', 'head'], path.join(baseProject, 'b', 'backend'), production.url);
  } finally {
    execFileSync('git', ['worktree', 'remove', '--force', path.join(baseProject, 'b')], { cwd: repo });
  }
  const settings = buildSettings(
    { mode: 'dry-run', 'schema-from': 'target', 'target-url': production.url, 'dry-run-database': throwaway.url, 'migrate-command': 'alembic upgrade head', 'migrate-command-dir': 'backend' },
    { origin: 'cli', env: { RUNNER_TEMP: makeTempDir('dry-alembic-run-') }, cwd: repo },
  );
  const result = await runMode(settings, recordingRuntime(), { ...process.env, PYTHONDONTWRITEBYTECODE: '1' });
  expect(result.error).toBeUndefined();
  expect(result.migrations.map((m) => [m.name, m.isNew])).toEqual([
    ['a1b2c3d4e5f6 (create users)', false],
    ['b2c3d4e5f6a7 (create orders)', false],
    ['c3d4e5f6a7b8 (add order status)', true],
  ]);
  expect((await production.query('SELECT version_num FROM alembic_version')).rows).toEqual([{ version_num: 'b2c3d4e5f6a7' }]);
  expect((await throwaway.query('SELECT version_num FROM alembic_version')).rows).toEqual([{ version_num: 'c3d4e5f6a7b8' }]);
});

test('with source data: the data goes into the base state, and the PR\'s run is measured on it (schema diff, locks, rewrites)', async () => {
  const throwaway = await database('dry_alembic_data');
  const source = await makeSqlite(path.join(makeTempDir('dry-alembic-source-'), 'app.db'), `
    CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, is_admin INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
    INSERT INTO users VALUES (1, 'a@example.com', 0, '2024-01-01 10:00:00'), (2, 'b@example.com', 1, '2024-01-02 10:00:00');
    CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id), total_cents INTEGER NOT NULL);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400000) INSERT INTO orders SELECT i, 1 + i % 2, i * 7 % 10000 FROM n;`);
  const settings = buildSettings(
    { mode: 'dry-run', 'source-url': `sqlite:${source.kind === 'sqlite' ? source.path : ''}`, 'dry-run-database': throwaway.url, 'migrate-command': 'alembic upgrade head', 'migrate-command-dir': 'backend', 'base-ref': base },
    { origin: 'cli', env: { RUNNER_TEMP: makeTempDir('dry-alembic-run-') }, cwd: repo },
  );
  const runtime = recordingRuntime();
  const result = await runMode(settings, runtime, { ...process.env, PYTHONDONTWRITEBYTECODE: '1' });
  expect(result.error).toBeUndefined();
  // The data was copied once, between the base run and the PR's run.
  expect(runtime.groups.filter((g) => g === 'Copy the source data')).toHaveLength(1);
  const order = runtime.groups.indexOf('Copy the source data');
  expect(order).toBeGreaterThan(runtime.groups.findIndex((g) => g.startsWith('migrate-command (base commit')));
  expect(order).toBeLessThan(runtime.groups.indexOf('migrate-command: alembic upgrade head'));
  expect(result.dryRun?.order).toMatchObject({ kind: 'command', data: true, newMigrations: ['c3d4e5f6a7b8 (add order status)'] });
  const impact = result.dryRun!.commandImpact!;
  // ADD COLUMN takes ACCESS EXCLUSIVE, held by Alembic's one transaction through the index build on 400,000 rows.
  expect(impact.locks).toContainEqual({ relation: 'public.orders', mode: 'AccessExclusiveLock' });
  expect(impact.rewritten).toEqual([]);
  const orders = result.dryRun!.schemaChanges!.tables.find((t) => t.table === 'public.orders');
  expect(orders?.items.map((i) => `${i.kind} ${i.name} ${i.change}`)).toEqual(expect.arrayContaining(['column status added', 'index public.orders_status_idx added']));
  expect((await throwaway.query<{ n: string }>("SELECT count(*) AS n FROM orders WHERE status = 'new'")).rows[0].n).toBe('400000');
  const report = renderReport(result);
  if (process.env.SHOW_REPORT) console.log(report);
  expect(report).toContain("### What the PR's migrate-command did");
  expect(report).toMatch(/`public\.orders` \| 🔴 ACCESS EXCLUSIVE \| blocks reads and writes/);
  expect(report).toContain('### Schema changes');
  expect(report).toMatch(/Order: the base commit \w{7}'s migrations \(applied in [\d.]+ s\) → the source data \(all rows, verified before commit\) → the PR's migrate-command, measured as a whole/);
}, 120_000);
