// Golden-file tests for the Markdown report. Regenerate with UPDATE_GOLDEN=1 and read the diff: these
// files are what users see in step summaries and pull-request comments.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReport } from '../../src/report/render-report.js';
import { emptyResult, type RunResult } from '../../src/run-result.js';

const goldenDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../golden');
const update = process.env.UPDATE_GOLDEN === '1';
const runUrl = 'https://github.com/acme/shop/actions/runs/123456789';
const marker = '<!-- cutover:report:default -->';

function result(overrides: Partial<RunResult> & Pick<RunResult, 'mode'>): RunResult {
  return { ...emptyResult(overrides.mode), ...overrides };
}

const cases: Record<string, { result: RunResult; options?: Parameters<typeof renderReport>[1] }> = {
  'migrate-success': {
    result: result({
      mode: 'migrate',
      target: 'postgresql://app:***@db.example.com:5432/shop?sslmode=require',
      migrations: [
        { name: '20240101120000_create_users', status: 'already-applied', appliedAt: '2024-01-02T10:00:00Z' },
        { name: '20240215093000_create_orders', status: 'already-applied', appliedAt: '2024-02-16T10:00:00Z' },
        { name: '20240301080000_add_order_status', status: 'applied', durationMs: 48 },
        { name: '20240302110000_index_orders_by_user', status: 'applied', durationMs: 1830 },
      ],
      reproduce: 'cutover migrate --target-url postgresql://app:***@db.example.com:5432/shop?sslmode=require',
      durationMs: 2410,
    }),
    options: { summaryUrl: runUrl },
  },
  'dry-run-new-migrations': {
    result: result({
      mode: 'dry-run',
      source: 'sqlite:/home/runner/work/shop/shop/data/app.db',
      throwaway: { provider: 'local', serverVersion: '15.14' },
      migrations: [
        { name: '20240101120000_create_users', status: 'applied', isNew: false, durationMs: 21 },
        { name: '20240215093000_create_orders', status: 'applied', isNew: false, durationMs: 34 },
        { name: '20240410150000_add_orders_total_cents', status: 'applied', isNew: true, durationMs: 412 },
        { name: '20240411090000_backfill_totals', status: 'applied', isNew: true, durationMs: 2_950 },
      ],
      tables: [
        { table: 'public.users', sourceRows: 1_204, targetRows: 1_204, checksumMatch: true },
        { table: 'public.orders', sourceRows: 58_310, targetRows: 58_310, checksumMatch: true },
        { table: 'public."Order Details"', sourceRows: 171_932, targetRows: 171_932, checksumMatch: null },
      ],
      verified: true,
      notes: ['Sampled at most 1000 rows per table (sample-rows).'],
      reproduce: 'cutover dry-run --dry-run-database local --source-url sqlite:data/app.db',
      durationMs: 9_870,
    }),
    options: { commentMarker: marker, summaryUrl: runUrl },
  },
  'migration-failure': {
    result: result({
      mode: 'migrate',
      ok: false,
      target: 'postgresql://postgres.abcdefghij:***@aws-0-eu-central-1.pooler.supabase.com:5432/postgres',
      migrations: [
        { name: '20240101120000_create_users', status: 'already-applied' },
        {
          name: '20240410150000_add_orders_total_cents',
          status: 'failed',
          isNew: true,
          durationMs: 37,
          error: {
            message: 'column "total" does not exist (SQLSTATE 42703; hint: Perhaps you meant to reference the column "orders.totals" | or `total_cents`.)\nwhere: SQL statement',
            file: 'migrations/20240410150000_add_orders_total_cents.up.sql',
            line: 7,
          },
        },
        { name: '20240411090000_backfill_totals', status: 'pending', isNew: true },
      ],
      error:
        'Migration 20240410150000_add_orders_total_cents failed at migrations/20240410150000_add_orders_total_cents.up.sql:7 and was rolled back; nothing after it ran. Cause: column "total" does not exist (SQLSTATE 42703). Fix: correct the migration and push again.',
      reproduce: 'cutover migrate --target-url postgresql://postgres.abcdefghij:***@aws-0-eu-central-1.pooler.supabase.com:5432/postgres',
      durationMs: 1_240,
    }),
    options: { commentMarker: marker },
  },
  'verify-mismatch': {
    result: result({
      mode: 'verify',
      ok: false,
      source: 'sqlite:/home/runner/work/shop/shop/data/app.db',
      target: 'postgresql://app:***@db.example.com:5432/shop',
      tables: [
        { table: 'public.users', sourceRows: 1_204, targetRows: 1_204, checksumMatch: true },
        { table: 'public.orders', sourceRows: 58_310, targetRows: 58_297, checksumMatch: false },
        {
          table: 'public.line_items',
          sourceRows: 240_118,
          targetRows: 240_118,
          checksumMatch: false,
          differingKeys: ['(id)=(1047)', '(id)=(1048)', '(id)=(20931)', '(id)=(20932)', '(id)=(77001)', '(id)=(77002)', '(id)=(99000)'],
        },
        { table: 'public.audit|log', sourceRows: 12, targetRows: 10, checksumMatch: null, rejectedRows: 2 },
        {
          table: 'billing.invoices',
          sourceRows: 20_000,
          targetRows: 19_500,
          checksumMatch: false,
          differences: { missing: 1_000, extra: 500, changed: 500, exact: true, samples: { missing: ['id=1', 'id=2', 'id=3', 'id=4', 'id=5'], extra: ['id=20001', 'id=20002'], changed: ['id=7'] } },
        },
        {
          table: 'public.events',
          sourceRows: 9_000_000,
          targetRows: 9_000_000,
          checksumMatch: false,
          differences: { missing: 0, extra: 0, changed: 312, exact: false, samples: { missing: [], extra: [], changed: ['id=11', 'id=12'] } },
        },
        { table: 'public.payouts', missingInTarget: true },
      ],
      leftOut: [
        { table: 'auth.users', reason: 'Supabase platform schema' },
        { table: 'public.cutover_migrations', reason: "cutover's migration history" },
        { table: 'public.spatial_ref_sys', reason: 'extension-owned (postgis)' },
        { table: 'storage.objects', reason: 'Supabase platform schema' },
      ],
      verified: false,
      warnings: ['2 rows were skipped (on-error: skip) and written to /home/runner/work/_temp/cutover-rejects.jsonl.'],
      error: 'Verification found differences in 3 of 4 tables. Fix: re-run copy with if-target-not-empty: truncate, or inspect the differing keys listed in the report.',
      reproduce: 'cutover verify --target-url postgresql://app:***@db.example.com:5432/shop --source-url sqlite:data/app.db',
      durationMs: 31_400,
    }),
    options: { summaryUrl: runUrl },
  },
  'cutover-rollback': {
    result: result({
      mode: 'cutover',
      target: 'postgresql://postgres.abcdefghij:***@aws-0-eu-central-1.pooler.supabase.com:5432/postgres?sslmode=require',
      source: 'sqlite:/home/runner/work/shop/shop/data/app.db',
      migrations: [
        { name: '20240101120000_create_users', status: 'applied', durationMs: 25 },
        { name: '20240215093000_create_orders', status: 'applied', durationMs: 31 },
      ],
      tables: [
        { table: 'public.users', sourceRows: 1_204, targetRows: 1_204, checksumMatch: true, copiedRows: 1_204 },
        { table: 'public.orders', sourceRows: 58_310, targetRows: 58_310, checksumMatch: true, copiedRows: 58_310 },
      ],
      verified: true,
      warnings: [
        'The target is a Supabase pooler in session mode (port 5432); transaction mode (port 6543) breaks prepared statements and advisory locks.',
        'Sequences were reset to max(id) + 1 for 2 tables.',
      ],
      rollback: [
        'The source database was only read; point your application back at it to undo the cutover.',
        'Undo this run\'s 2 migrations on the target with the command below.',
      ],
      rollbackCommand: 'cutover rollback --target-url postgresql://postgres.abcdefghij:***@aws-0-eu-central-1.pooler.supabase.com:5432/postgres --steps 2',
      reproduce: 'cutover cutover --target-url postgresql://postgres.abcdefghij:***@aws-0-eu-central-1.pooler.supabase.com:5432/postgres?sslmode=require --source-url sqlite:data/app.db',
      durationMs: 125_300,
    }),
    options: { summaryUrl: runUrl },
  },
  'status-empty': {
    result: result({ mode: 'status', target: 'sqlite:/home/runner/work/shop/shop/app.db', reproduce: 'cutover status --target-url sqlite:app.db', durationMs: 12 }),
  },
};

