// Every tool's history table, created exactly as the tool creates it and filled as the tool fills it,
// is found by name and columns and read back: what it records, and the states it gets stuck in
// (golang-migrate dirty, a failed Prisma or Flyway migration) with the tool's own fix.
import pg from 'pg';
import { openSqlite } from '../../src/db/sqlite-open.js';
import { findHistoryTables, postgresReader, sqliteReader } from '../../src/tools/find-history-tables.js';
import { readHistories, type HistorySnapshot } from '../../src/tools/inspect-history.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { ALEMBIC, DBMATE, DJANGO, FLYWAY, GOLANG_MIGRATE, PRISMA, SUPABASE } from '../fixtures/tool-history-ddl.js';
import path from 'node:path';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('tool_histories');
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.query('DROP SCHEMA IF EXISTS supabase_migrations CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
});

async function snapshot(): Promise<HistorySnapshot> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return await readHistories(postgresReader(client));
  } finally {
    await client.end();
  }
}

test('Alembic: alembic_version holds the current head', async () => {
  await db.query(ALEMBIC);
  await db.query(`INSERT INTO alembic_version (version_num) VALUES ('c3d4e5f6a7b8')`);
  const { histories, unknown } = await snapshot();
  expect(unknown).toEqual([]);
  expect(histories.map((h) => [h.tool, h.table.display])).toEqual([['alembic', 'public.alembic_version']]);
  expect(histories[0].records).toEqual([{ id: 'c3d4e5f6a7b8', state: 'applied' }]);
});

test('Django: one row per applied migration, app.name', async () => {
  await db.query(DJANGO);
  await db.query(`INSERT INTO django_migrations (app, name, applied) VALUES ('orders', '0001_initial', '2024-01-01T10:00:00Z'), ('orders', '0002_order_note', '2024-01-02T10:00:00Z')`);
  const [history] = (await snapshot()).histories;
  expect(history.tool).toBe('django');
  expect(history.records.map((r) => [r.id, r.appliedAt])).toEqual([
    ['orders.0001_initial', '2024-01-01T10:00:00.000Z'],
    ['orders.0002_order_note', '2024-01-02T10:00:00.000Z'],
  ]);
});

test('Prisma: a migration that did not finish is failed, with `prisma migrate resolve` as the fix; a rolled-back one is not applied', async () => {
  await db.query(PRISMA);
  await db.query(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count) VALUES
    ('7d1f6b5e-0000-4000-8000-000000000001', repeat('a', 64), '2024-01-01T10:00:01Z', '20240101100000_init', NULL, '2024-01-01T10:00:00Z', 1),
    ('7d1f6b5e-0000-4000-8000-000000000002', repeat('b', 64), NULL, '20240102100000_add_orders', E'Error: relation "users" does not exist\\n0: ...', '2024-01-02T10:00:00Z', 0)`);
  await db.query(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, rolled_back_at, started_at, applied_steps_count) VALUES
    ('7d1f6b5e-0000-4000-8000-000000000003', repeat('c', 64), NULL, '20240101120000_tried', '2024-01-01T12:30:00Z', '2024-01-01T12:00:00Z', 0)`);
  const [history] = (await snapshot()).histories;
  expect(history.tool).toBe('prisma');
  expect(history.records.map((r) => [r.id, r.state])).toEqual([
    ['20240101100000_init', 'applied'],
    ['20240101120000_tried', 'rolled-back'],
    ['20240102100000_add_orders', 'failed'],
  ]);
  expect(history.problems).toHaveLength(1);
  expect(history.problems[0].message).toContain('20240102100000_add_orders');
  expect(history.problems[0].message).toContain('relation "users" does not exist');
  expect(history.problems[0].fix).toContain('npx prisma migrate resolve --rolled-back 20240102100000_add_orders');
});

