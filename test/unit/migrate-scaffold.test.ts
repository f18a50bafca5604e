// `cutover new <name>`: next id in the directory's style, slug, both files, never overwriting.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, MigrationPlanError } from '../../src/errors.js';
import { readMigrationFiles } from '../../src/migrate/migration-files.js';
import { migrationSlug, nextMigrationId, scaffoldMigration } from '../../src/migrate/scaffold-migration.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';

describe('scaffoldMigration', () => {
  test('starts at 001 in an empty (or missing) directory and writes up and down', () => {
    const dir = path.join(makeTempDir(), 'migrations');
    const created = scaffoldMigration(dir, 'Create users!');
    expect(created).toMatchObject({ id: '001', name: '001_create_users' });
    expect(created.upFile).toBe(path.join(dir, '001_create_users.up.sql'));
    expect(created.downFile).toBe(path.join(dir, '001_create_users.down.sql'));
    expect(fs.readFileSync(created.upFile, 'utf8')).toContain('001_create_users');
    // The scaffolded pair is a valid migration and not accidentally marked no-transaction.
    const [file] = readMigrationFiles(dir, { requireMigrations: true });
    expect(file).toMatchObject({ name: '001_create_users', downPath: created.downFile });
    expect(fs.readFileSync(created.upFile, 'utf8')).not.toMatch(/^--\s*cutover:no-transaction\s*$/m);
  });

  test('continues the width of existing ids', () => {
    const dir = makeTempDir();
    writeFiles(dir, { '0001_a.up.sql': 'x', '0007_b.up.sql': 'y', '0007_b.down.sql': 'z' });
    expect(scaffoldMigration(dir, 'add orders').name).toBe('0008_add_orders');
    expect(scaffoldMigration(dir, 'add more').name).toBe('0009_add_more');
  });

  test('uses a UTC timestamp when existing ids are timestamps', () => {
    const dir = makeTempDir();
    writeFiles(dir, { '20240101120000_a.up.sql': 'x' });
    const created = scaffoldMigration(dir, 'b', { now: new Date('2025-06-07T08:09:10.123Z') });
    expect(created.name).toBe('20250607080910_b');
  });

  test('a timestamp that would not sort last is bumped past the newest id', () => {
    expect(nextMigrationId(['20300101000000'], new Date('2025-01-01T00:00:00Z'))).toBe('20300101000001');
  });

  test('refuses to outgrow the id width (999 → 1000 would sort before 999 as text)', () => {
    expect(() => nextMigrationId(['998', '999'])).toThrow(MigrationPlanError);
  });

  test('rejects a name with nothing to slug', () => {
    expect(() => scaffoldMigration(makeTempDir(), '!!!')).toThrow(ConfigError);
    expect(migrationSlug('Ünïcode  Name-2')).toBe('unicode_name_2');
  });

  test('never overwrites an existing file', () => {
    const dir = makeTempDir();
    writeFiles(dir, { '001_x.down.sql': 'keep me' });
    // 001 is taken by a stray down file, so the next id is 002 — nothing is overwritten.
    expect(scaffoldMigration(dir, 'x').name).toBe('002_x');
    expect(fs.readFileSync(path.join(dir, '001_x.down.sql'), 'utf8')).toBe('keep me');
  });
});