describe('renderReport golden files', () => {
  test.each(Object.keys(cases))('%s', (name) => {
    const { result: runResult, options } = cases[name];
    const markdown = renderReport(runResult, options);
    const file = path.join(goldenDir, `${name}.md`);
    if (update) fs.writeFileSync(file, markdown);
    if (!fs.existsSync(file)) throw new Error(`Missing golden file ${file}: run with UPDATE_GOLDEN=1 and review it.`);
    expect(markdown).toBe(fs.readFileSync(file, 'utf8'));
  });
});

describe('renderReport', () => {
  test('is pure: the same input renders the same text', () => {
    const { result: runResult, options } = cases['dry-run-new-migrations'];
    expect(renderReport(structuredClone(runResult), options)).toBe(renderReport(runResult, options));
  });

  test('the comment marker is the first line', () => {
    expect(renderReport(emptyResult('migrate'), { commentMarker: marker }).split('\n')[0]).toBe(marker);
  });

  test('the dry-run note says the real target was not written', () => {
    const markdown = renderReport({ ...emptyResult('dry-run'), throwaway: { provider: 'docker' } });
    expect(markdown).toContain('the real target was not written');
    expect(renderReport(emptyResult('migrate'))).not.toContain('the real target was not written');
  });

  test('names with pipes, newlines and backticks cannot break a table row', () => {
    const markdown = renderReport({
      ...emptyResult('migrate'),
      migrations: [{ name: '001_a|b`c\nd', status: 'failed', error: { message: 'bad | thing\n`x`', file: 'm/001.sql', line: 3 } }],
    });
    const row = markdown.split('\n').find((line) => line.startsWith('| ``001'))!;
    expect(row).toBeDefined();
    // Unescaped pipes are the column separators only: Migration, Status, Duration, Error → 5.
    expect(row.replace(/\\\|/g, '').split('|').length - 1).toBe(5);
    expect(row).toContain('``001_a\\|b`c d``');
    expect(row).toContain('`m/001.sql:3`<br>bad \\| thing<br>\\`x\\`');
  });

  test('a long tail of already-applied migrations is folded into <details>', () => {
    const migrations = Array.from({ length: 40 }, (_, i) => ({ name: `${String(i).padStart(3, '0')}_m`, status: 'already-applied' as const }));
    migrations.push({ name: '040_new', status: 'applied' as never });
    const markdown = renderReport({ ...emptyResult('migrate'), migrations });
    expect(markdown).toContain('<details><summary>40 migrations already applied</summary>');
    expect(markdown.indexOf('`040_new`')).toBeLessThan(markdown.indexOf('<details>'));
  });

  test('maxLength cuts the report and points to the step summary', () => {
    const migrations = Array.from({ length: 3000 }, (_, i) => ({ name: `${i}_create_table_number_${i}`, status: 'applied' as const, durationMs: i }));
    const markdown = renderReport({ ...emptyResult('dry-run'), migrations }, { commentMarker: marker, summaryUrl: runUrl, maxLength: 65_536 });
    expect(markdown.length).toBeLessThanOrEqual(65_536);
    expect(markdown.startsWith(marker)).toBe(true);
    expect(markdown).toContain(`[step summary of this run](${runUrl})`);
  });
});
