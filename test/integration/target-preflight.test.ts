// What the copying role may do with each target table, read before anything is written: ownership,
// row-level security and user triggers (PgTable fields), and the preflight built on them — a table
// whose RLS the role can neither own nor bypass is a problem naming row-level security (Postgres
// refuses COPY into it); user triggers on a table the role does not own are a warning listing them.
import crypto from 'node:crypto';
import pg from 'pg';
import { copyData } from '../../src/copy/copy-data.js';
import { listPgTables, readPgRole } from '../../src/db/pg-introspect.js';
import { formatError } from '../../src/errors.js';
import { createTestDatabase, withAdmin, type TestDatabase } from '../helpers/postgres.js';
import { asRole, copyOptions } from './copy-helpers.js';

const suffix = crypto.randomBytes(3).toString('hex');
const roles = { owner: `tgt_owner_${suffix}`, writer: `tgt_writer_${suffix}` };
const password = `Pw-${crypto.randomBytes(6).toString('hex')}`;

const TABLES = `
  CREATE TABLE public.secured (id int PRIMARY KEY, note text);
  CREATE TABLE public.stamped (id int PRIMARY KEY, placed_at timestamptz);
  CREATE TABLE public.plain (id int PRIMARY KEY);
`;
const TARGET_MD5 = `SELECT md5(concat_ws('|', (SELECT string_agg(s::text, ',' ORDER BY id) FROM public.secured s),
  (SELECT string_agg(s::text, ',' ORDER BY id) FROM public.stamped s), (SELECT string_agg(p::text, ',' ORDER BY id) FROM public.plain p))) AS md5`;

let source: TestDatabase;
let target: TestDatabase;

beforeAll(async () => {
  await withAdmin(async (admin) => {
    await admin.query(`CREATE ROLE ${roles.owner} LOGIN NOSUPERUSER PASSWORD '${password}'`);
    await admin.query(`CREATE ROLE ${roles.writer} LOGIN NOSUPERUSER PASSWORD '${password}'`);
  });
  source = await createTestDatabase('preflight_source');
  target = await createTestDatabase('preflight_target');
  await source.query(`${TABLES}
    INSERT INTO public.secured SELECT g, 'n' || g FROM generate_series(1, 5) g;
    INSERT INTO public.stamped SELECT g, '2024-01-01'::timestamptz + g * interval '1 day' FROM generate_series(1, 5) g;
    INSERT INTO public.plain SELECT generate_series(1, 5);`);
  await target.query(`${TABLES}
    CREATE FUNCTION fill_placed_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.placed_at := coalesce(NEW.placed_at, now()); RETURN NEW; END $$;
    CREATE TRIGGER fill_placed_at BEFORE INSERT OR UPDATE ON public.stamped FOR EACH ROW EXECUTE FUNCTION fill_placed_at();
    CREATE TRIGGER disabled_one AFTER INSERT ON public.stamped FOR EACH STATEMENT EXECUTE FUNCTION fill_placed_at();
    ALTER TABLE public.stamped DISABLE TRIGGER disabled_one;
    ALTER TABLE public.secured ENABLE ROW LEVEL SECURITY;
    CREATE POLICY anything ON public.secured USING (true) WITH CHECK (true);
    ALTER TABLE public.secured OWNER TO ${roles.owner}; ALTER TABLE public.stamped OWNER TO ${roles.owner}; ALTER TABLE public.plain OWNER TO ${roles.owner};
    GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON public.secured, public.stamped, public.plain TO ${roles.writer};`);
});
afterAll(async () => {
  await source?.drop();
  await target?.drop();
  await withAdmin(async (admin) => {
    for (const role of Object.values(roles)) await admin.query(`DROP ROLE IF EXISTS ${role}`);
  });
});

