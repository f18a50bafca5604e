// Every real dataset copies into Postgres and verifies; the deliberately bad ones fail with a clear
// error (table, key, column, value) and succeed with on-error: skip and the right reject count.
import fs from 'node:fs';
import path from 'node:path';
import { copyData } from '../../src/copy/copy-data.js';
import { CopyError } from '../../src/errors.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { copyOptions, REAL, sqliteAt } from './copy-helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('copy_real');
});
afterAll(async () => {
  await db.drop();
});

async function freshSchema(): Promise<void> {
  await db.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
}

describe('real SQLite datasets → Postgres (create-tables)', () => {
  beforeEach(freshSchema);

  test('chinook: 11 tables, composite PK, FKs, NUMERIC(10,2), DATETIME; verified by checksums', async () => {
    const outcome = await copyData(copyOptions(sqliteAt(path.join(REAL, 'chinook.sqlite')), db.location, { createTables: true }));
    expect(outcome.verified).toBe(true);
    expect(outcome.tables).toHaveLength(11);
    const track = outcome.tables.find((t) => t.table === 'public."Track"')!;
    expect(track).toMatchObject({ sourceRows: 3503, targetRows: 3503, checksumMatch: true });
    const { rows } = await db.query(`SELECT "Total"::text AS total, "InvoiceDate"::text AS at FROM "Invoice" WHERE "InvoiceId" = 1`);
    expect(rows[0]).toEqual({ total: '1.98', at: '2021-01-01 00:00:00' });
    const fks = await db.query(`SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`);
    expect(fks.rows[0].n).toBe(11);
  });

  test('chinook sampled (dry runs): the first 5 rows per table, children without sampled parents left out', async () => {
    const outcome = await copyData(copyOptions(sqliteAt(path.join(REAL, 'chinook.sqlite')), db.location, { createTables: true, sampleRows: 5 }));
    expect(outcome.verified).toBe(true);
    expect(outcome.tables.find((t) => t.table === 'public."Artist"')).toMatchObject({ sourceRows: 5, targetRows: 5, checksumMatch: true });
    const album = outcome.tables.find((t) => t.table === 'public."Album"')!;
    expect(album.targetRows).toBe(album.copiedRows);
    expect(outcome.warnings.join('\n')).toMatch(/left out because/);
    const orphans = await db.query(`SELECT count(*)::int AS n FROM "Album" a WHERE NOT EXISTS (SELECT 1 FROM "Artist" r WHERE r."ArtistId" = a."ArtistId")`);
    expect(orphans.rows[0].n).toBe(0);
  });

  test('northwind: the table named Order, 13 tables', async () => {
    const outcome = await copyData(copyOptions(sqliteAt(path.join(REAL, 'northwind_small.sqlite')), db.location, { createTables: true }));
    expect(outcome.verified).toBe(true);
    expect(outcome.tables.find((t) => t.table === 'public."Order"')).toMatchObject({ sourceRows: 830, targetRows: 830, checksumMatch: true });
    expect(outcome.tables).toHaveLength(13);
  });

  test("pgloader's type test bed: every odd declaration gives a loadable table", async () => {
    const outcome = await copyData(copyOptions(sqliteAt(path.join(REAL, 'pgloader_sqlite.db')), db.location, { createTables: true }));
    expect(outcome.verified).toBe(true);
    expect(outcome.tables.map((t) => t.table)).toEqual(expect.arrayContaining(['public."user"', 'public."references"', 'public."TableName"', 'public."double"', 'public.intege']));
    expect(outcome.tables.some((t) => /sqlite_sequence/.test(t.table))).toBe(false);
    const { rows } = await db.query(`SELECT string_agg(id, ',' ORDER BY id) AS ids FROM intege`);
    expect(rows[0].ids).toBe('1,12.3,toto');
    // The defaults translate (strftime(…, 'now') included); a key holding NULLs and a quoted "0" default do not, and say so.
    const notTranslated = outcome.schema!.created.flatMap((t) => t.notTranslated.map((n) => `${t.table} ${n.kind}: ${n.reason}`));
    expect(notTranslated).toEqual([expect.stringMatching(/^public\.autoinc primary key: SQLite holds NULLs/), expect.stringMatching(/^public\.typenames default: the value is not a whole number/)]);
    const { rows: defaults } = await db.query(`SELECT pg_get_expr(adbin, adrelid) AS d FROM pg_attrdef WHERE adrelid = 'appointments'::regclass`);
    expect(defaults).toEqual([{ d: "(CURRENT_TIMESTAMP AT TIME ZONE 'UTC'::text)" }]);
    expect(outcome.warnings.join('\n')).toMatch(/did not translate 2 parts of the SQLite schema/);
  });
});

describe('deliberately bad data', () => {
  beforeEach(freshSchema);

  test('type mismatch stops the copy, naming table, key, column and value; nothing is written', async () => {
    const error = await copyData(copyOptions(sqliteAt(path.join(REAL, 'pgloader_type-mismatch.db')), db.location, { createTables: true })).catch((e) => e);
    expect(error).toBeInstanceOf(CopyError);
    expect(error.message).toMatch(/public\.products/);
    expect(error.message).toMatch(/id=2/);
    expect(error.message).toMatch(/"qty"/);
    expect(error.message).toMatch(/lots-of-it/);
    const { rows } = await db.query(`SELECT to_regclass('public.products') AS t`);
    expect(rows[0].t).toBeNull();
  });

  test('type mismatch with on-error: skip copies the rest and writes 1 reject', async () => {
    const options = copyOptions(sqliteAt(path.join(REAL, 'pgloader_type-mismatch.db')), db.location, { createTables: true, onError: 'skip' });
    const outcome = await copyData(options);
    expect(outcome.rejectedRows).toBe(1);
    // Every copied row matches, but a rejected row is not in the target: not "verified".
    expect(outcome.verified).toBe(false);
    expect(outcome.tables[0]).toMatchObject({ sourceRows: 3, targetRows: 2, rejectedRows: 1, checksumMatch: true });
    const rejects = fs.readFileSync(outcome.rejectsFile!, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejects).toEqual([expect.objectContaining({ table: 'public.products', key: { id: '2' }, column: 'qty', value: 'lots-of-it' })]);
  });

  test('invalid UTF-8 stops the copy, and is 1 reject with on-error: skip', async () => {
    const error = await copyData(copyOptions(sqliteAt(path.join(REAL, 'pgloader_bad-utf8.db')), db.location, { createTables: true })).catch((e) => e);
    expect(error).toBeInstanceOf(CopyError);
    expect(error.message).toMatch(/public\.files.*id=2.*"filename".*not valid UTF-8/);
    const outcome = await copyData(copyOptions(sqliteAt(path.join(REAL, 'pgloader_bad-utf8.db')), db.location, { createTables: true, onError: 'skip' }));
    expect(outcome).toMatchObject({ rejectedRows: 1, verified: false });
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM files`);
    expect(rows[0].n).toBe(2);
  });
});
