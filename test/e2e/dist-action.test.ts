// The bundled action (dist/index.js) run as a GitHub runner runs it, on Node 24, against a real
// PostgreSQL: status, migrate, rollback, outputs, step summary, annotations and bad input.
import fs from 'node:fs';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { runDistAction, runDistCli } from '../helpers/run-dist.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('e2e_dist');
});
afterAll(async () => {
  await db.drop();
});

const migrationNames = () =>
  [...new Set(fs.readdirSync('migrations').filter((f) => /\.(up\.sql|m?js)$/.test(f)).map((f) => f.replace(/\.(up\.sql|m?js)$/, '')))].sort();

test('status → migrate → status → rollback on Node 24', async () => {
  const all = migrationNames();
  expect(all.length).toBeGreaterThan(0);

  const status = await runDistAction({ mode: 'status', 'target-url': db.url, comment: 'false' });
  expect(status.stderr).toBe('');
  expect(status.code).toBe(0);
  expect(JSON.parse(status.outputs.pending)).toEqual(all);
  expect(status.outputs.report).toMatch(/cutover-report\.md$/);

  const migrate = await runDistAction({ mode: 'migrate', 'target-url': db.url, comment: 'false' });
  expect(migrate.code).toBe(0);
  expect(JSON.parse(migrate.outputs.applied)).toEqual(all);
  expect(JSON.parse(migrate.outputs.pending)).toEqual([]);
  expect(migrate.summary).toContain(all[0]);
  const history = await db.query<{ name: string; checksum: string }>('SELECT name, checksum FROM cutover_migrations ORDER BY name');
  expect(history.rows.map((r) => r.name)).toEqual(all);
  expect(history.rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);

  const rollback = await runDistAction({ mode: 'rollback', 'target-url': db.url, comment: 'false' });
  expect(rollback.code).toBe(0);
  expect(JSON.parse(rollback.outputs.applied)).toEqual([all[all.length - 1]]);
  expect(JSON.parse(rollback.outputs.pending)).toEqual([all[all.length - 1]]);
  const after = await db.query('SELECT name FROM cutover_migrations');
  expect(after.rowCount).toBe(all.length - 1);
});

test('an unknown mode fails the step with the expected values, before touching anything', async () => {
  const run = await runDistAction({ mode: 'migrat', 'target-url': db.url });
  expect(run.code).toBe(1);
  expect(run.stdout).toContain("::error::Invalid input 'mode': 'migrat'. Fix: expected one of: status, migrate, rollback, baseline, copy, verify, cutover, dry-run.");
});

test('a failing migration is annotated with its file and line, and rolled back', async () => {
  const dir = makeTempDir('cutover-e2e-migrations-');
  writeFiles(dir, {
    '001_ok.up.sql': 'CREATE TABLE e2e_ok (id int);\n',
    '002_broken.up.sql': '-- a comment\nCREATE TABLE e2e_broken (id int);\nSELECT * FROM e2e_missing_table;\n',
  });
  const fresh = await createTestDatabase('e2e_failing');
  const run = await runDistAction({ mode: 'migrate', 'target-url': fresh.url, 'migrations-dir': dir, comment: 'false' });
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(new RegExp(`::error (title=[^,]*,)?file=${path.join(dir, '002_broken.up.sql').replace(/[./]/g, '\\$&')},line=3`));
  expect(run.summary).toContain('002_broken');
  const state = await fresh.query(`SELECT to_regclass('e2e_ok') AS ok, to_regclass('e2e_broken') AS broken, (SELECT array_agg(name) FROM cutover_migrations) AS applied`);
  expect(state.rows[0]).toEqual({ ok: 'e2e_ok', broken: null, applied: ['001_ok'] });
  await fresh.drop();
});

test('the CLI from dist: report on stdout, usage errors exit 2', async () => {
  const ok = await runDistCli(['status', '--target', db.url]);
  expect(ok.code).toBe(0);
  // The first test left every migration but the last applied.
  const last = migrationNames().at(-1)!;
  expect(ok.stdout).toContain(`| \`${last}\` | ⏳ pending |`);
  expect(ok.stderr).toContain(`1 pending`);
  // The engine runs in a child Node with a small young generation (src/heap-flags.ts).
  const verbose = await runDistCli(['status', '--target', db.url, '--verbose']);
  expect(verbose.stderr).toMatch(/^debug: node v24\.\S+ --max-semi-space-size=4$/m);
  const usage = await runDistCli(['migrate', '--targt', db.url]);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toContain('Unknown option --targt. Did you mean --target');
});

test('four concurrent migrate processes apply each migration exactly once', async () => {
  const fresh = await createTestDatabase('e2e_concurrent');
  try {
    const dir = makeTempDir('cutover-e2e-concurrent-');
    writeFiles(dir, {
      '001_counter.up.sql': 'CREATE TABLE applied_log (migration text);\nINSERT INTO applied_log VALUES (\'001\');\nSELECT pg_sleep(0.3);\n',
      '002_second.up.sql': "INSERT INTO applied_log VALUES ('002');\nSELECT pg_sleep(0.3);\n",
      '003_third.up.sql': "INSERT INTO applied_log VALUES ('003');\n",
    });
    const runs = await Promise.all([1, 2, 3, 4].map(() => runDistCli(['migrate', '--target', fresh.url, '--migrations-dir', dir, '--json'])));
    for (const run of runs) expect([run.code, run.stderr]).toEqual([0, expect.any(String)]);
    const applied = runs.map((run) => (JSON.parse(run.stdout) as { migrations: Array<{ name: string; status: string }> }).migrations.filter((m) => m.status === 'applied').length);
    expect(applied.reduce((a, b) => a + b, 0)).toBe(3);
    const log = await fresh.query<{ migration: string; n: string }>('SELECT migration, count(*) AS n FROM applied_log GROUP BY migration ORDER BY migration');
    expect(log.rows).toEqual([
      { migration: '001', n: '1' },
      { migration: '002', n: '1' },
      { migration: '003', n: '1' },
    ]);
    expect((await fresh.query('SELECT count(*)::int AS n FROM cutover_migrations')).rows[0].n).toBe(3);
  } finally {
    await fresh.drop();
  }
});

test('copy from dist/ reads a big SQLite table in worker threads (the bundle is its own worker code)', async () => {
  const target = await createTestDatabase('e2e_workers');
  try {
    await target.query('CREATE TABLE big (id bigint PRIMARY KEY, flag boolean, label text)');
    const dir = makeTempDir('cutover-e2e-workers-');
    const file = path.join(dir, 'big.db');
    const { loadSqlite } = await import('../../src/db/sqlite-driver.js');
    const Database = await loadSqlite();
    const sqlite = new Database(file);
    sqlite.exec(`CREATE TABLE big (id INTEGER PRIMARY KEY, flag INTEGER, label TEXT);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 80000) INSERT INTO big SELECT i, i % 2, 'row ' || i FROM n;`);
    sqlite.close();
    const run = await runDistAction({ mode: 'copy', 'source-url': `sqlite:${file}`, 'target-url': target.url, jobs: '2', comment: 'false' }, { CUTOVER_COPY_THREADS: '2' });
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain('public.big: reading 2 rowid slices in parallel worker threads.');
    expect(run.outputs.verified).toBe('true');
    expect((await target.query('SELECT count(*)::int AS n, count(*) FILTER (WHERE flag)::int AS f FROM big')).rows[0]).toEqual({ n: 80_000, f: 40_000 });
  } finally {
    await target.drop();
  }
});
