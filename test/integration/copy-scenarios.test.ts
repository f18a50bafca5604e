// The four scenarios users bring, end to end against real Postgres:
// 1. SQLite → Postgres into a schema made by the app's migrations (this repo's migrations/),
// 2. SQLite → Postgres with create-tables, 3./4. Postgres → Postgres as a NON-superuser that owns
// the tables (no session_replication_role, no DISABLE TRIGGER), in both directions.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { copyData } from '../../src/copy/copy-data.js';
import type { PostgresLocation } from '../../src/db/database-url.js';
import { verifyData } from '../../src/verify/verify-data.js';
import { adminUrl, createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { asRole, copyOptions, makeSqlite, verifyOptions } from './copy-helpers.js';
import pg from 'pg';

const APP_SQLITE = `
  CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT, is_admin INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
  CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), total REAL NOT NULL, status TEXT NOT NULL, placed_at TEXT NOT NULL);
  CREATE TABLE events (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), kind TEXT NOT NULL, payload JSON NOT NULL, occurred_at INTEGER NOT NULL, data BLOB);
  INSERT INTO users VALUES (1, 'ada@example.com', 'Ada Lovelace', 1, '2024-01-02T03:04:05Z'), (2, 'zoë@example.com', 'Zoë "Z" O''Neil', 0, '2024-01-02 10:00:00'), (3, 'nil@example.com', NULL, 0, '2024-03-01 00:00:00.5+02:00');
  INSERT INTO orders VALUES (1, 1, 19.99, 'paid', '2024-01-03 12:00:00'), (2, 2, 0.1, 'pending', '2024-01-04 08:30:00'), (3, 1, 1234.5, 'shipped', '2024-02-29 23:59:59');
  INSERT INTO events VALUES (1, 1, 'login', '{"ip": "10.0.0.1", "ok": true, "ua": "tab\\there"}', 1704164645, x'00ff10'),
                            (2, NULL, 'system', '{"b": 1, "a": [1.0, 2e2], "a": "dup"}', 1704164645123, NULL),
                            (3, 2, 'note', '"line\\nbreak ✓"', 1704164700, x'');
`;

function applyMigrations(db: TestDatabase): Promise<unknown> {
  const dir = path.resolve('migrations');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.up.sql')).sort();
  return files.reduce<Promise<unknown>>((done, file) => done.then(() => db.query(fs.readFileSync(path.join(dir, file), 'utf8'))), Promise.resolve());
}

describe('scenario 1: SQLite → Postgres into a migrated schema', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('copy_scenario1');
    await applyMigrations(db);
    // The migration history table lives in the same schema and must never be copied or truncated.
    await db.query(`CREATE TABLE cutover_migrations (name text PRIMARY KEY); INSERT INTO cutover_migrations VALUES ('001_create_users')`);
  });
  afterAll(() => db.drop());

  test('copies users, orders, events with booleans, dates, epochs, JSON and blobs; verified; sequences reset', async () => {
    const source = await makeSqlite(path.join(makeTempDir(), 'app.db'), APP_SQLITE);
    const outcome = await copyData(copyOptions(source, db.location));
    expect(outcome.verified).toBe(true);
    expect(outcome.tables.map((t) => [t.table, t.targetRows, t.checksumMatch])).toEqual([
      ['public.users', 3, true],
      ['public.events', 3, true],
      ['public.orders', 3, true],
    ].sort((a, b) => outcome.tables.findIndex((t) => t.table === a[0]) - outcome.tables.findIndex((t) => t.table === b[0])));
    const users = await db.query(`SELECT id, is_admin, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS at FROM users ORDER BY id`);
    expect(users.rows).toEqual([
      { id: '1', is_admin: true, at: '2024-01-02 03:04:05.000' },
      { id: '2', is_admin: false, at: '2024-01-02 10:00:00.000' },
      { id: '3', is_admin: false, at: '2024-02-29 22:00:00.500' },
    ]);
    const events = await db.query(`SELECT id, payload::text AS payload, occurred_at AT TIME ZONE 'UTC' AS at, encode(data, 'hex') AS data FROM events ORDER BY id`);
    expect(events.rows[1].payload).toBe('{"a": "dup", "b": 1}');
    expect(events.rows[0].data).toBe('00ff10');
    expect(events.rows[1].at.toISOString()).toBe('2024-01-02T03:04:05.123Z');
    expect((await db.query(`SELECT total::text FROM orders WHERE id = 2`)).rows[0].total).toBe('0.10');
    // Sequences follow the copied maximum: a new row gets the next id instead of colliding.
    const inserted = await db.query(`INSERT INTO users (email) VALUES ('new@example.com') RETURNING id`);
    expect(inserted.rows[0].id).toBe('4');
    expect((await db.query(`SELECT count(*)::int AS n FROM cutover_migrations`)).rows[0].n).toBe(1);

    const verify = await verifyData(verifyOptions(source, db.location));
    expect(verify.verified).toBe(false); // the row inserted above
    expect(verify.tables.find((t) => t.table === 'public.users')).toMatchObject({ sourceRows: 3, targetRows: 4, differingKeys: ['id=4'] });
  });
});