test('Flyway: versions by installed_rank; the schema marker is skipped; a failed row asks for flyway repair', async () => {
  await db.query(FLYWAY);
  await db.query(`INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES
    (1, NULL, '<< Flyway Schema Creation >>', 'SCHEMA', '"public"', NULL, 'postgres', 0, true),
    (2, '1', 'create users', 'SQL', 'V1__create_users.sql', 12345, 'postgres', 8, true),
    (3, '1.1', 'add email', 'SQL', 'V1_1__add_email.sql', 23456, 'postgres', 5, true),
    (4, '2', 'broken', 'SQL', 'V2__broken.sql', 34567, 'postgres', 3, false)`);
  const [history] = (await snapshot()).histories;
  expect(history.tool).toBe('flyway');
  expect(history.records.map((r) => [r.id, r.state, r.durationMs])).toEqual([
    ['1', 'applied', 8],
    ['1.1', 'applied', 5],
    ['2', 'failed', 3],
  ]);
  expect(history.problems[0].fix).toContain('flyway repair');
});

test('golang-migrate: one version row; dirty is reported with `migrate force` as the fix', async () => {
  await db.query(GOLANG_MIGRATE);
  await db.query(`INSERT INTO "public"."schema_migrations" (version, dirty) VALUES (3, true)`);
  const [history] = (await snapshot()).histories;
  expect(history.tool).toBe('golang-migrate');
  expect(history.records).toEqual([{ id: '3', state: 'dirty' }]);
  expect(history.problems[0].message).toContain('Dirty database version 3. Fix and force version.');
  expect(history.problems[0].fix).toContain('force <version>');
});

test('dbmate: schema_migrations with one version column is not golang-migrate', async () => {
  await db.query(DBMATE);
  await db.query(`insert into "public".schema_migrations (version) values ('20240101120000'), ('20240102120000')`);
  const [history] = (await snapshot()).histories;
  expect(history.tool).toBe('dbmate');
  expect(history.records.map((r) => r.id)).toEqual(['20240101120000', '20240102120000']);
  expect(history.problems).toEqual([]);
});

test('Supabase CLI: supabase_migrations.schema_migrations (version, statements, name)', async () => {
  await db.query(SUPABASE);
  await db.query(`INSERT INTO supabase_migrations.schema_migrations(version, name, statements) VALUES ('20240101120000', 'create_profiles', ARRAY['create table profiles (id uuid primary key)'])`);
  const [history] = (await snapshot()).histories;
  expect(history.tool).toBe('supabase');
  expect(history.table.display).toBe('supabase_migrations.schema_migrations');
  expect(history.records).toEqual([{ id: '20240101120000', description: 'create_profiles', state: 'applied' }]);
});

test('two tools in one database: golang-migrate in public and the Supabase CLI, each read as its own', async () => {
  await db.query(SUPABASE);
  await db.query(GOLANG_MIGRATE);
  await db.query(`INSERT INTO supabase_migrations.schema_migrations(version, name, statements) VALUES ('20240101120000', 'init', '{}')`);
  await db.query(`INSERT INTO public.schema_migrations (version, dirty) VALUES (2, false)`);
  const { histories } = await snapshot();
  expect(histories.map((h) => [h.tool, h.table.display, h.records.map((r) => r.id)])).toEqual([
    ['golang-migrate', 'public.schema_migrations', ['2']],
    ['supabase', 'supabase_migrations.schema_migrations', ['20240101120000']],
  ]);
});

test('a schema_migrations whose columns fit no tool is reported as unknown, not guessed', async () => {
  await db.query(`CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz)`);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const tables = await findHistoryTables(postgresReader(client));
    expect(tables.found).toEqual([]);
    expect(tables.unknown.map((u) => [u.display, u.columns, u.expected.map((l) => l.tool)])).toEqual([
      ['public.schema_migrations', ['version', 'applied_at'], ['golang-migrate', 'dbmate']],
    ]);
  } finally {
    await client.end();
  }
});

test('SQLite: an Alembic dev database has its alembic_version found too', async () => {
  const file = path.join(makeTempDir('tool-history-'), 'dev.db');
  const db = await openSqlite({ kind: 'sqlite', path: file }, { input: 'test', readonly: false, create: true });
  try {
    db.exec(`CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)); INSERT INTO alembic_version VALUES ('b2c3d4e5f6a7');`);
    db.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)`);
    const { histories } = await readHistories(sqliteReader(db));
    expect(histories.map((h) => [h.tool, h.table.display, h.records[0].id])).toEqual([['alembic', 'alembic_version', 'b2c3d4e5f6a7']]);
  } finally {
    db.close();
  }
});
