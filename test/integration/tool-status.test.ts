// status of databases managed by other tools, through the engine's front door: which tool manages
// the database, what its history table records, and what is pending from its files. Before this,
// `status --migrations-dir alembic/versions` said "0 migrations pending / No migrations found".
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMode } from '../../src/engine/run-mode.js';
import { recordingRuntime } from '../../src/runtime.js';
import { buildSettings, type RawInputs } from '../../src/settings.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';
import { ALEMBIC, DBMATE, FLYWAY, GOLANG_MIGRATE, PRISMA, SUPABASE } from '../fixtures/tool-history-ddl.js';

const ALEMBIC_PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/alembic-project');
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('tool_status');
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.query('DROP SCHEMA IF EXISTS supabase_migrations CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
});

function status(cwd: string, raw: RawInputs = {}) {
  const runtime = recordingRuntime();
  const settings = buildSettings({ mode: 'status', 'target-url': db.url, ...raw }, { origin: 'cli', env: { RUNNER_TEMP: makeTempDir('tool-status-') }, cwd });
  return runMode(settings, runtime).then((result) => ({ result, runtime }));
}

test('migrations-dir alembic/versions on a database without alembic_version: three revisions pending, named as Alembic', async () => {
  const { result } = await status(ALEMBIC_PROJECT, { 'migrations-dir': 'alembic/versions' });
  expect(result.error).toBeUndefined();
  expect(result.migrations.map((m) => [m.name, m.status])).toEqual([
    ['a1b2c3d4e5f6 (create users)', 'pending'],
    ['b2c3d4e5f6a7 (create orders)', 'pending'],
    ['c3d4e5f6a7b8 (add order status)', 'pending'],
  ]);
  expect(result.notes).toContain('alembic/versions holds Alembic migrations, and the database has no alembic_version table: none is applied (3 pending).');
  expect(result.notes).toContain('3 migrations pending.');
});

test('a database at an Alembic revision: applied up to its head, the rest pending (files found through alembic.ini)', async () => {
  await db.query(ALEMBIC);
  await db.query(`INSERT INTO alembic_version VALUES ('b2c3d4e5f6a7')`);
  const { result } = await status(ALEMBIC_PROJECT);
  expect(result.error).toBeUndefined();
  expect(result.migrations.map((m) => [m.name, m.status])).toEqual([
    ['a1b2c3d4e5f6 (create users)', 'applied'],
    ['b2c3d4e5f6a7 (create orders)', 'applied'],
    ['c3d4e5f6a7b8 (add order status)', 'pending'],
  ]);
  expect(result.notes).toContain('Managed by Alembic: public.alembic_version records head b2c3d4e5f6a7; alembic/versions has 3 revisions, 1 pending.');
  expect(result.histories).toEqual([{ tool: 'alembic', label: 'Alembic', table: 'public.alembic_version', filesDir: path.join(ALEMBIC_PROJECT, 'alembic/versions'), pending: ['c3d4e5f6a7b8 (add order status)'], changed: [] }]);
  expect(result.history).toEqual(['a1b2c3d4e5f6 (create users)', 'b2c3d4e5f6a7 (create orders)']);
});

test('a head no revision file defines is a warning with the fix (alembic stamp)', async () => {
  await db.query(ALEMBIC);
  await db.query(`INSERT INTO alembic_version VALUES ('ffffffffffff')`);
  const { result } = await status(ALEMBIC_PROJECT);
  expect(result.warnings.join('\n')).toMatch(/records ffffffffffff, which no revision file in alembic\/versions defines.*alembic stamp/);
  expect(result.migrations.find((m) => m.name === 'ffffffffffff')?.status).toBe('missing-file');
});

test('migrate without migrate-command on an Alembic versions directory says whose files they are and what to set', async () => {
  const runtime = recordingRuntime();
  const settings = buildSettings({ mode: 'migrate', 'target-url': db.url, 'migrations-dir': 'alembic/versions' }, { origin: 'cli', env: {}, cwd: ALEMBIC_PROJECT });
  const result = await runMode(settings, runtime);
  expect(result.ok).toBe(false);
  expect(result.error).toContain('--migrations-dir (alembic/versions) holds Alembic migrations, which cutover does not run itself.');
  expect(result.error).toContain('set --migrate-command to `alembic upgrade head`');
});

test('golang-migrate: files up to the recorded version are applied, a dirty version is failed with the fix, later ones pending', async () => {
  const dir = makeTempDir('tool-status-gm-');
  writeFiles(dir, {
    'db/migrations/000001_create_users.up.sql': 'create table users (id int);',
    'db/migrations/000001_create_users.down.sql': 'drop table users;',
    'db/migrations/000002_add_email.up.sql': 'alter table users add email text;',
    'db/migrations/000003_add_index.up.sql': 'create index on users (email);',
  });
  await db.query(GOLANG_MIGRATE);
  await db.query(`INSERT INTO schema_migrations VALUES (2, true)`);
  const { result } = await status(dir, { 'migrations-dir': 'db/migrations' });
  expect(result.migrations.map((m) => [m.name, m.status])).toEqual([
    ['000001_create_users', 'applied'],
    ['000002_add_email', 'failed'],
    ['000003_add_index', 'pending'],
  ]);
  expect(result.warnings.join('\n')).toContain('Dirty database version 2. Fix and force version.');
  expect(result.notes).toContain('Managed by golang-migrate: public.schema_migrations records version 2 (dirty); db/migrations has 3 migrations, 1 pending.');
});

