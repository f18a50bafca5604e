// A Postgres source read by a role that row-level security filters: the policy below shows 50 of the
// 100 rows to `reader`. Without a check the copy took those 50, verified them against themselves and
// said "verified". Now copy and verify refuse before reading or writing anything, name the source and
// the fix; roles that bypass RLS (BYPASSRLS, the owner without FORCE) copy all 100 rows; and reader
// sessions run with row_security = off, so a filtered read errors instead of returning fewer rows.
import crypto from 'node:crypto';
import pg from 'pg';
import { copyData } from '../../src/copy/copy-data.js';
import { PgSnapshot } from '../../src/copy/read/pg-snapshot.js';
import { connectPostgres } from '../../src/db/postgres-connect.js';
import { formatError, RowSecurityError } from '../../src/errors.js';
import { verifyData } from '../../src/verify/verify-data.js';
import { createTestDatabase, withAdmin, type TestDatabase } from '../helpers/postgres.js';
import { asRole, copyOptions, verifyOptions } from './copy-helpers.js';

const suffix = crypto.randomBytes(3).toString('hex');
const roles = { owner: `rls_owner_${suffix}`, reader: `rls_reader_${suffix}`, bypass: `rls_bypass_${suffix}` };
const password = `Pw-${crypto.randomBytes(6).toString('hex')}`;

let source: TestDatabase;
let target: TestDatabase;

const TABLES = `
  CREATE TABLE public.notes (id int PRIMARY KEY, body text NOT NULL);
  CREATE TABLE public.plain (id int PRIMARY KEY);
`;
/** md5 over every row of every table, in key order: equal before and after = the target untouched. */
const TARGET_MD5 = `SELECT md5(coalesce((SELECT string_agg(n::text, ',' ORDER BY id) FROM public.notes n), '') || '|' ||
  coalesce((SELECT string_agg(p::text, ',' ORDER BY id) FROM public.plain p), '')) AS md5, (SELECT count(*)::int FROM public.notes) AS notes`;

beforeAll(async () => {
  await withAdmin(async (admin) => {
    await admin.query(`CREATE ROLE ${roles.owner} LOGIN NOSUPERUSER PASSWORD '${password}'`);
    await admin.query(`CREATE ROLE ${roles.reader} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${password}'`);
    await admin.query(`CREATE ROLE ${roles.bypass} LOGIN NOSUPERUSER BYPASSRLS PASSWORD '${password}'`);
  });
  source = await createTestDatabase('rls_source');
  target = await createTestDatabase('rls_target');
  await source.query(`${TABLES}
    INSERT INTO public.notes SELECT g, 'note ' || g FROM generate_series(1, 100) g;
    INSERT INTO public.plain SELECT generate_series(1, 10);
    ALTER TABLE public.notes OWNER TO ${roles.owner}; ALTER TABLE public.plain OWNER TO ${roles.owner};
    ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
    CREATE POLICY even_only ON public.notes FOR SELECT USING (id % 2 = 0);
    GRANT SELECT ON public.notes, public.plain TO ${roles.reader}, ${roles.bypass};`);
  await target.query(TABLES);
});
afterAll(async () => {
  await source?.drop();
  await target?.drop();
  await withAdmin(async (admin) => {
    for (const role of Object.values(roles)) await admin.query(`DROP ROLE IF EXISTS ${role}`);
  });
});

beforeEach(() => target.query('TRUNCATE public.notes, public.plain'));

test('the policy really filters: the reader sees 50 of 100 rows', async () => {
  const client = new pg.Client({ ...asRole(source.location, roles.reader, password) });
  await client.connect();
  try {
    expect((await client.query('SELECT count(*)::int AS n FROM public.notes')).rows[0].n).toBe(50);
  } finally {
    await client.end();
  }
});

