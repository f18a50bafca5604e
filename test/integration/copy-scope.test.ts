// Which tables a copy or verify covers, and that it says so: every non-system, non-managed schema by
// default (a second schema is copied and verified), Supabase platform schemas, extension-owned tables
// and cutover's history listed as left out with the reason, and include entries or sources that
// select nothing are errors that leave the target untouched.
import fs from 'node:fs';
import path from 'node:path';
import { copyData } from '../../src/copy/copy-data.js';
import { formatError } from '../../src/errors.js';
import { verifyData } from '../../src/verify/verify-data.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { copyOptions, makeSqlite, sqliteAt, verifyOptions } from './copy-helpers.js';

const APP_TABLES = `
  CREATE SCHEMA billing;
  CREATE TABLE public.users (id int PRIMARY KEY, email text NOT NULL);
  CREATE TABLE public.orders (id int PRIMARY KEY, user_id int NOT NULL REFERENCES public.users(id), total numeric(10,2));
  CREATE TABLE billing.invoices (id int PRIMARY KEY, user_id int NOT NULL REFERENCES public.users(id), amount numeric(10,2));
`;
// What a Supabase project holds besides the app's tables (the platform schemas, a table an
// extension owns, cutover's own history).
const PLATFORM_TABLES = `
  CREATE SCHEMA auth; CREATE SCHEMA storage;
  CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);
  CREATE TABLE storage.objects (id uuid PRIMARY KEY, name text);
  CREATE EXTENSION IF NOT EXISTS hstore;
  CREATE TABLE public.spatial_ref_sys (srid int PRIMARY KEY, auth_name text);
  ALTER EXTENSION hstore ADD TABLE public.spatial_ref_sys;
  CREATE TABLE public.cutover_migrations (name text PRIMARY KEY);
`;

let source: TestDatabase;
let target: TestDatabase;

const targetState = `SELECT (SELECT count(*) FROM public.users)::int AS users, (SELECT count(*) FROM public.orders)::int AS orders,
  (SELECT count(*) FROM billing.invoices)::int AS invoices, (SELECT count(*) FROM auth.users)::int AS auth_users`;

beforeAll(async () => {
  source = await createTestDatabase('scope_source');
  target = await createTestDatabase('scope_target');
  await source.query(APP_TABLES + PLATFORM_TABLES);
  await source.query(`
    INSERT INTO public.users SELECT g, 'u' || g || '@example.com' FROM generate_series(1, 20) g;
    INSERT INTO public.orders SELECT g, 1 + g % 20, g * 1.5 FROM generate_series(1, 30) g;
    INSERT INTO billing.invoices SELECT g, 1 + g % 20, g * 10 FROM generate_series(1, 25) g;
    INSERT INTO auth.users VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'admin@example.com');
    INSERT INTO storage.objects VALUES ('b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'avatar.png');
    INSERT INTO public.spatial_ref_sys VALUES (4326, 'EPSG');
    INSERT INTO public.cutover_migrations VALUES ('001_init');`);
  // The target is a fresh Supabase-like project: its own auth schema, the app's tables empty.
  await target.query(`${APP_TABLES} CREATE SCHEMA auth; CREATE TABLE auth.users (id uuid PRIMARY KEY, email text);`);
});
afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

async function emptyTarget(): Promise<void> {
  await target.query('TRUNCATE public.users, public.orders, billing.invoices, auth.users');
}

describe('default scope, Postgres → Postgres', () => {
  beforeEach(emptyTarget);

  test('a second schema is copied and verified; platform, extension-owned and history tables are left out and listed', async () => {
    const options = copyOptions(source.location, target.location);
    const outcome = await copyData(options);
    expect(outcome.verified).toBe(true);
    expect(outcome.tables.map((t) => [t.table, t.sourceRows, t.targetRows, t.checksumMatch]).sort()).toEqual([
      ['billing.invoices', 25, 25, true],
      ['public.orders', 30, 30, true],
      ['public.users', 20, 20, true],
    ]);
    expect((await target.query(targetState)).rows[0]).toEqual({ users: 20, orders: 30, invoices: 25, auth_users: 0 });
    expect(outcome.leftOut).toEqual([
      { table: 'auth.users', reason: 'Supabase platform schema' },
      { table: 'public.cutover_migrations', reason: "cutover's migration history" },
      { table: 'public.spatial_ref_sys', reason: 'extension-owned (hstore)' },
      { table: 'storage.objects', reason: 'Supabase platform schema' },
    ]);
    const logged = options.runtime.logs.filter((l) => /^Left out /.test(l.message));
    expect(logged.map((l) => l.message)).toEqual([
      "Left out 4 tables — Supabase platform schema: auth.users, storage.objects; cutover's migration history: public.cutover_migrations; extension-owned (hstore): public.spatial_ref_sys.",
    ]);

    const verify = await verifyData(verifyOptions(source.location, target.location));
    expect(verify.verified).toBe(true);
    expect(verify.tables.map((t) => t.table)).toEqual(['billing.invoices', 'public.orders', 'public.users']);
    expect(verify.leftOut).toEqual(outcome.leftOut);
    await target.query('UPDATE billing.invoices SET amount = 0 WHERE id = 7');
    const tampered = await verifyData(verifyOptions(source.location, target.location));
    expect(tampered.verified).toBe(false);
    expect(tampered.tables.find((t) => t.table === 'billing.invoices')).toMatchObject({ checksumMatch: false, differingKeys: ['id=7'] });
  });

  test('exclude patterns and include lists are reported as the reason a table was left out', async () => {
    const outcome = await copyData(copyOptions(source.location, target.location, { exclude: ['billing.*'] }));
    expect(outcome.tables.map((t) => t.table).sort()).toEqual(['public.orders', 'public.users']);
    expect(outcome.leftOut).toContainEqual({ table: 'billing.invoices', reason: "excluded by exclude pattern 'billing.*'" });
    await emptyTarget();
    const only = await copyData(copyOptions(source.location, target.location, { include: ['users'] }));
    expect(only.tables.map((t) => t.table)).toEqual(['public.users']);
    expect(only.leftOut).toContainEqual({ table: 'public.orders', reason: 'not matched by include' });
  });

  test('a platform table named with its schema in include is copied', async () => {
    const outcome = await copyData(copyOptions(source.location, target.location, { include: ['auth.users'] }));
    expect(outcome.verified).toBe(true);
    expect(outcome.tables.map((t) => t.table)).toEqual(['auth.users']);
    expect((await target.query(targetState)).rows[0]).toEqual({ users: 0, orders: 0, invoices: 0, auth_users: 1 });
  });

  test('a source table whose schema the target lacks is an error naming the schema', async () => {
    await source.query('CREATE SCHEMA reporting; CREATE TABLE reporting.daily (day date PRIMARY KEY)');
    try {
      const error = await copyData(copyOptions(source.location, target.location)).catch((e: unknown) => e);
      expect(formatError(error)).toMatch(/table reporting\.daily does not exist in the target \(the target has no tables in schema reporting\)/);
      expect((await target.query(targetState)).rows[0]).toEqual({ users: 0, orders: 0, invoices: 0, auth_users: 0 });
    } finally {
      await source.query('DROP SCHEMA reporting CASCADE');
    }
  });
});