test('Prisma: prisma/migrations directories against _prisma_migrations', async () => {
  const dir = makeTempDir('tool-status-prisma-');
  writeFiles(dir, {
    'prisma/schema.prisma': 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
    'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
    'prisma/migrations/20240101100000_init/migration.sql': 'CREATE TABLE "User" (id SERIAL PRIMARY KEY);',
    'prisma/migrations/20240102100000_add_post/migration.sql': 'CREATE TABLE "Post" (id SERIAL PRIMARY KEY);',
  });
  await db.query(PRISMA);
  await db.query(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ('1', repeat('a', 64), now(), '20240101100000_init', 1)`);
  const { result } = await status(dir);
  expect(result.migrations.map((m) => [m.name, m.status])).toEqual([
    ['20240101100000_init', 'applied'],
    ['20240102100000_add_post', 'pending'],
  ]);
  expect(fs.existsSync(path.join(dir, 'migrations'))).toBe(false);
  expect(result.notes[0]).toBe('Managed by Prisma: public._prisma_migrations records 1 migration (last: 20240101100000_init); prisma/migrations has 2 migrations, 1 pending.');
});

test('Flyway: V<version>__<description>.sql in sql/ against flyway_schema_history, versions compared as Flyway does', async () => {
  const dir = makeTempDir('tool-status-flyway-');
  writeFiles(dir, {
    'sql/V1__create_users.sql': 'create table users (id int);',
    'sql/V1_1__add_email.sql': 'alter table users add email text;',
    'sql/V2__add_orders.sql': 'create table orders (id int);',
  });
  await db.query(FLYWAY);
  await db.query(`INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES
    (1, '1', 'create users', 'SQL', 'V1__create_users.sql', 1, 'postgres', 8, true), (2, '1.1', 'add email', 'SQL', 'V1_1__add_email.sql', 2, 'postgres', 5, true)`);
  const { result } = await status(dir);
  expect(result.migrations.map((m) => [m.name, m.status, m.durationMs])).toEqual([
    ['V1__create_users', 'applied', 8],
    ['V1_1__add_email', 'applied', 5],
    ['V2__add_orders', 'pending', undefined],
  ]);
  expect(result.notes[0]).toBe('Managed by Flyway: public.flyway_schema_history records 2 migrations (last: 1.1); sql has 3 migrations, 1 pending.');
});

test('dbmate: db/migrations/<version>_<name>.sql against its one-column schema_migrations', async () => {
  const dir = makeTempDir('tool-status-dbmate-');
  writeFiles(dir, {
    'db/migrations/20240101120000_create_users.sql': '-- migrate:up\ncreate table users (id int);\n\n-- migrate:down\ndrop table users;\n',
    'db/migrations/20240102120000_add_email.sql': '-- migrate:up\nalter table users add email text;\n\n-- migrate:down\n',
  });
  await db.query(DBMATE);
  await db.query(`insert into schema_migrations (version) values ('20240101120000')`);
  const { result } = await status(dir);
  expect(result.migrations.map((m) => [m.name, m.status])).toEqual([
    ['20240101120000_create_users', 'applied'],
    ['20240102120000_add_email', 'pending'],
  ]);
  expect(result.notes[0]).toBe('Managed by dbmate: public.schema_migrations records 1 migration (last: 20240101120000); db/migrations has 2 migrations, 1 pending.');
});

test('two tools in one database: golang-migrate in public and the Supabase CLI, each with its files', async () => {
  const dir = makeTempDir('tool-status-two-');
  writeFiles(dir, {
    'migrations/000001_create_users.up.sql': 'create table users (id int);',
    'migrations/000002_add_email.up.sql': 'alter table users add email text;',
    'supabase/migrations/20240101120000_create_profiles.sql': 'create table profiles (id uuid);',
    'supabase/migrations/20240301120000_add_bio.sql': 'alter table profiles add bio text;',
  });
  await db.query(GOLANG_MIGRATE);
  await db.query(`INSERT INTO schema_migrations VALUES (2, false)`);
  await db.query(SUPABASE);
  await db.query(`INSERT INTO supabase_migrations.schema_migrations(version, name, statements) VALUES ('20240101120000', 'create_profiles', '{}')`);
  const { result } = await status(dir);
  expect(result.error).toBeUndefined();
  expect(result.notes.slice(0, 2)).toEqual([
    'Managed by golang-migrate: public.schema_migrations records version 2; migrations has 2 migrations, 0 pending.',
    'Managed by the Supabase CLI: supabase_migrations.schema_migrations records 1 migration (last: 20240101120000); supabase/migrations has 2 migrations, 1 pending.',
  ]);
  expect(result.migrations.map((m) => [m.name, m.status])).toEqual([
    ['000001_create_users', 'applied'],
    ['000002_add_email', 'applied'],
    ['20240101120000_create_profiles', 'applied'],
    ['20240301120000_add_bio', 'pending'],
  ]);
  // migrations/ holds golang-migrate's files: cutover's own status does not list them a second time.
  expect(result.migrations).toHaveLength(4);
});
