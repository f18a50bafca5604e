// A dry run never writes the real target: a dry-run-database that is the target (by URL, through a host
// alias, as another user) is refused before anything is written, and a given database that is not
// empty is refused unless dry-run-database-reset says it is disposable — then exactly its contents go.
// Real PostgreSQL: one database plays the target, another the throwaway.
import { quoteIdent, quoteLiteral } from '../../src/db/pg-identifiers.js';
import { runMode } from '../../src/engine/run-mode.js';
import { recordingRuntime } from '../../src/runtime.js';
import { buildSettings, type RawInputs } from '../../src/settings.js';
import { createTestDatabase, withAdmin, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const dir = makeTempDir('cutover-dry-guard-');
const ROLE = `dry_guard_${process.pid}`;
const ROLE_PASSWORD = 'Dg7-kP2q-Wx9';
const databases: TestDatabase[] = [];
async function database(prefix: string): Promise<TestDatabase> {
  const db = await createTestDatabase(prefix);
  databases.push(db);
  return db;
}
beforeAll(async () => {
  await withAdmin((client) => client.query(`CREATE ROLE ${quoteIdent(ROLE)} LOGIN PASSWORD ${quoteLiteral(ROLE_PASSWORD)}`));
});
afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
  await withAdmin((client) => client.query(`DROP ROLE IF EXISTS ${quoteIdent(ROLE)}`));
});

function settings(raw: RawInputs) {
  return buildSettings({ 'migrations-dir': 'migrations', mode: 'dry-run', ...raw }, { origin: 'action', env: { RUNNER_TEMP: dir }, cwd: process.cwd() });
}

/** Everything a dry run could have written: tables, views, sequences, types, functions outside the system schemas. */
async function userObjects(db: TestDatabase): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(`
    SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
    UNION ALL SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'public') AND nspname NOT LIKE 'pg\\_%'
    UNION ALL SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
    UNION ALL SELECT 'type ' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd')
    ORDER BY 1`);
  return rows.map((r) => r.name);
}

function asRole(db: TestDatabase, host = '127.0.0.1'): string {
  const url = new URL(db.url);
  return `postgresql://${ROLE}:${encodeURIComponent(ROLE_PASSWORD)}@${host}:${url.port}/${db.name}`;
}

function withHost(db: TestDatabase, host: string): string {
  const url = new URL(db.url);
  url.hostname = host;
  return url.toString();
}

