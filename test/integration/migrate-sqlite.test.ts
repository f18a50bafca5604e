// Migrations against real SQLite files (local development): the same modes and history table as on
// PostgreSQL, a failing migration rolled back, and four processes migrating one file at once.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { SqliteLocation } from '../../src/db/database-url.js';
import { loadSqlite } from '../../src/db/sqlite-driver.js';
import { formatError, LockTimeoutError, MigrationError, MigrationPlanError, SqliteFileError } from '../../src/errors.js';
import { migrationChecksum } from '../../src/migrate/migration-files.js';
import { runMigrations } from '../../src/migrate/run-migrations.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';
import { fixture, migrationOptions, rejection, run } from './migrate-helpers.js';
import { spawnNode } from '../helpers/run-dist.js';

const NOTES = fixture('migrations-sqlite');
const ALL = ['001_create_notes', '002_insert_note', '003_index_notes_body'];

function newDatabase(): SqliteLocation {
  return { kind: 'sqlite', path: path.join(makeTempDir('cutover-sqlite-'), 'app.db') };
}

async function query<T = Record<string, unknown>>(location: SqliteLocation, sql: string): Promise<T[]> {
  const Database = await loadSqlite();
  const db = new Database(location.path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

const names = async (location: SqliteLocation) => (await query<{ name: string }>(location, 'SELECT name FROM cutover_migrations ORDER BY name')).map((r) => r.name);
const hasTable = async (location: SqliteLocation, name: string) =>
  (await query(location, `SELECT 1 FROM sqlite_schema WHERE name = '${name}'`)).length > 0;

describe('runMigrations on SQLite', () => {
  test('migrate creates the file, applies everything and records history rows', async () => {
    const target = newDatabase();
    const outcome = await run(target, NOTES, { appliedBy: 'dev@laptop' });
    expect(outcome.applied).toEqual(ALL);
    expect(outcome.pending).toEqual([]);
    expect(fs.existsSync(target.path)).toBe(true);
    const rows = await query<{ name: string; checksum: string; applied_at: string; duration_ms: number; applied_by: string }>(target, 'SELECT * FROM cutover_migrations ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(ALL);
    const up = fs.readFileSync(path.join(NOTES, '001_create_notes.up.sql'), 'utf8');
    expect(rows[0]).toMatchObject({ checksum: migrationChecksum(up), applied_by: 'dev@laptop' });
    expect(new Date(rows[0].applied_at).toISOString()).toBe(rows[0].applied_at);
    expect(rows[0].duration_ms).toBeGreaterThanOrEqual(0);
    expect(await query(target, 'SELECT body FROM notes')).toEqual([{ body: 'inserted by 002' }]);

    const again = await run(target, NOTES);
    expect(again.applied).toEqual([]);
  });

  test('status reads without writing: a missing file is an error, a new file gets no history table', async () => {
    const missing = newDatabase();
    const error = await rejection(run(missing, NOTES, { mode: 'status' }));
    expect(error).toBeInstanceOf(SqliteFileError);
    expect(fs.existsSync(missing.path)).toBe(false);

    const empty = newDatabase();
    const Database = await loadSqlite();
    new Database(empty.path).close();
    const status = await run(empty, NOTES, { mode: 'status' });
    expect(status.pending).toEqual(ALL);
    expect(await hasTable(empty, 'cutover_migrations')).toBe(false);

    await run(empty, NOTES, { to: '002_insert_note' });
    const after = await run(empty, NOTES, { mode: 'status' });
    expect(after.entries.map((e) => e.status)).toEqual(['applied', 'applied', 'pending']);
  });

  test('rollback by steps and to, and baseline', async () => {
    const target = newDatabase();
    await run(target, NOTES);
    const one = await run(target, NOTES, { mode: 'rollback' });
    expect(one.applied).toEqual(['003_index_notes_body']);
    expect(await hasTable(target, 'notes_body_idx')).toBe(false);
    const toFirst = await run(target, NOTES, { mode: 'rollback', to: '001_create_notes' });
    expect(toFirst.applied).toEqual(['002_insert_note']);
    expect(await query(target, 'SELECT * FROM notes')).toEqual([]);
    expect(await names(target)).toEqual(['001_create_notes']);

    const baselined = await run(target, NOTES, { mode: 'baseline', to: '002' });
    expect(baselined.applied).toEqual(['002_insert_note']);
    expect(baselined.entries.map((e) => e.status)).toEqual(['already-applied', 'baselined', 'pending']);
    expect(await query(target, 'SELECT * FROM notes')).toEqual([]);
  });

  test('rollback on a missing file does not create it', async () => {
    const target = newDatabase();
    expect(await rejection(run(target, NOTES, { mode: 'rollback' }))).toBeInstanceOf(SqliteFileError);
    expect(fs.existsSync(target.path)).toBe(false);
  });

  test('a failing migration is rolled back, named and annotated', async () => {
    const dir = makeTempDir('cutover-sqlite-fail-');
    writeFiles(dir, {
      '001_ok.up.sql': 'CREATE TABLE ok (id INTEGER);',
      '002_bad.up.sql': 'CREATE TABLE half (id INTEGER);\nINSERT INTO half VALUES (1);\nINSERT INTO no_such_table VALUES (1);\n',
    });
    const target = newDatabase();
    const options = migrationOptions(target, dir);
    const error = await rejection(runMigrations(options));
    expect(error).toBeInstanceOf(MigrationError);
    const text = formatError(error);
    expect(text).toContain('Migration 002_bad failed');
    expect(text).toContain('002_bad.up.sql');
    expect(text).toContain('no such table: no_such_table');
    expect(await hasTable(target, 'half')).toBe(false);
    expect(await names(target)).toEqual(['001_ok']);
    expect(options.runtime.logs.find((l) => l.level === 'error')?.annotation?.file).toMatch(/002_bad\.up\.sql$/);
    expect((error as unknown as MigrationError).outcome?.applied).toEqual(['001_ok']);
  });

  test('JS migrations get a sql() helper with ? placeholders', async () => {
    const target = newDatabase();
    const outcome = await run(target, fixture('migrations-js'));
    expect(outcome.applied).toEqual(['001_create_things', '002_seed_things', '003_label_upper']);
    expect(await query(target, 'SELECT id, label FROM things ORDER BY id')).toEqual([{ id: 1, label: 'ONE' }, { id: 2, label: 'TWO' }]);
  });

  test('an edited applied migration stops the run', async () => {
    const dir = makeTempDir('cutover-sqlite-edit-');
    for (const file of fs.readdirSync(NOTES)) fs.copyFileSync(path.join(NOTES, file), path.join(dir, file));
    const target = newDatabase();
    await run(target, dir, { to: '001' });
    fs.appendFileSync(path.join(dir, '001_create_notes.up.sql'), '-- edited\n');
    expect(await rejection(run(target, dir))).toBeInstanceOf(MigrationPlanError);
    expect(await names(target)).toEqual(['001_create_notes']);
  });

  test('another writer holding the file past lock-timeout gives LockTimeoutError and changes nothing', async () => {
    const target = newDatabase();
    await run(target, NOTES, { to: '001' });
    const Database = await loadSqlite();
    const other = new Database(target.path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const error = await rejection(run(target, NOTES, { lockTimeoutMs: 200 }));
      expect(error).toBeInstanceOf(LockTimeoutError);
      expect(formatError(error)).toContain("write lock on the SQLite database input 'target-url'");
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await names(target)).toEqual(['001_create_notes']);
    expect((await run(target, NOTES)).applied).toEqual(['002_insert_note', '003_index_notes_body']);
  });

  test('four migrate processes on one SQLite file apply each migration exactly once', async () => {
    const target = newDatabase();
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    const results = await Promise.all(
      Array.from({ length: 4 }, () => spawnNode(['--import', './scripts/register-ts.mjs', 'test/fixtures/run-migrations-child.ts', `sqlite:${target.path}`, NOTES], env)),
    );
    for (const result of results) expect({ code: result.code, stderr: result.stderr.replace(/.*ExperimentalWarning.*\n?/g, '') }).toEqual({ code: 0, stderr: expect.any(String) });
    const applied = results.flatMap((r) => JSON.parse(r.stdout.trim().split('\n').pop()!).applied as string[]);
    expect(applied.sort()).toEqual(ALL);
    expect(await names(target)).toEqual(ALL);
    expect(await query(target, 'SELECT body, count(*) AS n FROM notes GROUP BY body')).toEqual([{ body: 'inserted by 002', n: 1 }]);
  }, 60_000);
});
