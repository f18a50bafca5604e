// Issue 7, item 8: every copy error names the side that failed and a fix that fits the case at hand.
import crypto from 'node:crypto';
import path from 'node:path';
import { copyData } from '../../src/copy/copy-data.js';
import { CopyError, formatError } from '../../src/errors.js';
import { createTestDatabase, withAdmin, type TestDatabase } from '../helpers/postgres.js';
import { digestAll } from '../helpers/table-digest.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { asRole, copyOptions, makeSqlite } from './copy-helpers.js';

const ROLE = `sides_${crypto.randomBytes(3).toString('hex')}`;
const PASSWORD = 'Sides-Pw-77q';
const dir = makeTempDir();
let source: TestDatabase;
let target: TestDatabase;

beforeAll(async () => {
  [source, target] = await Promise.all([createTestDatabase('sides_source'), createTestDatabase('sides_target')]);
  await withAdmin((client) => client.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`));
  for (const db of [source, target]) {
    await db.query(`
      CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
      CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id), total numeric NOT NULL);
      GRANT USAGE ON SCHEMA public TO ${ROLE};`);
  }
  await source.query(`INSERT INTO users SELECT i, 'u' || i || '@example.com' FROM generate_series(1, 50) i; INSERT INTO orders SELECT i, 1 + i % 50, i FROM generate_series(1, 200) i`);
});
afterAll(async () => {
  await Promise.all([source.drop(), target.drop()]);
  await withAdmin((client) => client.query(`DROP ROLE IF EXISTS ${ROLE}`));
});

async function failure(promise: Promise<unknown>): Promise<CopyError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CopyError);
  return error as CopyError;
}

test('a source table the source role may not read: the preflight blames the source and says what to grant', async () => {
  await source.query(`GRANT SELECT ON users TO ${ROLE}`);
  const before = await digestAll(target, ['users', 'orders']);
  const error = await failure(copyData(copyOptions(asRole(source.location, ROLE, PASSWORD), target.location)));
  expect(error.message).toMatch(/the source role may not read public\.orders \(no SELECT on the table, or no USAGE on its schema\): grant it on the source/);
  expect(error.message).not.toMatch(/target role may not/);
  expect(await digestAll(target, ['users', 'orders'])).toEqual(before);
  await source.query(`REVOKE ALL ON users FROM ${ROLE}`);
});

test('a target table the target role may not write: the preflight blames the target', async () => {
  await target.query(`GRANT SELECT, INSERT ON users TO ${ROLE}; GRANT SELECT ON orders TO ${ROLE}`);
  const error = await failure(copyData(copyOptions(source.location, asRole(target.location, ROLE, PASSWORD))));
  expect(error.message).toMatch(/the target role may not write public\.orders \(no INSERT/);
  expect(error.message).not.toMatch(/source role may not/);
  await target.query(`REVOKE ALL ON users, orders FROM ${ROLE}`);
});

test('a parent table left out of the copy: the error names the parent that is not copied, not the source rows', async () => {
  const error = await failure(copyData(copyOptions(source.location, target.location, { include: ['orders'] })));
  expect(formatError(error)).toMatch(/public\.orders references public\.users \(constraint orders_user_id_fkey\), which this copy does not fill .* include public\.users in the copy, or load it into the target first/);
  expect(formatError(error)).not.toMatch(/fix or delete those rows in the source/);
  expect((await target.query('SELECT count(*)::int AS n FROM orders')).rows[0].n).toBe(0);
});

test('duplicate keys inside a SQLite source are blamed on the source, not on the target', async () => {
  const file = await makeSqlite(path.join(dir, 'dupes.db'), `
    CREATE TABLE users (id INTEGER, email TEXT NOT NULL);
    INSERT INTO users VALUES (1, 'a@example.com'), (2, 'b@example.com'), (2, 'b-again@example.com');`);
  const error = await failure(copyData(copyOptions(file, target.location, { include: ['users'] })));
  expect(formatError(error)).toMatch(/duplicate key value violates unique constraint "users_pkey".*Fix: the source itself holds two rows with this key/);
  expect(formatError(error)).not.toMatch(/target already holds/);
});

test('with if-target-not-empty: append, a key already in the target is blamed on the target', async () => {
  await target.query(`INSERT INTO users VALUES (7, 'already@example.com')`);
  const error = await failure(copyData(copyOptions(source.location, target.location, { include: ['users'], ifTargetNotEmpty: 'append' })));
  expect(formatError(error)).toMatch(/Fix: the target already holds rows with these keys/);
  expect((await target.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(1);
  await target.query('TRUNCATE users CASCADE');
});
