// A migrate-command dry run measured from the outside: a tool (psql here) that rewrites a table with
// rows and keeps ACCESS EXCLUSIVE for over a second gets the same warnings as cutover's own
// migrations would, marked as sampled; and a dropped column's values are counted.
import path from 'node:path';
import { runMode } from '../../src/engine/run-mode.js';
import { renderReport } from '../../src/report/render-report.js';
import { recordingRuntime } from '../../src/runtime.js';
import { buildSettings } from '../../src/settings.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { makeSqlite } from './copy-helpers.js';

const databases: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
});

test('schema-from: target, data, then the PR\'s command: rewrite, long ACCESS EXCLUSIVE and a dropped column are warnings', async () => {
  const production = await createTestDatabase('cmd_impact_prod');
  const throwaway = await createTestDatabase('cmd_impact_throwaway');
  databases.push(production, throwaway);
  await production.query('CREATE TABLE orders (id int PRIMARY KEY, total_cents int NOT NULL, note text)');
  const source = await makeSqlite(path.join(makeTempDir('cmd-impact-'), 'app.db'), `
    CREATE TABLE orders (id INTEGER PRIMARY KEY, total_cents INTEGER NOT NULL, note TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO orders SELECT i, i * 3, 'n' || i FROM n;`);
  const command = `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -c 'BEGIN; ALTER TABLE orders ALTER COLUMN total_cents TYPE bigint; ALTER TABLE orders DROP COLUMN note; SELECT pg_sleep(1.5); COMMIT;'`;
  const settings = buildSettings(
    { mode: 'dry-run', 'schema-from': 'target', 'target-url': production.url, 'source-url': `sqlite:${source.kind === 'sqlite' ? source.path : ''}`, 'dry-run-database': throwaway.url, 'migrate-command': command },
    { origin: 'cli', env: { RUNNER_TEMP: makeTempDir('cmd-impact-run-') }, cwd: makeTempDir('cmd-impact-cwd-') },
  );
  const result = await runMode(settings, recordingRuntime(), process.env);
  expect(result.error).toBeUndefined();
  const impact = result.dryRun!.commandImpact!;
  expect(impact.rewritten).toEqual([{ table: 'public.orders', rows: 5000 }]);
  expect(impact.locks).toEqual([{ relation: 'public.orders', mode: 'AccessExclusiveLock' }]);
  expect(impact.findings.map((f) => [f.rule, f.table])).toEqual([
    ['table-rewrite', 'public.orders'],
    ['long-exclusive-lock', 'public.orders'],
    ['drops-data', 'public.orders'],
  ]);
  expect(impact.findings[1].durationMs).toBeGreaterThanOrEqual(1000);
  const report = renderReport(result);
  expect(report).toMatch(/## ⚠️ Dry run passed with 3 warnings/);
  expect(report).toContain('rewrote `public.orders` (5,000 rows) under ACCESS EXCLUSIVE');
  expect(report).toMatch(/held ACCESS EXCLUSIVE on `public\.orders` for at least \d\.\d s \(seen from another connection/);
  expect(report).toMatch(/dropped column note of `public\.orders`, which held 5,000 values/);
  // The real target was only read.
  expect((await production.query('SELECT count(*)::int AS n FROM orders')).rows[0].n).toBe(0);
}, 120_000);
