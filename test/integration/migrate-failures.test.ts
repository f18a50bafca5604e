// Everything that must stop a migration run on PostgreSQL, each with one clear paragraph naming the
// problem and the fix, and nothing changed by the step that failed: a failing migration (rolled back,
// file and line named, annotation emitted), and every bad input from issue 2 that concerns migrations.
import fs from 'node:fs';
import path from 'node:path';
import { formatError, MigrationError, MigrationPlanError } from '../../src/errors.js';
import { runMigrations } from '../../src/migrate/run-migrations.js';
import { recordingRuntime } from '../../src/runtime.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';
import { fixture, historyNames, migrationOptions, rejection, REPO_MIGRATIONS, resetSchema, run, tableExists } from './migrate-helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('migrate_fail');
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await resetSchema(db);
});

function copyOfRepoMigrations(): string {
  const dir = makeTempDir('cutover-migs-');
  for (const file of fs.readdirSync(REPO_MIGRATIONS)) fs.copyFileSync(path.join(REPO_MIGRATIONS, file), path.join(dir, file));
  return dir;
}

describe('a failing migration', () => {
  test('rolls back, names the file and line, records the annotation and keeps earlier migrations', async () => {
    const options = migrationOptions(db.location, fixture('migrations-failing'));
    const error = await rejection(runMigrations(options));
    expect(error).toBeInstanceOf(MigrationError);
    const failure = error as unknown as MigrationError;
    expect(failure.migration).toBe('002_broken');
    expect(failure.file).toMatch(/test\/fixtures\/migrations-failing\/002_broken\.up\.sql$/);
    expect(failure.line).toBe(7);
    const text = formatError(error);
    expect(text).toContain('Migration 002_broken failed');
    expect(text).toContain('002_broken.up.sql, line 7');
    expect(text).toContain('syntax error at or near "="');
    expect(text).toContain('SQLSTATE 42601');
    expect(text).toContain('rolled back');
    expect(text).toContain('Fix: fix');

    // Rolled back: the table it created is gone and it has no history row; 001 stays applied.
    expect(await tableExists(db, 'public.broken_half')).toBe(false);
    expect(await tableExists(db, 'public.never_reached')).toBe(false);
    expect(await historyNames(db)).toEqual(['001_create_accounts']);

    const annotation = options.runtime.logs.find((l) => l.level === 'error');
    expect(annotation?.annotation).toMatchObject({ file: failure.file, line: 7, title: 'Migration 002_broken failed' });
    expect(annotation?.message).toContain('syntax error');

    // The outcome so far travels with the error.
    expect(failure.outcome?.applied).toEqual(['001_create_accounts']);
    expect(failure.outcome?.pending).toEqual(['002_broken', '003_never_reached']);
    expect(failure.outcome?.entries.map((e) => [e.name, e.status])).toEqual([
      ['001_create_accounts', 'applied'],
      ['002_broken', 'failed'],
      ['003_never_reached', 'pending'],
    ]);
    expect(failure.outcome?.entries[1].error).toMatchObject({ file: failure.file, line: 7 });
  });

  test('an error found at execution (unknown table) also maps to its line', async () => {
    const dir = makeTempDir('cutover-exec-');
    writeFiles(dir, { '001_a.up.sql': 'CREATE TABLE a (id int);\n\n\nINSERT INTO a\n  SELECT id FROM missing_table;\n' });
    const error = (await rejection(run(db.location, dir))) as unknown as MigrationError;
    expect(error.line).toBe(5);
    expect(formatError(error)).toContain('relation "missing_table" does not exist');
    expect(await tableExists(db, 'public.a')).toBe(false);
    expect(await historyNames(db)).toEqual([]);
  });

  test('a JS migration that throws is rolled back and named', async () => {
    const dir = makeTempDir('cutover-jsfail-');
    writeFiles(dir, { '001_js.mjs': "export async function up({ sql }) {\n  await sql('CREATE TABLE js_made (id int)');\n  throw new Error('nope');\n}\n" });
    const error = (await rejection(run(db.location, dir))) as unknown as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.message).toContain('Migration 001_js failed');
    expect(error.message).toContain('nope');
    expect(error.line).toBe(3);
    expect(await tableExists(db, 'public.js_made')).toBe(false);
  });
});

