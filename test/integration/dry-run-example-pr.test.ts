// The comment a reviewer gets for a realistic pull request on the example app: a backfill, a type
// change, an index built without CONCURRENTLY, a dropped column and a broken down, run for real on the
// example app's data (500 users, 2,000 orders, 3,000 events). The rendered comment is the golden file
// test/golden/dry-run-example-pr.md; timings differ between runs, so they are compared as <time>.
// Regenerate with UPDATE_GOLDEN=1 and read the diff.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain ESM script without types
import { writeExampleAppDb } from '../../scripts/example-app-db.mjs';
import { runMode } from '../../src/engine/run-mode.js';
import { reportOutputs } from '../../src/report/publish-report.js';
import { renderReport } from '../../src/report/render-report.js';
import { COMMENT_MAX_LENGTH } from '../../src/report/truncate.js';
import { recordingRuntime } from '../../src/runtime.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { prCheckout } from '../helpers/pr-checkout.js';

const golden = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../golden/dry-run-example-pr.md');

export const EXAMPLE_PR = {
  // A backfill: add, fill, then require. Its down has a typo.
  '005_add_user_slug.up.sql': `-- Public profile URLs: /u/<slug>.
ALTER TABLE users ADD COLUMN slug text;
UPDATE users SET slug = 'u-' || id;
ALTER TABLE users ALTER COLUMN slug SET NOT NULL;
`,
  '005_add_user_slug.down.sql': 'ALTER TABLE users DROP COLUMN slugs;\n',
  // A type change: placed_at was a local wall-clock time; store it as a point in time.
  '006_orders_placed_at_utc.up.sql': "ALTER TABLE orders ALTER COLUMN placed_at TYPE timestamptz USING placed_at AT TIME ZONE 'UTC';\n",
  '006_orders_placed_at_utc.down.sql': "ALTER TABLE orders ALTER COLUMN placed_at TYPE timestamp USING placed_at AT TIME ZONE 'UTC';\n",
  // An index built inside the migration's transaction.
  '007_index_events_kind.up.sql': 'CREATE INDEX events_kind_idx ON events (kind);\n',
  '007_index_events_kind.down.sql': 'DROP INDEX events_kind_idx;\n',
  // A drop: display names are no longer used.
  '008_drop_user_name.up.sql': 'ALTER TABLE users DROP COLUMN name;\n',
  '008_drop_user_name.down.sql': 'ALTER TABLE users ADD COLUMN name text;\n',
};

/** Timings change from run to run: compared as <time>. */
function withoutTimes(markdown: string): string {
  return markdown.replace(/\b\d+(\.\d+)? (ms|s)\b|\b\d+ min( \d+ s)?\b/g, '<time>').replace(/npx cutover@\S+/g, 'npx cutover@<version>');
}

test('the comment for a realistic pull request shows each finding at a glance (golden file)', async () => {
  const pr = prCheckout(EXAMPLE_PR);
  fs.mkdirSync(path.join(pr.root, 'data'));
  writeExampleAppDb(path.join(pr.root, 'data/app.db'));
  const throwaway = await createTestDatabase('dry_example_pr');
  const workspace = process.env.GITHUB_WORKSPACE;
  // Paths in messages are shown relative to the workspace, as on a runner.
  process.env.GITHUB_WORKSPACE = pr.root;
  try {
    const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'source-url': 'sqlite:data/app.db', 'base-ref': pr.baseSha }), recordingRuntime());
    expect(result.error).toBeUndefined();
    const markdown = renderReport(result, { commentMarker: '<!-- cutover:report:default -->', summaryUrl: 'https://github.com/acme/shop/actions/runs/123456789', maxLength: COMMENT_MAX_LENGTH })
      .replaceAll(`${pr.root}/`, '')
      // The throwaway's URL (random database name, the test server's port) as a runner's services: URL.
      .replace(/--dry-run-database 'postgresql:\/\/[^']*'/, "--dry-run-database 'postgresql://postgres:***@localhost:5432/postgres'");
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(golden, markdown);
    expect(withoutTimes(markdown)).toBe(withoutTimes(fs.readFileSync(golden, 'utf8')));

    // What the reviewer must see at a glance, whatever the golden file says.
    expect(markdown).toMatch(/^## ⚠️ Dry run passed with 5 warnings$/m);
    expect(markdown).toContain('`005_add_user_slug` line 4: checked NOT NULL on column slug on `public.users` (500 rows)');
    expect(markdown).toContain('**⚠️ Constraint checked by a full scan under a blocking lock** (1)');
    expect(markdown).toContain('rewrote `public.orders` (2,000 rows)');
    expect(markdown).toContain('built `public.events_kind_idx` on `public.events` (3,000 rows)');
    expect(markdown).toContain('🔥 column `name` dropped (was `text null`), with its 429 values (not null)');
    expect(markdown).toContain('💥 `005_add_user_slug`: its down fails');
    expect(markdown).toContain('500 updated');
    const outputs = reportOutputs(result);
    expect(outputs.warnings).toBe('5');
    expect(result.dryRun?.downCheck?.results.map((r) => [r.migration, r.outcome])).toEqual([
      ['008_drop_user_name', 'verified'],
      ['007_index_events_kind', 'verified'],
      ['006_orders_placed_at_utc', 'verified'],
      ['005_add_user_slug', 'failed'],
    ]);
    expect(JSON.parse(outputs['schema-changes']).tables.map((t: { table: string }) => t.table)).toEqual(['public.orders', 'public.users', 'public.events']);
  } finally {
    if (workspace === undefined) delete process.env.GITHUB_WORKSPACE;
    else process.env.GITHUB_WORKSPACE = workspace;
    await throwaway.drop();
  }
}, 60_000);