async function tablesAs(user: string | undefined): Promise<{ tables: Awaited<ReturnType<typeof listPgTables>>; role: Awaited<ReturnType<typeof readPgRole>> }> {
  const client = new pg.Client(user ? { ...asRole(target.location, user, password) } : { ...target.location });
  await client.connect();
  try {
    return { tables: await listPgTables(client), role: await readPgRole(client) };
  } finally {
    await client.end();
  }
}

test('PgTable says, per connected role, who owns the table, its row-level security and its user triggers', async () => {
  const writer = await tablesAs(roles.writer);
  expect(writer.role).toEqual({ name: roles.writer, superuser: false, bypassRls: false });
  const byName = (tables: typeof writer.tables, name: string) => tables.find((t) => t.name === name)!;
  expect(byName(writer.tables, 'secured')).toMatchObject({ owned: false, rowSecurity: true, forceRowSecurity: false, rowSecurityApplies: true, userTriggers: [] });
  expect(byName(writer.tables, 'stamped')).toMatchObject({
    owned: false,
    rowSecurity: false,
    rowSecurityApplies: false,
    userTriggers: [
      { name: 'disabled_one', timing: 'AFTER', events: ['INSERT'], forEachRow: false, enabled: false },
      { name: 'fill_placed_at', timing: 'BEFORE', events: ['INSERT', 'UPDATE'], forEachRow: true, enabled: true },
    ],
  });
  const owner = await tablesAs(roles.owner);
  expect(byName(owner.tables, 'secured')).toMatchObject({ owned: true, rowSecurityApplies: false });
  const superuser = await tablesAs(undefined);
  expect(superuser.role).toMatchObject({ superuser: true });
  expect(byName(superuser.tables, 'secured')).toMatchObject({ owned: true, rowSecurityApplies: false });
  await target.query('ALTER TABLE public.secured FORCE ROW LEVEL SECURITY');
  try {
    expect(byName((await tablesAs(roles.owner)).tables, 'secured')).toMatchObject({ owned: true, forceRowSecurity: true, rowSecurityApplies: true });
  } finally {
    await target.query('ALTER TABLE public.secured NO FORCE ROW LEVEL SECURITY');
  }
});

test('a target table with row-level security the role neither owns nor bypasses: preflight problem, target untouched', async () => {
  const before = (await target.query(TARGET_MD5)).rows[0];
  const error = await copyData(copyOptions(source.location, asRole(target.location, roles.writer, password))).catch((e: unknown) => e);
  const text = formatError(error);
  expect(text).toMatch(/^Preflight found 1 problem; nothing was written to the target:/);
  expect(text).toContain(
    "target table public.secured has row-level security enabled, and the role cutover connects as neither owns it nor has BYPASSRLS, so Postgres refuses COPY into it and filters what verification reads (copy as the table's owner or a role with BYPASSRLS, or exclude the table)",
  );
  expect((await target.query(TARGET_MD5)).rows[0]).toEqual(before);
});

test('user triggers on a table the role does not own: a warning listing the ones that fire', async () => {
  const outcome = await copyData(copyOptions(source.location, asRole(target.location, roles.writer, password), { exclude: ['secured'] }));
  expect(outcome.verified).toBe(true);
  expect(outcome.warnings).toContain(
    'public.stamped: the role cutover connects as does not own this target table, so it cannot disable its triggers, which will fire during the load: fill_placed_at (BEFORE INSERT OR UPDATE, for each row). ' +
      "If they change the copied rows, verification before COMMIT finds the difference and the whole copy is rolled back; to copy the rows exactly, copy as the table's owner (cutover then disables them for the load).",
  );
  expect(outcome.warnings.join('\n')).not.toContain('disabled_one');
  await target.query('TRUNCATE public.stamped, public.plain');
  // The owner gets no such warning (the load can disable the triggers).
  const asOwner = await copyData(copyOptions(source.location, asRole(target.location, roles.owner, password), { exclude: ['secured'] }));
  expect(asOwner.warnings.join('\n')).not.toMatch(/triggers/);
  await target.query('TRUNCATE public.stamped, public.plain');
});
