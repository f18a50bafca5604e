// The down check of a dry run: the new migrations are taken down newest first on the data, each
// down must give back the schema as it was before its migration, and applying them again must give
// the first result. Missing, incomplete and failing downs are reported, not hidden.
import { runMode } from '../../src/engine/run-mode.js';
import { recordingRuntime } from '../../src/runtime.js';
import { engineRun } from '../helpers/engine-run.js';
import { prCheckout } from '../helpers/pr-checkout.js';

const { source, database } = engineRun('cutover-dry-down-');

test('correct downs are verified, and the migrations applied again give the same schema', async () => {
  const pr = prCheckout({
    '005_add_slug.up.sql': "ALTER TABLE users ADD COLUMN slug text;\nUPDATE users SET slug = 'u-' || id;\nCREATE UNIQUE INDEX users_slug_idx ON users (slug);\n",
    '005_add_slug.down.sql': 'DROP INDEX users_slug_idx;\nALTER TABLE users DROP COLUMN slug;\n',
    '006_orders_note.up.sql': 'ALTER TABLE orders ADD COLUMN note text;\n',
    '006_orders_note.down.sql': 'ALTER TABLE orders DROP COLUMN note;\n',
  });
  const throwaway = await database('dry_down_ok');
  const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'source-url': `sqlite:${source}`, 'base-ref': pr.baseSha }), recordingRuntime());
  expect(result.error).toBeUndefined();
  expect(result.dryRun?.downCheck).toEqual({
    results: [
      { migration: '006_orders_note', outcome: 'verified' },
      { migration: '005_add_slug', outcome: 'verified' },
    ],
    reapply: { outcome: 'same', migrations: ['005_add_slug', '006_orders_note'] },
  });
  // Applied again: the throwaway ends as the new migrations left it.
  expect((await throwaway.query(`SELECT count(*)::int AS n FROM users WHERE slug = 'u-' || id`)).rows[0].n).toBe(120);
  expect((await throwaway.query('SELECT name FROM cutover_migrations ORDER BY name')).rows.map((r) => r.name).at(-1)).toBe('006_orders_note');
});

test('a down that does not restore the base schema is reported with the objects that differ; earlier ones are not checked', async () => {
  const pr = prCheckout({
    '005_orders_flag.up.sql': 'ALTER TABLE orders ADD COLUMN flagged boolean NOT NULL DEFAULT false;\n',
    '005_orders_flag.down.sql': 'ALTER TABLE orders DROP COLUMN flagged;\n',
    '006_users_checks.up.sql': "ALTER TABLE users ADD COLUMN tier text;\nALTER TABLE users ADD CONSTRAINT users_email_check CHECK (email LIKE '%@%');\n",
    '006_users_checks.down.sql': 'ALTER TABLE users DROP COLUMN tier;\n',
  });
  const throwaway = await database('dry_down_differs');
  const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'source-url': `sqlite:${source}`, 'base-ref': pr.baseSha }), recordingRuntime());
  expect(result.error).toBeUndefined();
  expect(result.ok).toBe(true);
  const check = result.dryRun?.downCheck;
  expect(check?.results).toEqual([
    { migration: '006_users_checks', outcome: 'differs', differences: [{ object: 'constraint users_email_check on public.users', actual: "CHECK ((email ~~ '%@%'::text))" }] },
    { migration: '005_orders_flag', outcome: 'not-checked', reason: 'the down of 006_users_checks, after it, did not restore the schema' },
  ]);
  // Applying 006 again fails: its constraint is still there.
  expect(check?.reapply).toMatchObject({ outcome: 'failed', migrations: ['006_users_checks'] });
  expect(check?.reapply.error).toMatch(/users_email_check.* already exists/);
});

test('a new migration without a down is reported as such; a down that fails is reported with its error, not as the run failing', async () => {
  const pr = prCheckout({
    '005_no_down.up.sql': 'ALTER TABLE users ADD COLUMN nickname text;\n',
    '006_broken_down.up.sql': 'ALTER TABLE orders ADD COLUMN note text;\n',
    '006_broken_down.down.sql': 'ALTER TABLE orders DROP COLUMN notes;\n',
  });
  const throwaway = await database('dry_down_failed');
  const runtime = recordingRuntime();
  const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'source-url': `sqlite:${source}`, 'base-ref': pr.baseSha }), runtime);
  expect(result.error).toBeUndefined();
  expect(result.ok).toBe(true);
  const [broken, missing] = result.dryRun!.downCheck!.results;
  expect(broken).toMatchObject({ migration: '006_broken_down', outcome: 'failed' });
  expect(broken.error).toMatch(/^\S*006_broken_down\.down\.sql: column "notes" of relation "orders" does not exist \(SQLSTATE 42703\)$/);
  expect(missing).toEqual({ migration: '005_no_down', outcome: 'missing' });
  expect(result.dryRun?.downCheck?.reapply).toEqual({ outcome: 'not-run' });
  expect(result.dryRun?.migrations.map((m) => [m.name, m.hasDown])).toEqual([
    ['005_no_down', false],
    ['006_broken_down', true],
  ]);
  // Logged as a warning with the file, not as an error of the run.
  expect(runtime.logs.filter((l) => l.level === 'error')).toEqual([]);
  expect(runtime.logs.some((l) => l.level === 'warning' && l.message.startsWith('Rolling back migration 006_broken_down failed'))).toBe(true);
  expect(result.migrations.map((m) => m.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'applied']);
});
