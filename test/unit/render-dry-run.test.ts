// Golden files for a dry run's report: the whole comment for a realistic pull request, and each of
// its sections (new migrations, warnings, schema changes, down check, tables, one migration's
// details). Regenerate with UPDATE_GOLDEN=1 and read the diff: this is what reviewers read.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../../src/dry-run/measure/impact-rules.js';
import { reportOutputs } from '../../src/report/publish-report.js';
import { renderDownCheck } from '../../src/report/render-down-check.js';
import { renderFindings, renderMigrationDetails, renderNewMigrations } from '../../src/report/render-new-migrations.js';
import { renderReport } from '../../src/report/render-report.js';
import { renderSchemaChanges } from '../../src/report/render-schema-changes.js';
import { renderTables } from '../../src/report/render-tables.js';
import { COMMENT_MAX_LENGTH } from '../../src/report/truncate.js';
import { dryRunResult } from '../fixtures/dry-run-result.js';

const goldenDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../golden/dry-run');
const update = process.env.UPDATE_GOLDEN === '1';
const marker = '<!-- cutover:report:default -->';

function golden(name: string, markdown: string): void {
  const file = path.join(goldenDir, `${name}.md`);
  if (update) {
    fs.mkdirSync(goldenDir, { recursive: true });
    fs.writeFileSync(file, markdown);
  }
  if (!fs.existsSync(file)) throw new Error(`Missing golden file ${file}: run with UPDATE_GOLDEN=1 and review it.`);
  expect(markdown).toBe(fs.readFileSync(file, 'utf8'));
}

describe('dry-run report golden files', () => {
  const result = dryRunResult();
  const report = result.dryRun!;
  test('the whole comment', () => golden('comment', renderReport(result, { commentMarker: marker, summaryUrl: 'https://github.com/acme/shop/actions/runs/123456789', maxLength: COMMENT_MAX_LENGTH })));
  test('new migrations', () => golden('new-migrations', renderNewMigrations(report)!));
  test('warnings', () => golden('warnings', renderFindings(report)!));
  test('schema changes', () => golden('schema-changes', renderSchemaChanges(report.schemaChanges)!));
  test('down check', () =>
    golden(
      'down-check',
      renderDownCheck({
        results: [
          { migration: '007_index_orders_status', outcome: 'failed', error: 'Rolling back migration 007_index_orders_status failed (migrations/007_index_orders_status.down.sql, line 1): index "orders_state_idx" does not exist (SQLSTATE 42704).' },
          { migration: '006_orders_total_to_float', outcome: 'not-checked', reason: 'the down of 007_index_orders_status, after it, failed' },
          { migration: '005_add_user_slug', outcome: 'differs', differences: [{ object: 'column public.users.slug', actual: 'text not null' }, { object: 'index public.users_slug_idx', expected: 'CREATE UNIQUE INDEX users_slug_idx ON public.users USING btree (slug)' }] },
          { migration: '004_no_down', outcome: 'missing' },
        ],
        reapply: { outcome: 'same', migrations: ['005_add_user_slug'] },
      })!,
    ));
  test('tables after the new migrations', () => golden('tables', renderTables(result)!));
  test("one migration's details", () => golden('migration-details', renderMigrationDetails(report.migrations[0])));
});

describe('dry-run report', () => {
  test('the headline counts the warnings; the line under it says what the reviewer must look at', () => {
    const markdown = renderReport(dryRunResult());
    expect(markdown.split('\n')[0]).toBe('## ⚠️ Dry run passed with 4 warnings');
    expect(markdown).toContain('**4 new migrations** · ⚠️ 4 warnings · 🔥 2 destructive changes · ↩️ downs: 1 missing, 3 not checked');
  });

  test('without warnings the headline is a plain pass', () => {
    const result = dryRunResult();
    for (const migration of result.dryRun!.migrations) migration.findings = [];
    expect(renderReport(result).split('\n')[0]).toBe('## ✅ Dry run passed');
  });

  test('outputs: schema-changes as JSON and the number of warnings', () => {
    const result = dryRunResult();
    const outputs = reportOutputs(result);
    expect(JSON.parse(outputs['schema-changes'])).toEqual(result.dryRun!.schemaChanges);
    expect(outputs.warnings).toBe('4');
    expect(reportOutputs({ ...result, dryRun: undefined })['schema-changes']).toBe('');
  });

  test('a comment for many new migrations stays under the comment limit, cut where a block can close', () => {
    const result = dryRunResult();
    const template = result.dryRun!.migrations[1];
    result.dryRun!.migrations = Array.from({ length: 400 }, (_, i) => ({ ...template, name: `${String(100 + i)}_change_${i}` }));
    const markdown = renderReport(result, { commentMarker: marker, maxLength: COMMENT_MAX_LENGTH });
    expect(markdown.length).toBeLessThanOrEqual(COMMENT_MAX_LENGTH);
    expect(markdown).toContain('This report was cut to fit');
    expect((markdown.match(/<details/g) ?? []).length).toBe((markdown.match(/<\/details>/g) ?? []).length);
  });

  test('the README documents every warning rule: finding, why it hurts, what to do instead', () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    for (const rule of Object.values(RULES)) expect(readme).toContain(`| ${rule.title} | ${rule.why} | ${rule.instead} |`);
  });
});
