// What a migration's checksum covers: the up file as applied (line endings and a leading byte-order
// mark aside). Adding, editing or removing a .down.sql is not drift. Rows recorded by earlier
// versions (sha256 of up + down, as read) still match their unchanged files. And the outputs of a
// status run: `applied` is what this run applied (nothing), `history` every applied migration.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runMode } from '../../src/engine/run-mode.js';
import { formatError, MigrationPlanError } from '../../src/errors.js';
import { reportOutputs } from '../../src/report/publish-report.js';
import { recordingRuntime } from '../../src/runtime.js';
import { buildSettings } from '../../src/settings.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';
import { rejection, resetSchema, run } from './migrate-helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('migrate_checksums');
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await resetSchema(db);
});

const UP = 'CREATE TABLE things (id int);\r\n';
const DOWN = 'DROP TABLE things;\n';
const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

async function recorded(): Promise<Record<string, string>> {
  const { rows } = await db.query<{ name: string; checksum: string }>('SELECT name, checksum FROM cutover_migrations ORDER BY name');
  return Object.fromEntries(rows.map((r) => [r.name, r.checksum]));
}

async function statuses(dir: string): Promise<string[]> {
  const outcome = await run(db.location, dir, { mode: 'status' });
  return outcome.entries.map((e) => `${e.name}:${e.status}`);
}

test('the checksum covers the up file only: adding, editing or removing the down file is not drift', async () => {
  const dir = makeTempDir('cutover-sums-');
  writeFiles(dir, { '001_things.up.sql': UP, '001_things.down.sql': DOWN });
  await run(db.location, dir);
  // Recorded: sha256 of the up file with CRLF as LF.
  expect(await recorded()).toEqual({ '001_things': sha256('CREATE TABLE things (id int);\n') });

  fs.rmSync(path.join(dir, '001_things.down.sql'));
  expect(await statuses(dir)).toEqual(['001_things:applied']);
  writeFiles(dir, { '001_things.down.sql': 'DROP TABLE IF EXISTS things;\n', '002_more.up.sql': 'CREATE TABLE more (id int);\n' });
  expect((await run(db.location, dir)).applied).toEqual(['002_more']);

  // The up file still counts.
  writeFiles(dir, { '001_things.up.sql': 'CREATE TABLE things (id bigint);\n' });
  const error = await rejection(run(db.location, dir));
  expect(error).toBeInstanceOf(MigrationPlanError);
  expect(formatError(error)).toContain('edited after being applied: 001_things');
});

test('a leading byte-order mark does not change the checksum', async () => {
  const dir = makeTempDir('cutover-sums-bom-');
  writeFiles(dir, { '001_things.up.sql': `\uFEFF${UP}` });
  await run(db.location, dir);
  expect(await recorded()).toEqual({ '001_things': sha256('CREATE TABLE things (id int);\n') });
  writeFiles(dir, { '001_things.up.sql': UP });
  expect(await statuses(dir)).toEqual(['001_things:applied']);
});

test('rows recorded the old way (up + down, as read) still match; new rows use the new form', async () => {
  const dir = makeTempDir('cutover-sums-legacy-');
  const js = '\uFEFFexport async function up({ sql }) { await sql(\'CREATE TABLE js_made (id int)\'); }\n';
  writeFiles(dir, { '001_things.up.sql': UP, '001_things.down.sql': DOWN, '002_js.mjs': js, '003_new.up.sql': 'CREATE TABLE fresh (id int);\n' });
  // What earlier versions recorded: sha256 of the up text then the down text (CRLF as LF), a BOM kept.
  await db.query(`CREATE TABLE cutover_migrations (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), duration_ms integer, applied_by text)`);
  await db.query('CREATE TABLE things (id int); CREATE TABLE js_made (id int);');
  const legacy = { '001_things': sha256('CREATE TABLE things (id int);\n' + DOWN), '002_js': sha256(js) };
  for (const [name, checksum] of Object.entries(legacy)) await db.query('INSERT INTO cutover_migrations (name, checksum) VALUES ($1, $2)', [name, checksum]);

  expect(await statuses(dir)).toEqual(['001_things:applied', '002_js:applied', '003_new:pending']);
  // status writes nothing.
  expect(await recorded()).toEqual(legacy);
  const runtime = recordingRuntime();
  expect((await run(db.location, dir, { runtime })).applied).toEqual(['003_new']);
  // migrate records the current form for the old rows whose files are unchanged.
  expect(await recorded()).toEqual({
    '001_things': sha256('CREATE TABLE things (id int);\n'),
    '002_js': sha256(js.slice(1)),
    '003_new': sha256('CREATE TABLE fresh (id int);\n'),
  });
  expect(runtime.logs.some((l) => l.message.startsWith('Recorded the current checksum form (up file only) for 2 migrations applied by an earlier version of cutover') && l.message.includes('001_things, 002_js'))).toBe(true);

  // From then on, removing the down file is not drift.
  fs.rmSync(path.join(dir, '001_things.down.sql'));
  expect(await statuses(dir)).toEqual(['001_things:applied', '002_js:applied', '003_new:applied']);
  // An edited up file is drift under both forms.
  writeFiles(dir, { '001_things.up.sql': 'CREATE TABLE things (id bigint);\n' });
  expect(await statuses(dir)).toEqual(['001_things:changed', '002_js:applied', '003_new:applied']);
});

test('a legacy row whose down file changed before the first run of this version is drift, with the way out in the fix', async () => {
  const dir = makeTempDir('cutover-sums-legacy-down-');
  writeFiles(dir, { '001_things.up.sql': UP });
  await db.query(`CREATE TABLE cutover_migrations (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), duration_ms integer, applied_by text)`);
  await db.query('INSERT INTO cutover_migrations (name, checksum) VALUES ($1, $2)', ['001_things', sha256('CREATE TABLE things (id int);\n' + DOWN)]);
  const text = formatError(await rejection(run(db.location, dir)));
  expect(text).toContain('edited after being applied: 001_things');
  expect(text).toContain('Restore the down file and run migrate once');
  writeFiles(dir, { '001_things.down.sql': DOWN });
  expect((await run(db.location, dir)).applied).toEqual([]);
  fs.rmSync(path.join(dir, '001_things.down.sql'));
  expect(await statuses(dir)).toEqual(['001_things:applied']);
});

test('outputs: status applies nothing (applied is empty) and history lists every applied migration in order', async () => {
  const dir = makeTempDir('cutover-sums-out-');
  writeFiles(dir, { '001_a.up.sql': 'CREATE TABLE a (id int);\n', '002_b.up.sql': 'CREATE TABLE b (id int);\n', '010_c.up.sql': 'CREATE TABLE c (id int);\n' });
  const settings = (mode: string, extra: Record<string, string> = {}) => buildSettings({ mode, 'target-url': db.url, 'migrations-dir': dir, ...extra }, { origin: 'cli', env: {}, cwd: dir });
  const first = await runMode(settings('migrate', { to: '002_b' }), recordingRuntime());
  expect(reportOutputs(first)).toMatchObject({ applied: '["001_a","002_b"]', history: '["001_a","002_b"]', pending: '["010_c"]' });

  const status = await runMode(settings('status'), recordingRuntime());
  expect(status.ok).toBe(true);
  expect(reportOutputs(status)).toMatchObject({ applied: '[]', history: '["001_a","002_b"]', pending: '["010_c"]' });

  const second = await runMode(settings('migrate'), recordingRuntime());
  expect(reportOutputs(second)).toMatchObject({ applied: '["010_c"]', history: '["001_a","002_b","010_c"]', pending: '[]' });
});
