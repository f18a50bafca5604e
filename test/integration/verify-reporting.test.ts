// What verify says when source and target differ: a table the target lacks is "missing in the
// target" and fails verification (it was not compared); differing rows are counted by kind — missing
// in the target, extra in the target, changed — with a few keys each, exactly when the differing
// part of the table fits the row budget, and as a lower bound said as such when it does not.
import path from 'node:path';
import pg from 'pg';
import { classifyPgType } from '../../src/copy/cast/target-kind.js';
import { pgSide } from '../../src/copy/verify/verify-copied-tables.js';
import { runMode } from '../../src/engine/run-mode.js';
import { renderReport } from '../../src/report/render-report.js';
import { recordingRuntime } from '../../src/runtime.js';
import { buildSettings, type RawInputs } from '../../src/settings.js';
import { describeDifferences } from '../../src/verify/describe-differences.js';
import { findDifferences } from '../../src/verify/differing-keys.js';
import { verifyData } from '../../src/verify/verify-data.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { makeSqlite, verifyOptions } from './copy-helpers.js';

const dir = makeTempDir('cutover-verify-reporting-');
let source: TestDatabase;
let target: TestDatabase;

function settings(raw: RawInputs) {
  return buildSettings(raw, { origin: 'cli', env: { RUNNER_TEMP: dir }, cwd: process.cwd() });
}

const ORDERS = 'CREATE TABLE public.orders (id int PRIMARY KEY, amount numeric(10,2) NOT NULL)';

beforeAll(async () => {
  source = await createTestDatabase('verify_rep_source');
  target = await createTestDatabase('verify_rep_target');
  await source.query(`${ORDERS}; INSERT INTO public.orders SELECT g, g / 100.0 FROM generate_series(1, 20000) g;
    CREATE TABLE public.payouts (id int PRIMARY KEY); INSERT INTO public.payouts VALUES (1), (2);
    CREATE TABLE public.tags (label text); INSERT INTO public.tags VALUES ('a'), ('a'), ('b');`);
  // The target: 1,000 rows missing (ids 1001–2000), 500 extra (20001–20500), 500 changed (every
  // 10th id from 5010 to 10000); public.payouts absent; one of the two identical tags rows missing.
  await target.query(`${ORDERS}; INSERT INTO public.orders SELECT g, g / 100.0 FROM generate_series(1, 20500) g WHERE g NOT BETWEEN 1001 AND 2000;
    UPDATE public.orders SET amount = amount + 1 WHERE id BETWEEN 5001 AND 10000 AND id % 10 = 0;
    CREATE TABLE public.tags (label text); INSERT INTO public.tags VALUES ('a'), ('b');`);
});
afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

test('verify: true counts per kind, a few keys each; the table the target lacks is "missing in the target"', async () => {
  const result = await runMode(settings({ mode: 'verify', 'source-url': source.url, 'target-url': target.url }), recordingRuntime());
  expect(result).toMatchObject({ ok: false, verified: false });
  const orders = result.tables.find((t) => t.table === 'public.orders')!;
  expect(orders).toMatchObject({ sourceRows: 20000, targetRows: 19500, checksumMatch: false });
  expect(orders.differences).toEqual({
    missing: 1000,
    extra: 500,
    changed: 500,
    exact: true,
    samples: {
      missing: ['id=1001', 'id=1002', 'id=1003', 'id=1004', 'id=1005'],
      extra: ['id=20001', 'id=20002', 'id=20003', 'id=20004', 'id=20005'],
      changed: ['id=5010', 'id=5020', 'id=5030', 'id=5040', 'id=5050'],
    },
  });
  expect(result.tables.find((t) => t.table === 'public.payouts')).toEqual({ table: 'public.payouts', missingInTarget: true });
  // Without a primary key the whole row is the key: a repeated row that is missing once is counted once.
  expect(result.tables.find((t) => t.table === 'public.tags')!.differences).toEqual({ missing: 1, extra: 0, changed: 0, exact: true, samples: { missing: [expect.stringContaining('a')], extra: [], changed: [] } });

  expect(result.error).toContain(
    'public.orders (source 20000 rows, target 19500 rows; 2,000 rows differ: 1,000 missing in the target (id=1001, id=1002, id=1003, id=1004, id=1005, …), 500 extra in the target (id=20001, id=20002, id=20003, id=20004, id=20005, …), 500 changed (id=5010, id=5020, id=5030, id=5040, id=5050, …))',
  );
  expect(result.error).toContain('public.payouts (missing in the target: not compared)');
  expect(result.error).not.toMatch(/\?/);
  const report = renderReport(result);
  expect(report).toContain('| `public.payouts` | — | — | ❌ | — not compared | missing in the target: not compared |');
  expect(report).toContain('2,000 rows differ: 1,000 missing in the target (`id=1001`, `id=1002`, `id=1003`, `id=1004`, `id=1005`, …)');
});

test('a table missing in the target fails verify even without checksums', async () => {
  const outcome = await verifyData(verifyOptions(source.location, target.location, { checksums: false, include: ['payouts'] }));
  expect(outcome.verified).toBe(false);
  expect(outcome.tables).toEqual([{ table: 'public.payouts', missingInTarget: true }]);
  expect(outcome.warnings).toContain('Table public.payouts exists in the source but not in the target, so it was not compared.');
});

test('a SQLite source: the same counts by kind', async () => {
  const file = path.join(dir, 'orders.db');
  const rows = Array.from({ length: 3000 }, (_, i) => `(${i + 1}, ${(i + 1) / 100})`).join(',');
  const sqlite = await makeSqlite(file, `CREATE TABLE orders (id INTEGER PRIMARY KEY, amount NUMERIC NOT NULL); INSERT INTO orders VALUES ${rows};`);
  const outcome = await verifyData(verifyOptions(sqlite, target.location, { include: ['orders'] }));
  expect(outcome.verified).toBe(false);
  // Target vs the 3,000 SQLite rows: ids 1001–2000 missing; 3001–20500 extra; no id ≤ 3000 is changed.
  expect(outcome.tables[0].differences).toMatchObject({ missing: 1000, extra: 17500, changed: 0, exact: true });
});

test('past the row budget the counts are a lower bound, and the text says so', async () => {
  const connect = async (db: TestDatabase) => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    return client;
  };
  const [a, b] = await Promise.all([connect(source), connect(target)]);
  try {
    const id = { name: 'id', type: classifyPgType('int4', 'integer') };
    const spec = { schema: 'public', name: 'orders', columns: [id, { name: 'amount', type: classifyPgType('numeric', 'numeric(10,2)') }], keyColumns: [id] };
    const differences = (await findDifferences(pgSide(a, spec), pgSide(b, spec), { rowBudget: 1000 }))!;
    expect(differences.exact).toBe(false);
    const total = differences.missing + differences.extra + differences.changed;
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(2000);
    expect(differences.missing).toBeLessThanOrEqual(1000);
    expect(differences.extra).toBeLessThanOrEqual(500);
    expect(differences.changed).toBeLessThanOrEqual(500);
    expect(describeDifferences(differences)).toMatch(/^at least [\d,]+ rows differ \(a lower bound: only part of the table was compared row by row\): at least /);
  } finally {
    await a.end();
    await b.end();
  }
});
