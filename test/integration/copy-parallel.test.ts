// Big SQLite tables are read by worker threads, one rowid slice each (src/copy/read/parallel-sqlite-source.ts).
// These tables are large enough to take that path; the results must be exactly those of one thread.
import fs from 'node:fs';
import path from 'node:path';
import { copyData } from '../../src/copy/copy-data.js';
import { planSlices, workerCount } from '../../src/copy/read/parallel-sqlite-source.js';
import { loadSqlite } from '../../src/db/sqlite-driver.js';
import { formatError } from '../../src/errors.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { classifyPgType } from '../../src/copy/cast/target-kind.js';
import { sqliteTotals } from '../../src/verify/sqlite-checksums.js';
import { verifyData } from '../../src/verify/verify-data.js';
import { copyOptions, makeSqlite, verifyOptions } from './copy-helpers.js';

const ROWS = 60_000;
const BAD_ID = 45_678; // in the second slice
let db: TestDatabase;
const dir = makeTempDir('cutover-parallel-');

async function source(name: string, badValue: string | null) {
  return makeSqlite(
    path.join(dir, name),
    `CREATE TABLE items (id INTEGER PRIMARY KEY, active INTEGER, qty TEXT, note TEXT, payload TEXT);
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
     INSERT INTO items SELECT i, i % 2, CAST(i % 97 AS TEXT), 'note ' || i || ' ✓ tab' || char(9) || 'x', '{"n": ' || i || ', "b": [1, 2.50]}' FROM n;
     ${badValue !== null ? `UPDATE items SET qty = '${badValue}' WHERE id = ${BAD_ID};` : ''}`,
  );
}

test('worker threads per table: jobs, capped by the cores left beside Postgres, or CUTOVER_COPY_THREADS', () => {
  expect(workerCount(2, 2, {})).toBe(1);
  expect(workerCount(2, 4, {})).toBe(2);
  expect(workerCount(8, 4, {})).toBe(3);
  expect(workerCount(2, 2, { CUTOVER_COPY_THREADS: '3' })).toBe(3);
});

beforeAll(async () => {
  // This machine may have 2 cores, where the default is one thread: force the worker path.
  process.env.CUTOVER_COPY_THREADS = '2';
  db = await createTestDatabase('copy_parallel');
  await db.query('CREATE TABLE items (id bigint PRIMARY KEY, active boolean, qty integer NOT NULL, note text, payload jsonb)');
});
afterAll(() => db.drop());

test('the table is split into one slice per job', async () => {
  const file = (await source('slices.db', null)) as { path: string };
  const Database = await loadSqlite();
  const sqlite = new Database(file.path, { readonly: true });
  const spec = { table: 'items', columns: [], keyColumns: ['id'], hasRowid: true };
  expect(planSlices(sqlite, spec, 2)).toEqual([
    [1n, 30_000n],
    [30_001n, 60_000n],
  ]);
  expect(planSlices(sqlite, spec, 1)).toBeUndefined();
  expect(planSlices(sqlite, { ...spec, limit: 10 }, 2)).toBeUndefined();
  sqlite.close();
});

test('two workers copy every row once, with checksums equal to the target', async () => {
  const options = copyOptions(await source('good.db', null), db.location, { jobs: 2, ifTargetNotEmpty: 'truncate' });
  const outcome = await copyData(options);
  expect(options.runtime.logs.map((l) => l.message)).toContain('public.items: reading 2 rowid slices in parallel worker threads.');
  expect(outcome.verified).toBe(true);
  expect(outcome.tables).toEqual([expect.objectContaining({ table: 'public.items', sourceRows: ROWS, targetRows: ROWS, checksumMatch: true })]);
  const check = await db.query(`SELECT count(DISTINCT id)::int AS ids, sum(qty)::int AS qty, count(*) FILTER (WHERE active)::int AS active FROM items`);
  expect(check.rows[0]).toEqual({ ids: ROWS, qty: Array.from({ length: ROWS }, (_, i) => (i + 1) % 97).reduce((a, b) => a + b, 0), active: ROWS / 2 });
});

test('a bad value in the second slice stops the copy, names the row, and leaves the target as it was', async () => {
  await db.query('TRUNCATE items');
  let error: unknown;
  try {
    await copyData(copyOptions(await source('bad.db', 'lots'), db.location, { jobs: 2 }));
  } catch (e) {
    error = e;
  }
  expect(formatError(error)).toMatch(new RegExp(`public\\.items.*id=${BAD_ID}.*qty.*lots`, 's'));
  expect((await db.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(0);
});

test('on-error: skip writes the reject from a worker and copies the rest', async () => {
  const options = copyOptions(await source('skip.db', 'lots'), db.location, { jobs: 2, onError: 'skip', ifTargetNotEmpty: 'truncate' });
  const outcome = await copyData(options);
  expect(outcome.rejectedRows).toBe(1);
  expect(outcome.verified).toBe(false); // a rejected row is missing from the target
  expect(outcome.tables[0]).toMatchObject({ checksumMatch: true, rejectedRows: 1 });
  expect((await db.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(ROWS - 1);
  const rejects = fs.readFileSync(options.copy.rejectsFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  expect(rejects).toEqual([expect.objectContaining({ table: 'public.items', column: 'qty', value: 'lots', key: { id: String(BAD_ID) } })]);
});

test('verification hashes a big SQLite table in worker threads: the same totals as one thread, and a changed row is found', async () => {
  const file = (await source('verify.db', null)) as { kind: 'sqlite'; path: string };
  await copyData(copyOptions(file, db.location, { jobs: 2, ifTargetNotEmpty: 'truncate' }));
  const Database = await loadSqlite();
  const sqlite = new Database(file.path, { readonly: true });
  const spec = { table: 'items', columns: [['id', 'int8', 'bigint'], ['active', 'bool', 'boolean'], ['qty', 'int4', 'integer'], ['note', 'text', 'text'], ['payload', 'jsonb', 'jsonb']].map(([source, typname, sql]) => ({ source, type: classifyPgType(typname, sql) })), keyColumns: ['id'], hasRowid: true };
  const one = await sqliteTotals(sqlite, spec, true, 1);
  const two = await sqliteTotals(sqlite, spec, true, 2);
  sqlite.close();
  expect(two).toEqual({ ...one, readByWorkers: true });
  expect(one.rows).toBe(ROWS);

  const verified = await verifyData(verifyOptions(file, db.location, { jobs: 2 }));
  expect(verified.verified).toBe(true);
  expect(verified.tables[0]).toMatchObject({ sourceChecksum: one.checksum, checksumMatch: true });
  await db.query(`UPDATE items SET note = 'changed' WHERE id = 54321`);
  const differing = await verifyData(verifyOptions(file, db.location, { jobs: 2 }));
  expect(differing.verified).toBe(false);
  expect(differing.tables[0]).toMatchObject({ sourceChecksum: one.checksum, checksumMatch: false, differingKeys: expect.arrayContaining([expect.stringContaining('54321')]) });
});
