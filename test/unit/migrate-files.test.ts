// Reading a migrations directory: order, checksums, markers, and every layout that is rejected
// before anything runs (missing/empty directory, typos, duplicates, ambiguous ids, stray downs).
import path from 'node:path';
import { MigrationPlanError, formatError } from '../../src/errors.js';
import { hasNoTransactionMarker, legacyMigrationChecksum, migrationChecksum, readMigrationFiles } from '../../src/migrate/migration-files.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';

function dirWith(files: Record<string, string>): string {
  const dir = makeTempDir('cutover-migfiles-');
  writeFiles(dir, files);
  return dir;
}

function planError(dir: string, requireMigrations = true): MigrationPlanError {
  try {
    readMigrationFiles(dir, { requireMigrations });
  } catch (error) {
    expect(error).toBeInstanceOf(MigrationPlanError);
    return error as MigrationPlanError;
  }
  throw new Error('expected a MigrationPlanError');
}

describe('readMigrationFiles', () => {
  test('orders SQL and JS migrations by id and pairs up/down files', () => {
    const dir = dirWith({
      '002_b.mjs': 'export async function up() {}',
      '001_a.up.sql': 'CREATE TABLE a (id int);',
      '001_a.down.sql': 'DROP TABLE a;',
      '003_c.up.sql': 'CREATE TABLE c (id int);',
      'README.md': '# notes',
      '.gitkeep': '',
    });
    const files = readMigrationFiles(dir, { requireMigrations: true });
    expect(files.map((f) => [f.name, f.kind, f.id])).toEqual([
      ['001_a', 'sql', '001'],
      ['002_b', 'js', '002'],
      ['003_c', 'sql', '003'],
    ]);
    expect(files[0].upPath).toBe(path.join(dir, '001_a.up.sql'));
    expect(files[0].downPath).toBe(path.join(dir, '001_a.down.sql'));
    expect(files[2].downPath).toBeUndefined();
    expect(files[0].checksum).toBe(migrationChecksum('CREATE TABLE a (id int);'));
    expect(files[0].legacyChecksum).toBe(legacyMigrationChecksum('CREATE TABLE a (id int);', 'DROP TABLE a;'));
    expect(files[2].legacyChecksum).toBeUndefined(); // no down file, no BOM: both forms agree
    expect(files[0].checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  test('checksum covers the up file, ignoring CRLF vs LF and a leading BOM; the legacy form covers up + down', () => {
    expect(migrationChecksum('a\r\nb')).toBe(migrationChecksum('a\nb'));
    expect(migrationChecksum('\uFEFFa\nb')).toBe(migrationChecksum('a\nb'));
    expect(migrationChecksum('a')).not.toBe(migrationChecksum('b'));
    // Files without a down file or BOM keep the checksum earlier versions recorded.
    expect(migrationChecksum('a\r\nb')).toBe(legacyMigrationChecksum('a\r\nb'));
    expect(legacyMigrationChecksum('a\nb', 'c')).not.toBe(legacyMigrationChecksum('a\nb'));
    expect(legacyMigrationChecksum('a\r\nb', 'c\r\n')).toBe(legacyMigrationChecksum('a\nb', 'c\n'));
  });

  test('accepts 14-digit timestamp ids and mixed widths whose text and number order agree', () => {
    const dir = dirWith({ '20240101120000_a.up.sql': 'x', '20240315083000_b.up.sql': 'y', '001_legacy.up.sql': 'z' });
    expect(readMigrationFiles(dir, { requireMigrations: true }).map((f) => f.name)).toEqual(['001_legacy', '20240101120000_a', '20240315083000_b']);
  });

  test('a missing directory is rejected, naming it', () => {
    const dir = path.join(makeTempDir(), 'nope');
    const error = planError(dir);
    expect(error.message).toContain(`${dir} does not exist`);
    expect(formatError(error)).toContain('Fix: check migrations-dir');
  });

  test('an empty directory is rejected when migrations are required, and allowed for status', () => {
    const dir = dirWith({ 'README.md': 'nothing here' });
    expect(planError(dir).message).toContain('contains no migrations');
    expect(readMigrationFiles(dir, { requireMigrations: false })).toEqual([]);
  });

  test.each([
    ['001_create_users.sql', 'rename it to 001_create_users.up.sql'],
    ['001-create_users.up.sql', 'separate the id from the name with an underscore'],
    ['create_users.up.sql', 'start the name with a sortable id'],
    ['001_create_users.ts', 'TypeScript migrations are not loaded'],
    ['001_create_users.up.sql.bak', 'matches no migration pattern'],
  ])('a file that looks like a typo (%s) is rejected', (file, advice) => {
    const dir = dirWith({ '000_ok.up.sql': 'SELECT 1;', [file]: 'SELECT 1;' });
    const error = planError(dir);
    expect(error.message).toContain(file);
    expect(error.message).toContain(advice);
    expect(error.message).toContain('nothing was run');
  });

  test('two migrations with the same id are rejected', () => {
    const error = planError(dirWith({ '001_a.up.sql': 'x', '001_b.up.sql': 'y' }));
    expect(error.message).toContain('id 001 is used by more than one migration (001_a, 001_b)');
  });

  test('ids that are equal as numbers but written differently are duplicates', () => {
    expect(planError(dirWith({ '1_a.up.sql': 'x', '01_b.up.sql': 'y' })).message).toMatch(/id 0?1 is used by more than one migration/);
  });

  test('the same name as SQL and as a module is rejected', () => {
    const error = planError(dirWith({ '001_a.up.sql': 'x', '001_a.mjs': 'export async function up() {}' }));
    expect(error.message).toContain('001_a exists both as SQL');
  });

  test('the same name as .js and .mjs is rejected', () => {
    const error = planError(dirWith({ '001_a.js': 'export async function up() {}', '001_a.mjs': 'export async function up() {}' }));
    expect(error.message).toContain('001_a.js and 001_a.mjs are both migration 001_a');
  });

  test('ids of different widths that sort ambiguously (1_a, 10_b, 2_c) are rejected', () => {
    const error = planError(dirWith({ '1_a.up.sql': 'x', '10_b.up.sql': 'y', '2_c.up.sql': 'z' }));
    expect(error.message).toContain('sort ambiguously');
    expect(error.message).toContain('2_c comes before 10_b by number but after it as text');
    expect(error.message).toContain('zero-pad');
  });

  test('a down file without its up file is rejected', () => {
    expect(planError(dirWith({ '001_a.up.sql': 'x', '002_b.down.sql': 'y' })).message).toContain('002_b.down.sql has no 002_b.up.sql');
  });

  test('lists every problem at once', () => {
    const error = planError(dirWith({ '001_a.up.sql': 'x', '001_b.up.sql': 'y', '002_c.sql': 'z' }));
    expect(error.message).toContain('2 problems');
  });

  test('a file, not a directory, is rejected', () => {
    const dir = dirWith({ 'file.txt': 'x' });
    expect(planError(path.join(dir, 'file.txt')).message).toContain('is a file, not a directory');
  });
});

describe('no-transaction marker', () => {
  test('is a comment line of its own', () => {
    expect(hasNoTransactionMarker('-- cutover:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (c);')).toBe(true);
    expect(hasNoTransactionMarker('CREATE TABLE t (id int);\n  --cutover:no-transaction  \n')).toBe(true);
    expect(hasNoTransactionMarker('-- add the marker cutover:no-transaction for concurrent indexes\nSELECT 1;')).toBe(false);
    expect(hasNoTransactionMarker("SELECT '-- cutover:no-transaction';")).toBe(false);
    expect(hasNoTransactionMarker('// cutover:no-transaction\nexport async function up() {}', 'js')).toBe(true);
  });
});
