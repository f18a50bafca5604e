// Measured impact of the new migrations on the copied data: locks read from pg_locks while the
// migration's transaction is open, rewrites seen as a new relfilenode, rows affected, no-transaction
// statements sampled while they run, and the warning rules. Real PostgreSQL, a real git checkout,
// the example app's data (120 users, 300 orders, 450 events).
import pg from 'pg';
import type { MeasuredMigration } from '../../src/dry-run/dry-run-report.js';
import { runMode } from '../../src/engine/run-mode.js';
import { recordingRuntime } from '../../src/runtime.js';
import { engineRun } from '../helpers/engine-run.js';
import { prCheckout } from '../helpers/pr-checkout.js';

const { source, database } = engineRun('cutover-dry-impact-');

function measured(result: { dryRun?: { migrations: MeasuredMigration[] } }, name: string): MeasuredMigration {
  const migration = result.dryRun?.migrations.find((m) => m.name === name);
  if (!migration) throw new Error(`${name} was not measured: ${JSON.stringify(result.dryRun?.migrations.map((m) => m.name))}`);
  return migration;
}

test('a type change rewrites the populated table under ACCESS EXCLUSIVE; CREATE INDEX takes SHARE; an UPDATE counts its rows', async () => {
  const pr = prCheckout({
    '005_orders_total_to_float.up.sql': '-- money as float, on purpose for the test\nALTER TABLE orders ALTER COLUMN total TYPE double precision;\n',
    '006_index_orders_status.up.sql': 'CREATE INDEX orders_status_idx ON orders (status);\n',
    '007_mark_admins.up.sql': "UPDATE users SET name = 'admin' WHERE is_admin;\n",
  });
  const throwaway = await database('dry_impact_locks');
  const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'source-url': `sqlite:${source}`, 'base-ref': pr.baseSha }), recordingRuntime());
  expect(result.error).toBeUndefined();

  const [alter] = measured(result, '005_orders_total_to_float').statements;
  expect(alter).toMatchObject({ line: 2, inTransaction: true, rewrites: [{ table: 'public.orders', rows: 300 }] });
  expect(alter.sql).toBe('ALTER TABLE orders ALTER COLUMN total TYPE double precision');
  expect(alter.locks).toContainEqual({ relation: 'public.orders', relkind: 'r', mode: 'AccessExclusiveLock', blocks: 'reads and writes' });
  expect(measured(result, '005_orders_total_to_float').findings).toContainEqual(expect.objectContaining({ rule: 'table-rewrite', table: 'public.orders', rows: 300, line: 2 }));

  const [index] = measured(result, '006_index_orders_status').statements;
  expect(index.locks).toEqual([{ relation: 'public.orders', relkind: 'r', mode: 'ShareLock', blocks: 'writes' }]);
  expect(index.indexesBuilt).toEqual([{ index: 'public.orders_status_idx', table: 'public.orders', rows: 300, concurrently: false }]);
  expect(index.rewrites).toEqual([]);
  expect(measured(result, '006_index_orders_status').findings).toEqual([
    expect.objectContaining({ rule: 'index-blocks-writes', table: 'public.orders', rows: 300, mode: 'ShareLock', detail: 'public.orders_status_idx' }),
  ]);

  const [update] = measured(result, '007_mark_admins').statements;
  // Users 17, 34, … 119 are admins in the example data: 7 of 120.
  expect(update.rows).toEqual({ command: 'UPDATE', count: 7 });
  expect(update.locks).toEqual([{ relation: 'public.users', relkind: 'r', mode: 'RowExclusiveLock', blocks: 'nothing' }]);
  expect(measured(result, '007_mark_admins').findings).toEqual([]);

  // What can still be compared after the new migrations: events was left alone and holds its rows.
  expect(result.dryRun?.tablesAfter).toEqual(
    expect.arrayContaining([
      { table: 'public.events', rowsBefore: 450, rowsAfter: 450, state: 'unchanged' },
      { table: 'public.orders', rowsBefore: 300, rowsAfter: 300, state: 'altered', by: ['005_orders_total_to_float', '006_index_orders_status'] },
      { table: 'public.users', rowsBefore: 120, rowsAfter: 120, state: 'written', writtenBy: ['007_mark_admins'] },
    ]),
  );
});