describe('the dry-run database is the target', () => {
  let target: TestDatabase;
  beforeAll(async () => {
    target = await database('dry_guard_target');
    await withAdmin((client) => client.query(`GRANT ALL ON DATABASE ${quoteIdent(target.name)} TO ${quoteIdent(ROLE)}`));
    await target.query(`GRANT ALL ON SCHEMA public TO ${quoteIdent(ROLE)}`);
  });

  test.each([
    ['the same URL', (db: TestDatabase) => db.url, {}],
    ['the same server through localhost instead of 127.0.0.1', (db: TestDatabase) => withHost(db, 'localhost'), {}],
    ['the same database as another, unprivileged user', (db: TestDatabase) => asRole(db, 'localhost'), {}],
    ['the same URL, even with dry-run-database-reset', (db: TestDatabase) => db.url, { 'dry-run-database-reset': 'true' }],
  ])('%s is refused and the target is not written', async (_label, dryRunUrl, extra) => {
    const result = await runMode(settings({ 'target-url': target.url, 'dry-run-database': dryRunUrl(target), ...extra }), recordingRuntime());
    expect(result.ok).toBe(false);
    expect(result.error).toContain(`input 'dry-run-database' is the same database as input 'target-url'`);
    expect(result.error).toContain(`database "${target.name}"`);
    expect(result.error).toContain('Fix: point dry-run-database at a database that is only for dry runs');
    expect(result.migrations.filter((m) => m.status === 'applied')).toEqual([]);
    expect(await userObjects(target)).toEqual([]);
  });

  test('a Postgres source that is the dry-run database is refused too', async () => {
    const throwaway = await database('dry_guard_src_throwaway');
    const result = await runMode(settings({ 'source-url': throwaway.url, 'dry-run-database': withHost(throwaway, 'localhost') }), recordingRuntime());
    expect(result.error).toContain(`input 'dry-run-database' is the same database as input 'source-url'`);
    expect(await userObjects(throwaway)).toEqual([]);
  });

  test('another database on the same server is a valid dry-run database; the target is only read', async () => {
    const throwaway = await database('dry_guard_other');
    const runtime = recordingRuntime();
    const result = await runMode(settings({ 'target-url': target.url, 'dry-run-database': throwaway.url }), runtime);
    expect(result.error).toBeUndefined();
    expect(result.migrations.map((m) => m.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(await userObjects(target)).toEqual([]);
    expect(runtime.logs.map((l) => l.message)).toContain(`input 'dry-run-database' is not the database of input 'target-url' (compared on the servers: system identifier, start time, database).`);
  });

  test('an unreachable target cannot be compared on the server: the URLs are compared and the log says so', async () => {
    const throwaway = await database('dry_guard_unreachable');
    const runtime = recordingRuntime();
    const unreachable = `postgresql://postgres:${encodeURIComponent('Ux8-unused-pw')}@127.0.0.1:1/${throwaway.name}`;
    const result = await runMode(settings({ 'target-url': unreachable, 'dry-run-database': throwaway.url, 'connect-timeout': '2' }), runtime);
    expect(result.error).toBeUndefined();
    const line = runtime.logs.map((l) => l.message).find((m) => m.includes('could not be reached'));
    expect(line).toMatch(/^input 'target-url' could not be reached to compare it with input 'dry-run-database' \(.*refused.*\); their URLs name different servers or databases, so the dry run goes on\.$/);
  });
});

describe('a dry-run database that is not empty', () => {
  test('a table is refused by name; nothing is applied', async () => {
    const throwaway = await database('dry_guard_full');
    await throwaway.query('CREATE SCHEMA app; CREATE TABLE app.customers (id int); CREATE TABLE public.notes (t text)');
    const result = await runMode(settings({ 'dry-run-database': throwaway.url }), recordingRuntime());
    expect(result.ok).toBe(false);
    expect(result.error).toContain(`input 'dry-run-database' (database "${throwaway.name}") is not empty: it has 2 tables (app.customers, public.notes).`);
    expect(result.error).toContain("Fix: give a database used only for dry runs, or set dry-run-database-reset: true if everything in it may be dropped.");
    expect(await userObjects(throwaway)).toEqual(['app.customers', 'public.notes', 'schema app']);
  });

  test('a migration history alone is refused and named as such', async () => {
    const throwaway = await database('dry_guard_history');
    const migrated = await runMode(settings({ mode: 'migrate', 'target-url': throwaway.url }), recordingRuntime());
    expect(migrated.ok).toBe(true);
    await throwaway.query('DROP TABLE events, orders, users');
    const result = await runMode(settings({ 'dry-run-database': throwaway.url }), recordingRuntime());
    expect(result.error).toContain('is not empty: it has a migration history (public.cutover_migrations, 4 applied).');
  });

  test('tables that belong to an extension do not count', async () => {
    const throwaway = await database('dry_guard_extension');
    // pg_stat_statements (contrib) puts two views into public, as PostGIS puts spatial_ref_sys there.
    await throwaway.query('CREATE EXTENSION pg_stat_statements');
    expect(await userObjects(throwaway)).toEqual(expect.arrayContaining(['public.pg_stat_statements', 'public.pg_stat_statements_info']));
    const result = await runMode(settings({ 'dry-run-database': throwaway.url }), recordingRuntime());
    expect(result.error).toBeUndefined();
    expect(result.migrations.map((m) => m.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
  });

  test('with dry-run-database-reset: true everything outside the system schemas is dropped, public keeps its owner and privileges', async () => {
    const throwaway = await database('dry_guard_reset');
    await throwaway.query(`
      CREATE SCHEMA app; CREATE TABLE app.customers (id int PRIMARY KEY);
      CREATE TABLE public.notes (id serial, customer int REFERENCES app.customers);
      CREATE VIEW public.note_view AS SELECT * FROM public.notes;
      CREATE MATERIALIZED VIEW app.counts AS SELECT count(*) FROM public.notes;
      CREATE TYPE public.mood AS ENUM ('ok');
      CREATE DOMAIN public.positive AS int CHECK (VALUE > 0);
      CREATE FUNCTION public.answer() RETURNS int LANGUAGE sql AS 'SELECT 42';
      CREATE SEQUENCE public.tickets;
      CREATE EXTENSION pgcrypto;
      CREATE TABLE users (id int)`);
    await throwaway.query(`GRANT CREATE ON SCHEMA public TO ${quoteIdent(ROLE)}; COMMENT ON SCHEMA public IS 'kept'`);
    const before = (await throwaway.query(`SELECT nspowner::regrole::text AS owner, nspacl::text AS acl, obj_description(oid, 'pg_namespace') AS comment FROM pg_namespace WHERE nspname = 'public'`)).rows[0];
    const runtime = recordingRuntime();
    const result = await runMode(settings({ 'dry-run-database': throwaway.url, 'dry-run-database-reset': 'true' }), runtime);
    expect(result.error).toBeUndefined();
    expect(result.migrations.map((m) => m.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const messages = runtime.logs.map((l) => l.message);
    expect(messages[0]).toBe(
      `dry-run-database-reset: dropped everything in database "${throwaway.name}" outside the system schemas: schemas app, public, ` +
        'with 6 tables, views or sequences (app.counts, app.customers, public.note_view, public.notes, public.tickets, … 1 more); ' +
        'public was created again with its owner, privileges and comment.',
    );
    // Only what the migrations created remains: the same objects as a dry run into a fresh database.
    const fresh = await database('dry_guard_reset_reference');
    expect((await runMode(settings({ 'dry-run-database': fresh.url }), recordingRuntime())).error).toBeUndefined();
    expect(await userObjects(throwaway)).toEqual(await userObjects(fresh));
    expect(await userObjects(throwaway)).toContain('public.cutover_migrations');
    const after = (await throwaway.query(`SELECT nspowner::regrole::text AS owner, nspacl::text AS acl, obj_description(oid, 'pg_namespace') AS comment FROM pg_namespace WHERE nspname = 'public'`)).rows[0];
    expect(after).toEqual(before);
  });

  test('dry-run-database-reset works for the database owner who is not a superuser', async () => {
    const throwaway = await database('dry_guard_reset_owner');
    await withAdmin((client) => client.query(`ALTER DATABASE ${quoteIdent(throwaway.name)} OWNER TO ${quoteIdent(ROLE)}`));
    const asOwner = asRole(throwaway);
    const seeded = await runMode(settings({ mode: 'migrate', 'target-url': asOwner }), recordingRuntime());
    expect(seeded.error).toBeUndefined();
    const result = await runMode(settings({ 'dry-run-database': asOwner, 'dry-run-database-reset': 'true' }), recordingRuntime());
    expect(result.error).toBeUndefined();
    expect(result.migrations.map((m) => m.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const owner = await throwaway.query<{ owner: string }>(`SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = 'public'`);
    expect(owner.rows[0].owner).toBe('pg_database_owner');
  });

  test('a reset that is not allowed drops nothing and says why', async () => {
    const throwaway = await database('dry_guard_reset_denied');
    await throwaway.query('CREATE SCHEMA owned_by_admin; CREATE TABLE owned_by_admin.keep (id int); CREATE TABLE public.keep_too (id int)');
    await withAdmin((client) => client.query(`ALTER DATABASE ${quoteIdent(throwaway.name)} OWNER TO ${quoteIdent(ROLE)}`));
    const result = await runMode(settings({ 'dry-run-database': asRole(throwaway), 'dry-run-database-reset': 'true' }), recordingRuntime());
    expect(result.ok).toBe(false);
    expect(result.error).toContain(`dry-run-database-reset could not empty database "${throwaway.name}" (input 'dry-run-database'): \`DROP SCHEMA "owned_by_admin" CASCADE\` failed, so nothing was dropped.`);
    expect(result.error).toContain('must be owner of schema owned_by_admin');
    expect(await userObjects(throwaway)).toEqual(['owned_by_admin.keep', 'public.keep_too', 'schema owned_by_admin']);
  });

  test('dry-run-database-reset on an empty database drops nothing and says nothing about it', async () => {
    const throwaway = await database('dry_guard_reset_empty');
    const runtime = recordingRuntime();
    const result = await runMode(settings({ 'dry-run-database': throwaway.url, 'dry-run-database-reset': 'true' }), runtime);
    expect(result.error).toBeUndefined();
    expect(runtime.logs.map((l) => l.message).filter((m) => m.includes('dropping'))).toEqual([]);
  });
});
