// New migrations that fail in the measured phase of a dry run: on the data (a varchar shrunk below
// existing values), midway (what was measured before the failing statement is kept, and the
// throwaway is still removed), and beyond dry-run-timeout (stopped, not a hang).
import fs from 'node:fs';
import path from 'node:path';
import { runMode } from '../../src/engine/run-mode.js';
import { recordingRuntime } from '../../src/runtime.js';
import { engineRun } from '../helpers/engine-run.js';
import { prCheckout } from '../helpers/pr-checkout.js';

const { source, database } = engineRun('cutover-dry-fail-');

test('a migration that fails on the data names the statement, the table and an offending row, and not the source', async () => {
  const pr = prCheckout({
    '005_shorter_emails.up.sql': 'ALTER TABLE users ADD COLUMN handle text;\n\nALTER TABLE users ALTER COLUMN email TYPE varchar(18);\n',
  });
  const throwaway = await database('dry_fail_data');
  const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'source-url': `sqlite:${source}`, 'base-ref': pr.baseSha }), recordingRuntime());
  expect(result.ok).toBe(false);
  // The copy went in and matched before the migration met the rows.
  expect(result.verified).toBe(true);
  expect(result.error).toMatch(/^Migration 005_shorter_emails failed on the data \(.*005_shorter_emails\.up\.sql, line 3 \(`ALTER TABLE users ALTER COLUMN email TYPE varchar\(18\)`\)\) on table public\.users, column email: value too long for type character varying\(18\) \(SQLSTATE 22001\)\./);
  expect(result.error).not.toContain('Cause:');
  // user100@example.com is the first 19-character email in the table.
  expect(result.error).toContain("For example id=100 has email = 'user100@example.com' (19 characters).");
  expect(result.error).toContain('not bad source data');
  expect(result.error).toContain('1 statement was measured before it');
  const migration = result.dryRun?.migrations.find((m) => m.name === '005_shorter_emails');
  expect(migration?.status).toBe('failed');
  expect(migration?.statements.map((s) => [s.line, Boolean(s.failed)])).toEqual([
    [1, false],
    [3, true],
  ]);
  expect(result.migrations.find((m) => m.name === '005_shorter_emails')).toMatchObject({ status: 'failed', isNew: true });
});

test('a migration failing midway on the local provider: what was measured is kept, later migrations are not run, the throwaway is removed', async () => {
  const pr = prCheckout({
    '005_index_then_fail.up.sql': 'CREATE INDEX orders_status_idx ON orders (status);\nUPDATE orders SET total = total + 1;\nSELECT 1 / 0;\nALTER TABLE orders ADD COLUMN never int;\n',
    '006_after.up.sql': 'ALTER TABLE users ADD COLUMN after_it text;\n',
  });
  const runtime = recordingRuntime();
  const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': 'local', 'source-url': `sqlite:${source}`, 'base-ref': pr.baseSha }), runtime);
  expect(result.ok).toBe(false);
  expect(result.error).toMatch(/^Migration 005_index_then_fail failed \(.*005_index_then_fail\.up\.sql, line 3\): division by zero/);
  const [failed, after] = result.dryRun!.migrations;
  expect(failed.status).toBe('failed');
  expect(failed.notRun).toBe(1);
  expect(failed.statements.map((s) => [s.line, s.failed ?? false, s.rows?.count])).toEqual([
    [1, false, undefined],
    [2, false, 300],
    [3, true, undefined],
  ]);
  expect(failed.statements[0].locks).toEqual([{ relation: 'public.orders', relkind: 'r', mode: 'ShareLock', blocks: 'writes' }]);
  expect(failed.findings.map((f) => f.rule)).toEqual(['index-blocks-writes']);
  expect(after).toMatchObject({ name: '006_after', status: 'not-run', statements: [] });
  expect(result.migrations.map((m) => [m.name, m.status]).slice(-2)).toEqual([
    ['005_index_then_fail', 'failed'],
    ['006_after', 'pending'],
  ]);
  const stateFile = runtime.state.throwaway;
  expect(stateFile).toBeTruthy();
  expect(fs.existsSync(path.dirname(stateFile))).toBe(false);
}, 60_000);

test('a new migration that runs longer than dry-run-timeout is stopped and named, with its statement', async () => {
  const pr = prCheckout({
    '005_slow.up.sql': 'ALTER TABLE users ADD COLUMN note text;\nSELECT pg_sleep(30);\nALTER TABLE users ADD COLUMN never text;\n',
  });
  const throwaway = await database('dry_fail_timeout');
  const started = Date.now();
  const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'base-ref': pr.baseSha, 'dry-run-timeout': '1' }), recordingRuntime());
  expect(Date.now() - started).toBeLessThan(30_000);
  expect(result.ok).toBe(false);
  expect(result.error).toMatch(/^Migration 005_slow ran longer than dry-run-timeout \(1 s\) on the throwaway database and was stopped at line 2 \(`SELECT pg_sleep\(30\)`\); its transaction was rolled back\. 1 statement was measured before it/);
  expect(result.error).toContain('Fix: make the migration faster on data of this size');
  expect(result.dryRun?.migrations[0]).toMatchObject({ status: 'failed', timedOut: true, notRun: 1 });
  // Nothing of it remains on the throwaway.
  expect((await throwaway.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'note'`)).rows[0].n).toBe(0);
});