describe('no-transaction marker', () => {
  test('runs CREATE INDEX CONCURRENTLY (statement by statement) and rolls it back', async () => {
    const dir = fixture('migrations-no-transaction');
    const outcome = await run(db.location, dir);
    expect(outcome.applied).toEqual(['001_create_items', '002_index_items_sku']);
    const { rows } = await db.query(`SELECT obj_description('items_sku_idx'::regclass) AS comment`);
    expect(rows[0].comment).toBe('built concurrently; not in a transaction');
    expect(await historyNames(db)).toEqual(['001_create_items', '002_index_items_sku']);
    const back = await run(db.location, dir, { mode: 'rollback' });
    expect(back.applied).toEqual(['002_index_items_sku']);
    expect(await tableExists(db, 'public.items_sku_idx')).toBe(false);
  });

  test('without the marker, CREATE INDEX CONCURRENTLY fails inside the transaction', async () => {
    const dir = makeTempDir('cutover-concurrently-');
    writeFiles(dir, { '001_t.up.sql': 'CREATE TABLE t (c int);\nCREATE INDEX CONCURRENTLY t_c ON t (c);\n' });
    const error = await rejection(run(db.location, dir));
    expect(formatError(error)).toContain('CREATE INDEX CONCURRENTLY cannot run inside a transaction block');
    expect(await tableExists(db, 'public.t')).toBe(false);
  });

  test('a failure in a no-transaction file names the line and says earlier statements may remain', async () => {
    const dir = makeTempDir('cutover-notx-fail-');
    writeFiles(dir, { '001_t.up.sql': '-- cutover:no-transaction\nCREATE TABLE t (c int);\n\nSELECT c,\n  nope FROM t;\n' });
    const error = (await rejection(run(db.location, dir))) as unknown as MigrationError;
    expect(error.line).toBe(5);
    expect(error.message).toContain('ran without a transaction');
    expect(await historyNames(db)).toEqual([]);
    // The statement before the failing one took effect: that is what the marker trades away.
    expect(await tableExists(db, 'public.t')).toBe(true);
  });
});

