// For every real SQLite dataset in test/fixtures/real: copy --create-tables gives a Postgres schema
// with every primary key, UNIQUE, index and foreign key (with its actions) of the SQLite schema —
// read independently through SQLite's pragmas — and at least every index and foreign key that
// pgloader 3.6 creates for the same file (pgloader runs here when installed; .ci/run installs it).
// What cannot be created is reported, with the reason, in the "Schema created" section.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { copyData } from '../../src/copy/copy-data.js';
import { renderSchemaCreated } from '../../src/report/render-schema.js';
import { emptyResult } from '../../src/run-result.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { pgSchemaSpec, sqliteSchemaSpec, type SchemaSpec } from '../helpers/schema-catalog.js';
import { copyOptions, REAL, sqliteAt } from './copy-helpers.js';

const DATASETS = fs.readdirSync(REAL).filter((f) => /\.(db|sqlite)$/.test(f)).sort();
// Deliberately bad rows (pgloader's test beds for them): copied with on-error: skip.
const BAD_ROWS = new Set(['pgloader_type-mismatch.db', 'pgloader_bad-utf8.db']);

function findPgloader(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v pgloader'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}
const PGLOADER = findPgloader();
if (!PGLOADER) console.warn('pgloader is not installed (.ci/run installs it with apt-get install -y pgloader): the comparison with the schema pgloader creates is skipped.');

let ours: TestDatabase;
let theirs: TestDatabase;
beforeAll(async () => {
  ours = await createTestDatabase('schema_ours');
  theirs = await createTestDatabase('schema_pgloader');
});
afterAll(async () => {
  await ours.drop();
  await theirs.drop();
});

const key = (table: string, columns: string[]) => `${table}(${columns.join(',')})`;

function indexTerms(columns: string[], nocase: boolean | undefined, unique: boolean): string[] {
  // A unique NOCASE term is created as lower(col); pg_get_indexdef prints lower(col) or lower((col)::text).
  return columns.map((c) => (nocase && unique ? `lower(${c})` : c));
}

function normalizeTerm(term: string): string {
  return term.replace(/\(\((\w+)\)::text\)/, '($1)').replace(/"/g, '');
}

describe.each(DATASETS)('%s', (file) => {
  let sqlite: Awaited<ReturnType<typeof sqliteSchemaSpec>>;
  let created: SchemaSpec;
  let outcome: Awaited<ReturnType<typeof copyData>>;

  beforeAll(async () => {
    await ours.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    sqlite = await sqliteSchemaSpec(path.join(REAL, file));
    outcome = await copyData(copyOptions(sqliteAt(path.join(REAL, file)), ours.location, { createTables: true, ...(BAD_ROWS.has(file) ? { onError: 'skip' as const } : {}) }));
    created = await pgSchemaSpec(ours.url);
  });

  test('copied and verified (bad rows only rejected)', () => {
    expect(outcome.matched).toBe(true);
    expect(outcome.verified).toBe(!BAD_ROWS.has(file));
  });

  test('every primary key, UNIQUE, index and foreign key of the SQLite schema, or a reason in the report', () => {
    const notTranslated = outcome.schema!.created.flatMap((t) => t.notTranslated.map((n) => ({ table: t.sqliteName.toLowerCase(), ...n })));
    // Primary keys: the same columns, in order; a key holding NULLs is reported instead.
    expect(created.primaryKeys.map((k) => key(k.table, k.columns)).sort()).toEqual(sqlite.primaryKeys.map((k) => key(k.table, k.columns)).sort());
    for (const table of sqlite.pkWithNulls) expect(notTranslated).toContainEqual(expect.objectContaining({ table, kind: 'primary key', reason: expect.stringMatching(/NULLs/) }));
    // Indexes and UNIQUE constraints: the same columns and uniqueness (CREATE INDEX ones by name).
    const createdIndexes = created.indexes.map((i) => `${i.unique ? 'unique ' : ''}${key(i.table, i.columns.map(normalizeTerm))}${i.partial ? ' partial' : ''}`);
    for (const index of sqlite.indexes) {
      if (index.expression) continue; // none in these datasets; see create-tables-schema.test.ts
      const wanted = `${index.unique ? 'unique ' : ''}${key(index.table, indexTerms(index.columns, index.nocase, index.unique))}${index.partial ? ' partial' : ''}`;
      expect(createdIndexes).toContain(wanted);
      if (!index.name.startsWith('sqlite_autoindex_')) expect(created.indexes.map((i) => i.name)).toContain(index.name);
    }
    expect(created.indexes.length).toBe(sqlite.primaryKeys.length + sqlite.indexes.length);
    // Foreign keys: columns, parent, parent columns, ON DELETE / ON UPDATE.
    const fk = (f: SchemaSpec['foreignKeys'][number]) => `${key(f.table, f.columns)} → ${key(f.refTable, f.refColumns)} ON DELETE ${f.onDelete} ON UPDATE ${f.onUpdate}`;
    expect(created.foreignKeys.map(fk).sort()).toEqual(sqlite.foreignKeys.map(fk).sort());
  });

  (PGLOADER ? test : test.skip)('at least every index and foreign key pgloader 3.6 creates for the same file', async () => {
    await theirs.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    const run = spawnSync(PGLOADER!, [path.join(REAL, file), theirs.url], { encoding: 'utf8', timeout: 50_000 });
    const pgloader = await pgSchemaSpec(theirs.url);
    // pgloader 3.6.7 stops on some of these files (an INT8 type, a default it cannot parse, two names equal after 63 bytes): then it created little or nothing.
    if (run.status !== 0) expect(`${run.stdout}${run.stderr}`).toMatch(/ERROR/);
    const ourIndexes = created.indexes.map((i) => ({ ...i, columns: i.columns.map(normalizeTerm) }));
    for (const index of pgloader.indexes) {
      const match = ourIndexes.find((i) => i.table === index.table && i.columns.join() === index.columns.join() && (i.unique || !index.unique));
      expect(match ? 'created' : `missing: ${JSON.stringify(index)}`).toBe('created');
    }
    const ourForeignKeys = created.foreignKeys.map((f) => key(f.table, f.columns) + key(f.refTable, f.refColumns));
    for (const fk of pgloader.foreignKeys) expect(ourForeignKeys).toContain(key(fk.table, fk.columns) + key(fk.refTable, fk.refColumns));
    if (file === 'chinook.sqlite') expect(pgloader.indexes.length).toBeGreaterThan(20); // pgloader ran, the comparison compared something
  });
});

test('Northwind: the report\'s "Schema created" section (golden file; regenerate with UPDATE_GOLDEN=1 and read the diff)', async () => {
  await ours.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  const outcome = await copyData(copyOptions(sqliteAt(path.join(REAL, 'northwind_small.sqlite')), ours.location, { createTables: true }));
  const section = `${renderSchemaCreated({ ...emptyResult('copy'), schema: outcome.schema! })}\n`;
  const golden = path.resolve('test/golden/schema-created-northwind.md');
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(golden, section);
  expect(section).toBe(fs.readFileSync(golden, 'utf8'));
});