test('copy as a role the policy filters: refused before anything is read or written, naming the source and the fix', async () => {
  const before = (await target.query(TARGET_MD5)).rows[0];
  const error = await copyData(copyOptions(asRole(source.location, roles.reader, password), target.location)).catch((e: unknown) => e);
  expect(formatError(error)).toBe(
    `Row-level security on the source (input 'source-url') hides rows from the role ${roles.reader}: its policies apply to public.notes. ` +
      'Reading it would see only the rows the policies allow, so the copy and its verification would be silently partial; nothing was read or written. ' +
      'Fix: connect to the source as a role that bypasses row-level security: a superuser or a role with BYPASSRLS (on Supabase the postgres role, which pg_dump also needs), ' +
      "or the tables' owner when they do not FORCE ROW LEVEL SECURITY; or leave the table out with exclude: public.notes.",
  );
  expect((await target.query(TARGET_MD5)).rows[0]).toEqual(before);
  expect(before.notes).toBe(0);
});

test('verify as that role is refused the same way', async () => {
  const error = await verifyData(verifyOptions(asRole(source.location, roles.reader, password), target.location)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RowSecurityError);
  expect(formatError(error)).toMatch(new RegExp(`^Row-level security on the source \\(input 'source-url'\\) hides rows from the role ${roles.reader}: its policies apply to public\\.notes\\.`));
});

test('excluding the filtered table lets the rest be copied, and the report says it was left out', async () => {
  const outcome = await copyData(copyOptions(asRole(source.location, roles.reader, password), target.location, { exclude: ['notes'] }));
  expect(outcome.verified).toBe(true);
  expect(outcome.tables.map((t) => [t.table, t.targetRows])).toEqual([['public.plain', 10]]);
  expect(outcome.leftOut).toEqual([{ table: 'public.notes', reason: "excluded by exclude pattern 'notes'" }]);
});

test('a role with BYPASSRLS copies all 100 rows', async () => {
  const outcome = await copyData(copyOptions(asRole(source.location, roles.bypass, password), target.location));
  expect(outcome.verified).toBe(true);
  expect(outcome.tables.find((t) => t.table === 'public.notes')).toMatchObject({ sourceRows: 100, targetRows: 100, checksumMatch: true });
});

test('the owner copies all rows, unless FORCE ROW LEVEL SECURITY applies the policy to the owner too', async () => {
  const owner = asRole(source.location, roles.owner, password);
  const outcome = await copyData(copyOptions(owner, target.location));
  expect(outcome.tables.find((t) => t.table === 'public.notes')).toMatchObject({ sourceRows: 100, targetRows: 100 });
  await target.query('TRUNCATE public.notes, public.plain');
  await source.query('ALTER TABLE public.notes FORCE ROW LEVEL SECURITY');
  try {
    const error = await copyData(copyOptions(owner, target.location)).catch((e: unknown) => e);
    expect(formatError(error)).toMatch(/its policies apply to public\.notes \(FORCE ROW LEVEL SECURITY: the policies apply to its owner too\)\./);
    expect((await target.query(TARGET_MD5)).rows[0].notes).toBe(0);
  } finally {
    await source.query('ALTER TABLE public.notes NO FORCE ROW LEVEL SECURITY');
  }
});

test('reader sessions run with row_security = off: a filtered read fails instead of returning fewer rows', async () => {
  const location = asRole(source.location, roles.reader, password);
  const snapshot = await PgSnapshot.open(location, (l, purpose) => connectPostgres(l, { input: 'test', attempts: 1, connectTimeoutMs: 10_000, applicationName: `test ${purpose}` }));
  try {
    const reader = await snapshot.reader();
    expect((await reader.query('SHOW row_security')).rows[0].row_security).toBe('off');
    await expect(reader.query('SELECT count(*) FROM public.notes')).rejects.toThrow(/row-level security/);
    await expect(snapshot.coordinator.query('SELECT count(*) FROM public.notes')).rejects.toThrow(/row-level security/);
  } finally {
    await snapshot.close();
  }
});