describe('include entries and sources that select nothing are errors', () => {
  beforeEach(emptyTarget);

  test('a typo in include names the entry and suggests the existing table; nothing is written', async () => {
    const error = await copyData(copyOptions(source.location, target.location, { include: ['users', 'ordrs'] })).catch((e: unknown) => e);
    const text = formatError(error);
    expect(text).toMatch(/^include names a table the source does not have: 'ordrs' \(did you mean public\.orders\?\)\./);
    expect(text).toMatch(/Fix: /);
    expect((await target.query(targetState)).rows[0]).toEqual({ users: 0, orders: 0, invoices: 0, auth_users: 0 });
    const verifyError = await verifyData(verifyOptions(source.location, target.location, { include: ['users', 'ordrs'] })).catch((e: unknown) => e);
    expect(formatError(verifyError)).toMatch(/'ordrs' \(did you mean public\.orders\?\)/);
  });

  test('a pattern matching nothing is an error listing the source tables', async () => {
    const error = await copyData(copyOptions(source.location, target.location, { include: ['zz*'] })).catch((e: unknown) => e);
    expect(formatError(error)).toMatch(/^include names a table the source does not have: 'zz\*' \(matches no table; the source has billing\.invoices, public\.orders, public\.users\)\./);
    expect((await target.query(targetState)).rows[0]).toEqual({ users: 0, orders: 0, invoices: 0, auth_users: 0 });
  });

  test('an include that only matches a left-out table says why it was left out', async () => {
    const error = await copyData(copyOptions(source.location, target.location, { include: ['objects'] })).catch((e: unknown) => e);
    expect(formatError(error)).toMatch(/'objects' matches only storage\.objects, left out: Supabase platform schema \(name it with its schema, e\.g\. storage\.objects, to include it\)/);
  });

  test('a 0-byte SQLite file: copy and verify refuse, naming the source', async () => {
    const file = path.join(makeTempDir(), 'empty.db');
    fs.writeFileSync(file, '');
    for (const run of [() => copyData(copyOptions(sqliteAt(file), target.location)), () => verifyData(verifyOptions(sqliteAt(file), target.location))]) {
      const text = formatError(await run().catch((e: unknown) => e));
      expect(text).toBe(`The source (input 'source-url') has no tables: the SQLite file ${file} is empty (0 bytes). There is nothing to copy or verify. Fix: check that input 'source-url' points at the database file or database that holds the data (not an empty placeholder or a freshly created file); relative paths are resolved from ${process.cwd()}.`);
    }
    expect((await target.query(targetState)).rows[0]).toEqual({ users: 0, orders: 0, invoices: 0, auth_users: 0 });
  });

  test('a SQLite file without tables: copy and verify refuse, naming the source', async () => {
    const file = path.join(makeTempDir(), 'no-tables.db');
    await makeSqlite(file, 'CREATE TABLE t (id INTEGER); DROP TABLE t; CREATE VIEW v AS SELECT 1 AS x;');
    expect(fs.statSync(file).size).toBeGreaterThan(0);
    for (const run of [() => copyData(copyOptions(sqliteAt(file), target.location)), () => verifyData(verifyOptions(sqliteAt(file), target.location))]) {
      expect(formatError(await run().catch((e: unknown) => e))).toMatch(/^The source \(input 'source-url'\) has no tables: the SQLite file \S+no-tables\.db holds no tables \(views and sqlite_\* tables are not copied\)\./);
    }
  });

  test('SQLite tables keep going into the target\'s current schema', async () => {
    const file = path.join(makeTempDir(), 'app.db');
    await makeSqlite(file, `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL); INSERT INTO users VALUES (1, 'a@example.com');`);
    const outcome = await copyData(copyOptions(sqliteAt(file), target.location));
    expect(outcome.tables.map((t) => [t.table, t.targetRows])).toEqual([['public.users', 1]]);
    expect(outcome.leftOut).toEqual([]);
  });
});