describe('scenario 2: SQLite → Postgres with create-tables', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('copy_scenario2');
  });
  afterAll(() => db.drop());

  test('creates the tables with PKs, FKs and identity columns, then copies and verifies', async () => {
    const source = await makeSqlite(path.join(makeTempDir(), 'app.db'), APP_SQLITE);
    const outcome = await copyData(copyOptions(source, db.location, { createTables: true }));
    expect(outcome.verified).toBe(true);
    const columns = await db.query(`SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns WHERE table_schema = 'public' AND column_name IN ('id', 'payload', 'total', 'data') ORDER BY 1, 2`);
    // Declared JSON is kept as json (stored as written), as Postgres-side ORMs declare it.
    expect(columns.rows).toContainEqual({ table_name: 'events', column_name: 'payload', data_type: 'json', is_identity: 'NO' });
    expect(columns.rows).toContainEqual({ table_name: 'orders', column_name: 'total', data_type: 'double precision', is_identity: 'NO' });
    expect(columns.rows).toContainEqual({ table_name: 'users', column_name: 'id', data_type: 'bigint', is_identity: 'YES' });
    expect((await db.query(`INSERT INTO orders (user_id, total, status, placed_at) VALUES (1, 1, 'x', now()) RETURNING id`)).rows[0].id).toBe('4');
    await expect(db.query(`INSERT INTO orders (user_id, total, status, placed_at) VALUES (99, 1, 'x', now())`)).rejects.toThrow(/foreign key/);
  });
});

