// The engine's front door (runMode) driven like the CLI and the Action drive it: real PostgreSQL,
// real SQLite files, a recording runtime. Covers cutover, verify and dry-run orchestration.
import fs from 'node:fs';
import path from 'node:path';
// @ts-expect-error plain ESM script without types
import { writeExampleAppDb } from '../../scripts/example-app-db.mjs';
import { pgDumpMajor } from '../../src/dry-run/copy-target-schema.js';
import { runMode } from '../../src/engine/run-mode.js';
import { recordingRuntime } from '../../src/runtime.js';
import { engineRun } from '../helpers/engine-run.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const { dir, source, database, settings } = engineRun('cutover-engine-');

test('cutover: migrate, copy, verify, and the way back', async () => {
  const target = await database('engine_cutover');
  const runtime = recordingRuntime();
  const result = await runMode(settings({ mode: 'cutover', 'source-url': `sqlite:${source}`, 'target-url': target.url }), runtime);
  expect(result.error).toBeUndefined();
  expect(result).toMatchObject({ ok: true, verified: true });
  expect(result.migrations.map((m) => m.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
  expect(result.tables.map((t) => [t.table, t.sourceRows, t.targetRows, t.checksumMatch]).sort()).toEqual([
    ['public.events', 450, 450, true],
    ['public.orders', 300, 300, true],
    ['public.users', 120, 120, true],
  ]);
  expect(result.rollback?.join(' ')).toMatch(/was only read/);
  expect(result.rollbackCommand).toMatch(/^npx cutover@\d+\.\d+\.\d+\S* rollback --target-url 'postgresql:\/\/.*:\*\*\*@.*' (--migrations-dir \S+ )?--steps 4( |$)/);
  expect(runtime.groups[0]).toBe('Migrate the target');
  expect(runtime.groups.slice(1).sort()).toEqual([
    expect.stringMatching(/^public\.events: 450 rows copied in /),
    expect.stringMatching(/^public\.orders: 300 rows copied in /),
    expect.stringMatching(/^public\.users: 120 rows copied in /),
  ]);
  const admins = await target.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE is_admin');
  expect(admins.rows[0].n).toBe(7); // ids 17, 34, … 119 stored as 1 in SQLite
  // Identity sequences continue after the copied ids.
  const inserted = await target.query<{ id: string }>(`INSERT INTO users (email) VALUES ('new@example.com') RETURNING id`);
  expect(Number(inserted.rows[0].id)).toBe(121);

  // A second cutover into the now non-empty target fails before writing anything.
  const again = await runMode(settings({ mode: 'cutover', 'source-url': `sqlite:${source}`, 'target-url': target.url }), recordingRuntime());
  expect(again.ok).toBe(false);
  expect(again.error).toMatch(/not empty|already has rows|if-target-not-empty/i);
  const users = await target.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  expect(users.rows[0].n).toBe(121);
});

test('verify: a changed row in the target fails the run and names the table', async () => {
  const target = await database('engine_verify');
  const copy = await runMode(settings({ mode: 'cutover', 'source-url': `sqlite:${source}`, 'target-url': target.url }), recordingRuntime());
  expect(copy.ok).toBe(true);
  await target.query(`UPDATE orders SET status = 'cancelled' WHERE id = 42 AND status <> 'cancelled'`);
  await target.query(`UPDATE orders SET status = 'paid' WHERE id = 42 AND status = 'cancelled'`);
  const result = await runMode(settings({ mode: 'verify', 'source-url': `sqlite:${source}`, 'target-url': target.url }), recordingRuntime());
  expect(result.ok).toBe(false);
  expect(result.verified).toBe(false);
  expect(result.error).toMatch(/Verification failed: 1 table differs? between source and target: public\.orders/);
  const orders = result.tables.find((t) => t.table === 'public.orders');
  expect(orders?.checksumMatch).toBe(false);
  expect(orders?.differingKeys?.join(' ')).toContain('42');
});

test('dry-run on a URL database: migrations and the source data, the real target untouched', async () => {
  const throwaway = await database('engine_dry_url');
  const realTarget = await database('engine_dry_real');
  const result = await runMode(
    settings({ mode: 'dry-run', 'dry-run-database': throwaway.url, 'target-url': realTarget.url, 'source-url': `sqlite:${source}`, 'base-ref': 'HEAD' }),
    recordingRuntime(),
  );
  expect(result.error).toBeUndefined();
  expect(result.ok).toBe(true);
  expect(result.throwaway).toEqual({ provider: 'url' });
  expect(result.target).toBeUndefined();
  expect(result.verified).toBe(true);
  expect(result.migrations.every((m) => m.status === 'applied' && m.isNew === false)).toBe(true);
  expect((await throwaway.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(450);
  expect((await realTarget.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0].n).toBe(0);
});

test('dry-run on the local provider with sample-rows, and the throwaway directory is removed', async () => {
  const runtime = recordingRuntime();
  const result = await runMode(settings({ mode: 'dry-run', 'dry-run-database': 'local', 'source-url': `sqlite:${source}`, 'sample-rows': '50' }), runtime);
  expect(result.error).toBeUndefined();
  expect(result.throwaway?.provider).toBe('local');
  expect(result.tables.find((t) => t.table === 'public.users')?.targetRows).toBeLessThanOrEqual(50);
  const stateFile = runtime.state.throwaway;
  expect(stateFile).toBeTruthy();
  expect(fs.existsSync(path.dirname(stateFile))).toBe(false);
}, 60_000);

test('dry-run with schema-from: target applies only what is pending in production', async () => {
  const production = await database('engine_schema_prod');
  const throwaway = await database('engine_schema_throwaway');
  const firstTwo = makeTempDir('cutover-engine-first-two-');
  for (const file of fs.readdirSync('migrations').filter((f) => /^00[12]_/.test(f))) fs.copyFileSync(path.join('migrations', file), path.join(firstTwo, file));
  const migrated = await runMode(settings({ mode: 'migrate', 'target-url': production.url, 'migrations-dir': firstTwo }), recordingRuntime());
  expect(migrated.ok).toBe(true);
  await production.query(`INSERT INTO users (email) VALUES ('prod@example.com')`);

  const result = await runMode(settings({ mode: 'dry-run', 'schema-from': 'target', 'target-url': production.url, 'dry-run-database': throwaway.url }), recordingRuntime());
  const serverMajor = Math.floor(Number((await production.query('SHOW server_version_num')).rows[0].server_version_num) / 10000);
  const dumpMajor = await pgDumpMajor().catch(() => 0);
  if (dumpMajor < serverMajor) {
    // e.g. `npm test` on the embedded PostgreSQL 17 with an older (or no) pg_dump on the machine
    expect(result.error).toMatch(/schema-from: target needs (pg_dump \d+ or newer|pg_dump, which is not installed)/);
    return;
  }
  expect(result.error).toBeUndefined();
  expect(result.migrations.map((m) => [m.name, m.status])).toEqual([
    ['001_create_users', 'already-applied'],
    ['002_create_orders', 'already-applied'],
    ['003_create_events', 'applied'],
    ['004_index_events_by_user_time', 'applied'],
  ]);
  // Schema only: production rows are not copied, and production itself is unchanged.
  expect((await throwaway.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(0);
  expect((await production.query(`SELECT to_regclass('events') AS t`)).rows[0].t).toBeNull();
  expect((await production.query('SELECT count(*)::int AS n FROM cutover_migrations')).rows[0].n).toBe(2);
});

describe('rejected rows (on-error: skip) are never "verified"', () => {
  const badSource = path.join(dir, 'bad.db');
  // Two users whose created_at no cast rule can read: they become rejects.
  beforeAll(async () => {
    writeExampleAppDb(badSource, { users: 40, orders: 60, events: 20 });
    const { loadSqlite } = await import('../../src/db/sqlite-driver.js');
    const Database = await loadSqlite();
    const db = new Database(badSource);
    db.exec(`UPDATE users SET created_at = 'not a date' WHERE id IN (3, 5)`);
    db.close();
  });

  test('copy: committed, exit ok, headline and outputs say how many rows were rejected and where', async () => {
    const target = await database('engine_rejects');
    await runMode(settings({ mode: 'migrate', 'target-url': target.url }), recordingRuntime());
    const rejects = path.join(dir, 'rejects.jsonl');
    const result = await runMode(settings({ mode: 'copy', 'source-url': `sqlite:${badSource}`, 'target-url': target.url, 'on-error': 'skip', 'rejects-file': rejects, include: 'users' }), recordingRuntime());
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ ok: true, verified: false, rejected: { rows: 2, file: rejects } });
    const { reportOutputs } = await import('../../src/report/publish-report.js');
    expect(reportOutputs(result)).toMatchObject({ verified: 'false', rejected: '2' });
    const { renderReport } = await import('../../src/report/render-report.js');
    const markdown = renderReport(result, {});
    expect(markdown).toMatch(/^## ⚠️ Copy finished with 2 rejected rows$/m);
    expect(markdown).toMatch(/\*\*Verified:\*\* ❌ no: 2 rows were rejected/);
    expect(markdown).not.toMatch(/✅ Copy succeeded|Verified:\*\* ✅/);
    expect((await target.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(38);
  });

  test('cutover: a rejected row rolls the whole copy back', async () => {
    const target = await database('engine_rejects_cutover');
    const result = await runMode(settings({ mode: 'cutover', 'source-url': `sqlite:${badSource}`, 'target-url': target.url, 'on-error': 'skip', 'rejects-file': path.join(dir, 'r2.jsonl'), include: 'users' }), recordingRuntime());
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/2 source rows could not be converted .*a cutover needs every row, so nothing was committed: the target is as it was/);
    const counts = await target.query(`SELECT (SELECT count(*) FROM users)::int AS u, (SELECT count(*) FROM orders)::int AS o, (SELECT count(*) FROM events)::int AS e`);
    expect(counts.rows[0]).toEqual({ u: 0, o: 0, e: 0 });
    expect(result.rollback?.join(' ')).toMatch(/The copy failed and was rolled back: no row was written .*the migrations this run applied remain/);
  });

  test('cutover: a migration that adds a row-changing trigger on an owned table still copies exact rows', async () => {
    const target = await database('engine_trigger_cutover');
    const migrations = path.join(dir, 'migrations-with-trigger');
    fs.cpSync('migrations', migrations, { recursive: true });
    fs.writeFileSync(path.join(migrations, '900_touch_orders.up.sql'), `
      CREATE FUNCTION stamp_order() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.total := NEW.total + 1; RETURN NEW; END $$;
      CREATE TRIGGER orders_stamp BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION stamp_order();`);
    const result = await runMode(settings({ mode: 'cutover', 'source-url': `sqlite:${source}`, 'target-url': target.url, 'migrations-dir': migrations }), recordingRuntime());
    expect(result.error).toBeUndefined();
    expect(result.verified).toBe(true);
    // The trigger would add 1 to each of the 300 totals: the sums show it did not fire.
    const { loadSqlite } = await import('../../src/db/sqlite-driver.js');
    const Database = await loadSqlite();
    const sqlite = new Database(source, { readonly: true });
    const expected = sqlite.prepare('SELECT printf(\'%.2f\', sum(total)) AS s, count(*) AS n FROM orders').get() as { s: string; n: number };
    sqlite.close();
    const totals = await target.query(`SELECT to_char(sum(total), 'FM999999990.00') AS s, count(*)::int AS n FROM orders`);
    expect(totals.rows[0]).toEqual(expected);
    expect((await target.query(`SELECT tgenabled FROM pg_trigger WHERE tgname = 'orders_stamp'`)).rows[0].tgenabled).toBe('O');
    expect(result.rollbackCommand).toMatch(/--migrations-dir \S*migrations-with-trigger --steps 5( |$)/);
  });
});

test('every connection of a run carries application_name cutover/<mode>/<run id> <purpose>', async () => {
  const target = await database('engine_app_name');
  await runMode(settings({ mode: 'migrate', 'target-url': target.url }), recordingRuntime());
  const seen: string[] = [];
  const runtime = recordingRuntime();
  const info = runtime.info;
  let probing: Promise<void> = Promise.resolve();
  runtime.info = (message) => {
    info(message);
    if (/^Copying \d+ tables?/.test(message)) {
      probing = target.query<{ a: string }>(`SELECT application_name AS a FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'cutover/%'`).then((r) => void seen.push(...r.rows.map((row) => row.a)));
    }
  };
  const s = { ...settings({ mode: 'copy', 'source-url': `sqlite:${source}`, 'target-url': target.url }), runId: 'run-42' };
  const result = await runMode(s, runtime);
  await probing;
  expect(result.error).toBeUndefined();
  expect(seen).toContain('cutover/copy/run-42 target');
});
