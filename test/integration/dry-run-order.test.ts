// The order of a dry run with data: the base commit's migrations, then the source data, then the
// PR's new migrations on top of the data, then verification. Real PostgreSQL (a dry-run-database URL
// per test), a real git checkout and the example app's SQLite data.
import { runMode } from '../../src/engine/run-mode.js';
import { recordingRuntime } from '../../src/runtime.js';
import { engineRun } from '../helpers/engine-run.js';
import { prCheckout } from '../helpers/pr-checkout.js';

const { source, database } = engineRun('cutover-dry-order-');

const BACKFILL = {
  '005_add_user_slug.up.sql': `ALTER TABLE users ADD COLUMN slug text;
UPDATE users SET slug = 'u-' || id;
ALTER TABLE users ALTER COLUMN slug SET NOT NULL;
`,
  '005_add_user_slug.down.sql': 'ALTER TABLE users DROP COLUMN slug;\n',
};

test('a backfill migration (add column, update, set not null) passes a dry run with source data', async () => {
  const pr = prCheckout(BACKFILL);
  const throwaway = await database('dry_order_backfill');
  const runtime = recordingRuntime();
  const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'source-url': `sqlite:${source}`, 'base-ref': pr.baseSha }), runtime);
  expect(result.error).toBeUndefined();
  expect(result.ok).toBe(true);
  expect(result.migrations.map((m) => [m.name, m.status, m.isNew])).toEqual([
    ['001_create_users', 'applied', false],
    ['002_create_orders', 'applied', false],
    ['003_create_events', 'applied', false],
    ['004_index_events_by_user_time', 'applied', false],
    ['005_add_user_slug', 'applied', true],
  ]);
  expect(result.dryRun?.order).toEqual({ kind: 'base-then-new', baseCommit: pr.baseSha, schemaFrom: 'migrations', baseMigrations: 4, newMigrations: ['005_add_user_slug'] });
  // The data went in before 005, so 005's UPDATE filled every copied row.
  const { rows } = await throwaway.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE slug = 'u-' || id)::int AS filled FROM users`);
  expect(rows[0]).toEqual({ n: 120, filled: 120 });
  expect(result.verified).toBe(true);
  // The phases, as the log shows them.
  expect(runtime.groups).toEqual(expect.arrayContaining(["Apply the base commit's 4 migrations", 'Copy the source data', 'Apply the 1 new migration, measured']));
});

test('without source-url the same order runs on an empty database', async () => {
  const pr = prCheckout(BACKFILL);
  const throwaway = await database('dry_order_empty');
  const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'base-ref': pr.baseSha }), recordingRuntime());
  expect(result.error).toBeUndefined();
  expect(result.dryRun?.order).toMatchObject({ kind: 'base-then-new', baseMigrations: 4, newMigrations: ['005_add_user_slug'] });
  expect(result.tables).toEqual([]);
  expect(result.verified).toBeNull();
});

test('a base commit that cannot be found: today\'s order (every migration, then the data), with a warning in the report', async () => {
  const pr = prCheckout({ '005_add_note.up.sql': 'ALTER TABLE users ADD COLUMN note text;\n' });
  const throwaway = await database('dry_order_fallback');
  const missing = '0123456789abcdef0123456789abcdef01234567';
  const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'source-url': `sqlite:${source}`, 'base-ref': missing }), recordingRuntime());
  expect(result.error).toBeUndefined();
  expect(result.dryRun?.order).toMatchObject({ kind: 'fallback' });
  const warning = result.warnings.find((w) => w.includes(missing));
  expect(warning).toMatch(/base commit 0123456789abcdef0123456789abcdef01234567 .*not in this checkout.*could not be fetched/);
  expect(warning).toMatch(/applied every migration before copying the data/);
  expect(warning).toMatch(/fetch-depth: 0/);
  expect(result.verified).toBe(true);
  expect(result.migrations.every((m) => m.status === 'applied' && m.isNew === undefined)).toBe(true);
});

test('a PR that edits a migration of the base commit is warned about: production ran the base version', async () => {
  const pr = prCheckout({ '005_add_note.up.sql': 'ALTER TABLE users ADD COLUMN note text;\n' });
  const fs = await import('node:fs');
  const path = await import('node:path');
  fs.appendFileSync(path.join(pr.migrationsDir, '002_create_orders.up.sql'), 'CREATE INDEX orders_status_idx ON orders (status);\n');
  fs.appendFileSync(path.join(pr.migrationsDir, '003_create_events.down.sql'), '-- a down file is not checksummed\n');
  const throwaway = await database('dry_order_edited');
  const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'base-ref': pr.baseSha }), recordingRuntime());
  expect(result.error).toBeUndefined();
  expect(result.warnings).toEqual([expect.stringMatching(/^This pull request edits a migration the base commit already has \(002_create_orders\): production ran its base version, and deploying fails the checksum check/)]);
  expect(result.dryRun?.order).toMatchObject({ kind: 'base-then-new', newMigrations: ['005_add_note'] });
});

test('a source table the base state lacks (a development database ahead of the base commit) is left out of the copy, said in the report, and the PR that creates it passes', async () => {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const { loadSqlite } = await import('../../src/db/sqlite-driver.js');
  const { renderReport } = await import('../../src/report/render-report.js');
  const ahead = path.join(path.dirname(source), 'ahead.db');
  fs.copyFileSync(source, ahead);
  const Database = await loadSqlite();
  const db = new Database(ahead);
  db.exec("CREATE TABLE reviews (id INTEGER PRIMARY KEY, body TEXT NOT NULL); INSERT INTO reviews VALUES (1, 'great'), (2, 'fine');");
  db.close();
  const pr = prCheckout({
    '005_create_reviews.up.sql': 'CREATE TABLE reviews (id bigint PRIMARY KEY, body text NOT NULL);\n',
    '005_create_reviews.down.sql': 'DROP TABLE reviews;\n',
  });
  const throwaway = await database('dry_order_ahead');
  const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'source-url': `sqlite:${ahead}`, 'base-ref': pr.baseSha }), recordingRuntime());
  expect(result.error).toBeUndefined();
  expect(result.ok).toBe(true);
  expect(result.leftOut).toContainEqual({ table: 'public.reviews', reason: "not in the base state's schema, so its rows cannot be loaded before the new migrations" });
  expect(result.tables.map((t) => t.table)).not.toContain('public.reviews');
  expect(renderReport(result)).toMatch(/Left out: 1 source table[\s\S]*not in the base state's schema[\s\S]*public\.reviews/);
  expect((await throwaway.query('SELECT count(*)::int AS n FROM reviews')).rows[0].n).toBe(0);
});