describe('bad input (nothing changed, one paragraph with a fix)', () => {
  async function planFailure(dir: string, overrides = {}): Promise<string> {
    const error = await rejection(run(db.location, dir, overrides));
    expect(error).toBeInstanceOf(MigrationPlanError);
    const text = formatError(error);
    expect(text).toContain('Fix:');
    expect(text).not.toContain('\n');
    return text;
  }

  test('missing migrations directory', async () => {
    const dir = path.join(makeTempDir(), 'migrations');
    expect(await planFailure(dir)).toContain(`${dir} does not exist`);
    expect(await tableExists(db, 'public.cutover_migrations')).toBe(false);
  });

  test('empty migrations directory when migrate is asked', async () => {
    expect(await planFailure(makeTempDir())).toContain('contains no migrations');
    expect(await tableExists(db, 'public.cutover_migrations')).toBe(false);
  });

  test('SQL syntax error (see above) and a typo file name are caught before any connection', async () => {
    const dir = makeTempDir();
    writeFiles(dir, { '001_a.up.sql': 'CREATE TABLE a (id int);', '002_b.sql': 'CREATE TABLE b (id int);' });
    expect(await planFailure(dir)).toContain('002_b.sql matches no migration pattern: rename it to 002_b.up.sql');
    expect(await tableExists(db, 'public.a')).toBe(false);
  });

  test('ambiguous and duplicate names', async () => {
    const ambiguous = makeTempDir();
    writeFiles(ambiguous, { '1_a.up.sql': 'CREATE TABLE a1 (id int);', '10_b.up.sql': 'SELECT 1;', '2_c.up.sql': 'SELECT 1;' });
    expect(await planFailure(ambiguous)).toContain('sort ambiguously');
    const duplicate = makeTempDir();
    writeFiles(duplicate, { '001_a.up.sql': 'CREATE TABLE a1 (id int);', '001_b.up.sql': 'SELECT 1;' });
    expect(await planFailure(duplicate)).toContain('id 001 is used by more than one migration');
    expect(await tableExists(db, 'public.a1')).toBe(false);
  });

  test('rollback of a migration with no down file', async () => {
    const dir = fixture('migrations-failing');
    await run(db.location, dir, { to: '001_create_accounts' });
    const noDown = makeTempDir();
    writeFiles(noDown, { '001_create_accounts.up.sql': fs.readFileSync(path.join(dir, '001_create_accounts.up.sql'), 'utf8') });
    // Same up file, down removed: the checksum changes too, so allow that to reach the down check.
    const text = await planFailure(noDown, { mode: 'rollback', allowChangedMigrations: true });
    expect(text).toContain('Cannot roll back 001_create_accounts (there is no 001_create_accounts.down.sql), so nothing was rolled back');
    expect(await historyNames(db)).toEqual(['001_create_accounts']);
    expect(await tableExists(db, 'public.accounts')).toBe(true);
  });

  test('rollback of several where one has no down file rolls back none', async () => {
    const dir = makeTempDir();
    writeFiles(dir, { '001_a.up.sql': 'CREATE TABLE a (id int);', '002_b.up.sql': 'CREATE TABLE b (id int);', '002_b.down.sql': 'DROP TABLE b;' });
    await run(db.location, dir);
    const text = await planFailure(dir, { mode: 'rollback', steps: 2 });
    expect(text).toContain('001_a (there is no 001_a.down.sql)');
    expect(await historyNames(db)).toEqual(['001_a', '002_b']);
    expect(await tableExists(db, 'public.b')).toBe(true);
  });

  test('`to` naming an unknown migration', async () => {
    const text = await planFailure(REPO_MIGRATIONS, { to: '005_nope' });
    expect(text).toContain("'to' names the migration '005_nope'");
    expect(text).toContain('known migrations: 001_create_users, 002_create_orders');
    expect(await tableExists(db, 'public.users')).toBe(false);
    const rollback = await planFailure(REPO_MIGRATIONS, { mode: 'rollback', to: 'nope' });
    expect(rollback).toContain("'nope'");
  });

  test('edited applied migration stops the run before any change; allow-changed-migrations warns and continues', async () => {
    const dir = copyOfRepoMigrations();
    await run(db.location, dir, { to: '002_create_orders' });
    fs.appendFileSync(path.join(dir, '001_create_users.up.sql'), '\n-- edited after it was applied\n');
    const text = await planFailure(dir);
    expect(text).toContain('1 applied migration no longer matches the files, so nothing was run');
    expect(text).toContain('edited after being applied: 001_create_users');
    expect(text).toContain('allow-changed-migrations');
    expect(await tableExists(db, 'public.events')).toBe(false);

    const runtime = recordingRuntime();
    const allowed = await run(db.location, dir, { allowChangedMigrations: true, runtime });
    expect(allowed.applied).toEqual(['003_create_events', '004_index_events_by_user_time']);
    expect(allowed.warnings.join(' ')).toContain('001_create_users');
    expect(runtime.logs.some((l) => l.level === 'warning' && l.message.includes('allow-changed-migrations'))).toBe(true);
    expect(allowed.entries[0].status).toBe('changed');

    // status reports drift instead of failing.
    const status = await run(db.location, dir, { mode: 'status' });
    expect(status.entries[0].status).toBe('changed');
    expect(status.warnings[0]).toContain('001_create_users');
  });

  test('deleted applied migration stops the run before any change', async () => {
    const dir = copyOfRepoMigrations();
    await run(db.location, dir, { to: '002_create_orders' });
    fs.rmSync(path.join(dir, '002_create_orders.up.sql'));
    fs.rmSync(path.join(dir, '002_create_orders.down.sql'));
    const text = await planFailure(dir);
    expect(text).toContain(`applied but no longer in ${dir}: 002_create_orders`);
    expect(await tableExists(db, 'public.events')).toBe(false);
    const status = await run(db.location, dir, { mode: 'status' });
    expect(status.entries.map((e) => [e.name, e.status])).toEqual([
      ['001_create_users', 'applied'],
      ['002_create_orders', 'missing-file'],
      ['003_create_events', 'pending'],
      ['004_index_events_by_user_time', 'pending'],
    ]);
  });
});