test('CREATE INDEX CONCURRENTLY (no-transaction) is sampled while it runs and takes no blocking lock', async () => {
  // The index expression waits for an advisory lock the test holds, so the build is still running
  // (with its table lock) until the test has seen the lock sampler look at it at least once.
  const pr = prCheckout({
    '005_index_orders_placed_at.up.sql': `-- cutover:no-transaction
CREATE FUNCTION test_gate(v bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN PERFORM pg_advisory_xact_lock_shared(4242); RETURN v; END $$;
CREATE INDEX CONCURRENTLY orders_gate_idx ON orders (test_gate(id));
`,
  });
  const throwaway = await database('dry_impact_cic');
  const gate = new pg.Client({ connectionString: throwaway.url });
  await gate.connect();
  try {
    await gate.query('SELECT pg_advisory_lock(4242)');
    let finished = false;
    const running = runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'source-url': `sqlite:${source}`, 'base-ref': pr.baseSha, 'migration-lock-timeout': '0' }), recordingRuntime()).finally(() => (finished = true));
    const deadline = Date.now() + 30_000;
    let waitingSince: string | undefined;
    while (Date.now() < deadline && !finished) {
      const waiting = await gate.query<{ at: string }>(`SELECT now()::text AS at FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%CREATE INDEX CONCURRENTLY orders_gate_idx%' AND wait_event = 'advisory'`);
      if (waiting.rows[0]) {
        waitingSince ??= waiting.rows[0].at;
        const sampled = await gate.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE '% measure' AND query LIKE '%FROM pg_locks%' AND query_start > $1::timestamptz`, [waitingSince]);
        if (sampled.rows.length > 0) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(waitingSince).toBeDefined();
    await gate.query('SELECT pg_advisory_unlock(4242)');
    const result = await running;
    expect(result.error).toBeUndefined();
    const [create, statement] = measured(result, '005_index_orders_placed_at').statements;
    expect(create.locks).toEqual([]);
    expect(statement.inTransaction).toBe(false);
    expect(statement.lockSamples).toBeGreaterThan(0);
    expect(statement.locks).toEqual([{ relation: 'public.orders', relkind: 'r', mode: 'ShareUpdateExclusiveLock', blocks: 'nothing' }]);
    expect(statement.indexesBuilt).toEqual([{ index: 'public.orders_gate_idx', table: 'public.orders', rows: 300, concurrently: true }]);
    expect(measured(result, '005_index_orders_placed_at').findings).toEqual([]);
  } finally {
    await gate.end();
  }
});

test('SET NOT NULL on a populated column is a full scan under ACCESS EXCLUSIVE; the same on a table new in the PR is no finding', async () => {
  const pr = prCheckout({
    '005_require_user_names.up.sql': "UPDATE users SET name = 'n/a' WHERE name IS NULL;\nALTER TABLE users ALTER COLUMN name SET NOT NULL;\n",
    '006_reviews.up.sql': 'CREATE TABLE reviews (id int PRIMARY KEY, body text);\nINSERT INTO reviews SELECT g, NULL FROM generate_series(1, 50) g;\nUPDATE reviews SET body = \'\';\nALTER TABLE reviews ALTER COLUMN body SET NOT NULL;\nCREATE INDEX reviews_body_idx ON reviews (body);\n',
  });
  const throwaway = await database('dry_impact_notnull');
  const result = await runMode(pr.settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'source-url': `sqlite:${source}`, 'base-ref': pr.baseSha }), recordingRuntime());
  expect(result.error).toBeUndefined();
  const names = measured(result, '005_require_user_names');
  expect(names.statements[1].validations).toEqual([{ what: 'NOT NULL on column name', table: 'public.users', rows: 120 }]);
  expect(names.findings).toEqual([expect.objectContaining({ rule: 'validation-scan', table: 'public.users', rows: 120, mode: 'AccessExclusiveLock', line: 2 })]);
  const reviews = measured(result, '006_reviews');
  expect(reviews.statements.map((s) => s.rows?.count)).toEqual([undefined, 50, 50, undefined, undefined]);
  expect(reviews.findings).toEqual([]);
});