describe('scenarios 3 and 4: Postgres → Postgres as a non-superuser, both directions', () => {
  const suffix = crypto.randomBytes(3).toString('hex');
  const roles = { render: `render_owner_${suffix}`, supabase: `supabase_owner_${suffix}` };
  const password = 'role-pw-%41@x';
  let render: TestDatabase;
  let supabase: TestDatabase;
  let back: TestDatabase;

  const SCHEMA = `
    CREATE TABLE customers (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, name_upper text GENERATED ALWAYS AS (upper(name)) STORED);
    CREATE TABLE "Order Details" (id bigserial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id), price numeric(10,2), qty real, meta jsonb, at timestamptz, flag boolean, tags text[], ref uuid);
    CREATE TABLE a (id int PRIMARY KEY, b_id int);
    CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a(id) DEFERRABLE INITIALLY IMMEDIATE);
    ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b(id) DEFERRABLE INITIALLY IMMEDIATE;
    CREATE TRIGGER keep_out BEFORE TRUNCATE ON customers FOR EACH STATEMENT EXECUTE FUNCTION suppress_redundant_updates_trigger();
  `.replace(/CREATE TRIGGER.*\n/, '');

  async function asAdmin(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  async function ownedDatabase(prefix: string, role: string): Promise<{ db: TestDatabase; location: PostgresLocation }> {
    const db = await createTestDatabase(prefix);
    await db.query(`GRANT ALL ON SCHEMA public TO ${role}`);
    const location = asRole(db.location, role, password);
    const client = new pg.Client({ ...location });
    await client.connect();
    await client.query(SCHEMA);
    await client.end();
    return { db, location };
  }

  beforeAll(async () => {
    for (const role of Object.values(roles)) await asAdmin(`CREATE ROLE ${role} LOGIN NOSUPERUSER PASSWORD '${password}'`);
    render = (await ownedDatabase('copy_render', roles.render)).db;
    supabase = (await ownedDatabase('copy_supabase', roles.supabase)).db;
    back = (await ownedDatabase('copy_back', roles.render)).db;
    await render.query(`
      INSERT INTO customers (name) VALUES ('ada'), ('bob'), ('čeněk');
      DELETE FROM customers WHERE name = 'bob';
      INSERT INTO "Order Details" (customer_id, price, qty, meta, at, flag, tags, ref) VALUES
        (1, 10.5, 0.1, '{"z": 1, "a": {"k": [1, 2.50]}}', '2024-05-01 10:00:00+02', true, '{x,"y z"}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
        (3, NULL, 'NaN', 'null', '-infinity', NULL, '{}', NULL),
        (3, 0, -0, '[]', '2000-01-01 00:00:00.123456+00', false, NULL, NULL);
      BEGIN; SET CONSTRAINTS ALL DEFERRED; INSERT INTO a VALUES (1, 1); INSERT INTO b VALUES (1, 1); COMMIT;`);
    await render.query(`ALTER TABLE customers OWNER TO ${roles.render}`).catch(() => undefined);
  });
  afterAll(async () => {
    for (const db of [render, supabase, back]) await db?.drop();
    for (const role of Object.values(roles)) await asAdmin(`DROP ROLE IF EXISTS ${role}`);
  });

  test('render → supabase: identities keep their values, generated columns recomputed, FK cycle deferred, sequences reset', async () => {
    const source = asRole(render.location, roles.render, password);
    const target = asRole(supabase.location, roles.supabase, password);
    const constraints = `SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`;
    const before = (await supabase.query(constraints)).rows;
    const outcome = await copyData(copyOptions(source, target, { jobs: 2 }));
    // Foreign keys were dropped for the load (bulk-checked) and are back exactly as they were.
    expect((await supabase.query(constraints)).rows).toEqual(before);
    await expect(supabase.query(`INSERT INTO "Order Details" (customer_id) VALUES (999)`)).rejects.toThrow(/foreign key/);
    expect(outcome.verified).toBe(true);
    expect(outcome.warnings.join('\n')).toMatch(/cycle between public\.a, public\.b/);
    expect(outcome.tables.find((t) => t.table === 'public."Order Details"')).toMatchObject({ sourceRows: 3, targetRows: 3, checksumMatch: true });
    const customers = await supabase.query(`SELECT id, name_upper FROM customers ORDER BY id`);
    expect(customers.rows).toEqual([{ id: 1, name_upper: 'ADA' }, { id: 3, name_upper: 'ČENĚK' }]);
    const added = await supabase.query(`INSERT INTO customers (name) VALUES ('dan') RETURNING id`);
    expect(added.rows[0].id).toBe(4);
    await supabase.query(`DELETE FROM customers WHERE id = 4`);
    const roleIsSuper = await supabase.query(`SELECT rolsuper FROM pg_roles WHERE rolname = $1`, [roles.supabase]);
    expect(roleIsSuper.rows[0].rolsuper).toBe(false);
  });

  test('supabase → render (the way back) into another database, then verify standalone', async () => {
    const source = asRole(supabase.location, roles.supabase, password);
    const target = asRole(back.location, roles.render, password);
    const outcome = await copyData(copyOptions(source, target, { jobs: 3 }));
    expect(outcome.verified).toBe(true);
    const verify = await verifyData(verifyOptions(asRole(render.location, roles.render, password), target));
    expect(verify.verified).toBe(true);
    expect(verify.tables).toHaveLength(4);
  });
});
