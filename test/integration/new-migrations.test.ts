// migrationsNewSince in real git repositories: a full clone, a shallow clone (as actions/checkout
// makes by default) that can fetch the base commit, and one that cannot.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { migrationNameOf, migrationsNewSince } from '../../src/dry-run/new-migrations.js';
import { recordingRuntime } from '../../src/runtime.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

let tmp: string;
let origin: string;
let baseSha: string;

beforeAll(() => {
  tmp = makeTempDir('cutover-git-');
  origin = path.join(tmp, 'origin');
  fs.mkdirSync(origin);
  git(origin, 'init', '-q', '-b', 'main');
  writeFiles(origin, {
    'README.md': '# shop\n',
    'db/migrations/001_users.up.sql': 'CREATE TABLE users (id int);\n',
    'db/migrations/002_orders.up.sql': 'CREATE TABLE orders (id int);\n',
    'db/migrations/notes.txt': 'not a migration\n',
  });
  git(origin, 'add', '.');
  git(origin, 'commit', '-q', '-m', 'base');
  baseSha = git(origin, 'rev-parse', 'HEAD');
  // Commits on main after the PR branched would not matter; the PR adds these:
  writeFiles(origin, {
    'db/migrations/002_orders.down.sql': 'DROP TABLE orders;\n',
    'db/migrations/003_order_index.up.sql': 'CREATE INDEX ON orders (id);\n',
    'db/migrations/004_seed.mjs': 'export async function up() {}\n',
  });
  git(origin, 'add', '.');
  git(origin, 'commit', '-q', '-m', 'pr');
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('migrationsNewSince', () => {
  test('full clone: files absent at the base commit are new; a down file added to an old migration is not', async () => {
    const clone = path.join(tmp, 'full');
    git(tmp, 'clone', '-q', origin, clone);
    writeFiles(clone, { 'db/migrations/005_untracked.up.sql': 'SELECT 1;\n' });
    const runtime = recordingRuntime();
    const fresh = await migrationsNewSince(baseSha, path.join(clone, 'db/migrations'), clone, runtime);
    expect(fresh && [...fresh].sort()).toEqual(['003_order_index', '004_seed', '005_untracked']);
    expect(runtime.logs.filter((l) => l.level === 'warning')).toEqual([]);
  });

  test('works from a subdirectory and with a relative working directory layout', async () => {
    const clone = path.join(tmp, 'full');
    const fresh = await migrationsNewSince(baseSha, path.join(clone, 'db/migrations'), path.join(clone, 'db'));
    expect(fresh?.has('003_order_index')).toBe(true);
    expect(fresh?.has('001_users')).toBe(false);
  });

  test('shallow clone: the base commit is fetched once from origin', async () => {
    const clone = path.join(tmp, 'shallow');
    git(tmp, 'clone', '-q', '--depth=1', `file://${origin}`, clone);
    expect(() => git(clone, 'cat-file', '-e', `${baseSha}^{commit}`)).toThrow();
    const runtime = recordingRuntime();
    const fresh = await migrationsNewSince(baseSha, path.join(clone, 'db/migrations'), clone, runtime);
    expect(fresh && [...fresh].sort()).toEqual(['003_order_index', '004_seed']);
    expect(runtime.logs.filter((l) => l.level === 'warning')).toEqual([]);
  });

  test('shallow clone without a reachable origin: undefined and a warning naming fetch-depth: 0', async () => {
    const clone = path.join(tmp, 'orphan');
    git(tmp, 'clone', '-q', '--depth=1', `file://${origin}`, clone);
    git(clone, 'remote', 'set-url', 'origin', path.join(tmp, 'gone'));
    const runtime = recordingRuntime();
    expect(await migrationsNewSince(baseSha, path.join(clone, 'db/migrations'), clone, runtime)).toBeUndefined();
    const warnings = runtime.logs.filter((l) => l.level === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toContain(baseSha);
    expect(warnings[0].message).toContain('fetch-depth: 0');
  });

  test('outside a git checkout: undefined and a warning', async () => {
    const plain = makeTempDir('cutover-nogit-');
    try {
      writeFiles(plain, { 'migrations/001_a.up.sql': 'SELECT 1;' });
      const runtime = recordingRuntime();
      expect(await migrationsNewSince(baseSha, path.join(plain, 'migrations'), plain, runtime)).toBeUndefined();
      expect(runtime.logs.some((l) => l.level === 'warning' && l.message.includes('not a git checkout'))).toBe(true);
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });

  test('a migrations directory that did not exist at the base: every migration is new', async () => {
    const clone = path.join(tmp, 'full');
    writeFiles(clone, { 'other/001_first.up.sql': 'SELECT 1;' });
    expect([...(await migrationsNewSince(baseSha, path.join(clone, 'other'), clone))!]).toEqual(['001_first']);
  });
});

test('migrationNameOf matches the migration file patterns', () => {
  expect(migrationNameOf('001_users.up.sql')).toBe('001_users');
  expect(migrationNameOf('001_users.down.sql')).toBe('001_users');
  expect(migrationNameOf('20240101120000_add-index.mjs')).toBe('20240101120000_add-index');
  expect(migrationNameOf('002_x.js')).toBe('002_x');
  expect(migrationNameOf('notes.txt')).toBeUndefined();
  expect(migrationNameOf('001_users.sql')).toBeUndefined();
});
