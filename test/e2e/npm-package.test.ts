// The npm package as a user gets it: `npm pack`, then `npm install <tarball>` into an empty project
// (its dependencies from the registry, better-sqlite3 with its own prebuilt binaries), then
// `npx cutover …` on Node 24 — help, migrate and status on a SQLite file, a copy into the test
// PostgreSQL (with worker threads, which start from the installed lib/) — and, where the machine
// has one, an older Node that must be told which version to use instead of crashing.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadSqlite } from '../../src/db/sqlite-driver.js';
import { MIN_NODE_MAJOR } from '../../src/node-runtime.js';
import { VERSION } from '../../src/version.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { NODE24 } from '../helpers/run-dist.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';

const repo = process.cwd();
const node24Dir = path.dirname(NODE24);
/** PATH with Node 24 first (as `npx` on a supported Node sees it), without the repository's other tools. */
const pathWithNode24 = `${node24Dir}${path.delimiter}${(process.env.PATH ?? '').split(path.delimiter).filter((dir) => !dir.startsWith(path.join(repo, 'node_modules'))).join(path.delimiter)}`;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? { ...process.env, PATH: pathWithNode24 }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 50_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const npx = (project: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  run('npx', ['cutover', ...args], { cwd: project, env: { ...process.env, NODE_OPTIONS: '', PATH: pathWithNode24, ...env } });

let tarball: string;
let tarballEntries: string[];
let project: string;
let db: TestDatabase;

beforeAll(async () => {
  const out = makeTempDir('cutover-pack-');
  // NODE_OPTIONS from jest (--experimental-vm-modules) is not what a user has.
  const env = { ...process.env, NODE_OPTIONS: '', PATH: pathWithNode24 };
  const pack = await run('npm', ['pack', '--pack-destination', out, '--loglevel=error'], { cwd: repo, env });
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  tarball = path.join(out, fs.readdirSync(out).find((f) => f.endsWith('.tgz'))!);
  tarballEntries = spawnSync('tar', ['tzf', tarball], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);

  project = makeTempDir('cutover-user-project-');
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
  const install = await run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, env });
  if (install.code !== 0) throw new Error(`npm install ${tarball} failed:\n${install.stderr}`);
  db = await createTestDatabase('e2e_npm_package');
}, 60_000);

afterAll(async () => {
  await db?.drop();
});

describe('the tarball', () => {
  test('is small, has the CLI and nothing of the Action bundle, tests or sources', () => {
    const size = fs.statSync(tarball).size;
    expect(size).toBeLessThan(2 * 1024 * 1024);
    expect(tarballEntries).toEqual(expect.arrayContaining(['package/package.json', 'package/bin/cutover.js', 'package/lib/cli.js', 'package/lib/copy/read/sqlite-copy-worker-main.js', 'package/README.md', 'package/LICENSE', 'package/CHANGELOG.md']));
    expect(tarballEntries.filter((entry) => /\.node$|^package\/(dist|test|src|bench|scripts|examples)\/|\.ts$/.test(entry))).toEqual([]);
    // The repository's lib/ exists only while packing (prepack builds it, postpack removes it).
    expect(fs.existsSync(path.join(repo, 'lib'))).toBe(false);
  });

  test('package.json: public, bin, engines, and every package lib/ imports is a dependency (none bundled)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'node_modules/cutover/package.json'), 'utf8'));
    expect(manifest.private).toBeUndefined();
    expect(manifest.version).toBe(VERSION);
    expect(manifest.bin).toEqual({ cutover: 'bin/cutover.js' });
    expect(manifest.engines.node).toBe(`>=${MIN_NODE_MAJOR}`);
    expect(manifest.bundleDependencies ?? manifest.bundledDependencies).toBeUndefined();
    const imported = new Set<string>();
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else {
          const text = fs.readFileSync(file, 'utf8');
          for (const [, fromSpec, dynamicSpec] of text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^'.][^']*)'|\bimport\('([^'.][^']*)'\)/gm)) {
            const spec = fromSpec ?? dynamicSpec;
            if (!spec.startsWith('node:')) imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
          }
        }
      }
    };
    walk(path.join(project, 'node_modules/cutover/lib'));
    expect([...imported].sort()).toEqual(Object.keys(manifest.dependencies).sort());
    // better-sqlite3 comes from npm with its own prebuilt binary for this platform.
    expect(fs.existsSync(path.join(project, `node_modules/better-sqlite3/prebuilds/${process.platform}-${process.arch}.node`))).toBe(true);
  });
});

describe('npx cutover in an empty project, on Node 24', () => {
  test('--help and --version', async () => {
    const help = await npx(project, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: cutover <command> [options]');
    const version = await npx(project, ['--version']);
    expect(version.stdout.trim()).toBe(VERSION);
  });

  test('migrate, then status, on a SQLite file', async () => {
    writeFiles(project, {
      'migrations/001_create_notes.up.sql': 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);',
      'migrations/001_create_notes.down.sql': 'DROP TABLE notes;',
      'migrations/002_add_author.up.sql': 'ALTER TABLE notes ADD COLUMN author TEXT;',
    });
    const migrate = await npx(project, ['migrate', '--target', 'sqlite:app.db', '--json']);
    expect(migrate.stderr).not.toMatch(/Error|error:/);
    expect(migrate.code).toBe(0);
    expect(JSON.parse(migrate.stdout).migrations.map((m: { name: string; status: string }) => `${m.name} ${m.status}`)).toEqual(['001_create_notes applied', '002_add_author applied']);

    const status = await npx(project, ['status', '--target', 'sqlite:app.db', '--json']);
    expect(status.code).toBe(0);
    const result = JSON.parse(status.stdout);
    expect(result.migrations.filter((m: { status: string }) => m.status === 'pending')).toEqual([]);
    expect(result.reproduce).toBe(`npx cutover@${VERSION} status --target-url sqlite:app.db`);

    const Database = await loadSqlite();
    const file = new Database(path.join(project, 'app.db'), { readonly: true });
    try {
      expect((file.prepare("SELECT group_concat(name, ',') AS columns FROM pragma_table_info('notes')").get() as { columns: string }).columns).toBe('id,body,author');
    } finally {
      file.close();
    }
  });

  test('copy from a SQLite file into PostgreSQL, read by worker threads, verified', async () => {
    const Database = await loadSqlite();
    const source = new Database(path.join(project, 'source.db'));
    source.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, amount REAL)');
    source.prepare("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000) INSERT INTO events SELECT i, 'kind-' || (i % 7), i / 4.0 FROM n").run();
    source.close();
    await db.query('CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, amount double precision)');

    // 60,000 rows and two threads forced: the rows are read by workers started from the package's lib/.
    const copy = await npx(project, ['copy', '--source', 'sqlite:source.db', '--target', db.url, '--json'], { CUTOVER_COPY_THREADS: '2' });
    expect(copy.code).toBe(0);
    const result = JSON.parse(copy.stdout);
    expect(result.verified).toBe(true);
    expect(result.tables).toEqual([expect.objectContaining({ sourceRows: 60000, targetRows: 60000, checksumMatch: true })]);
    const { rows } = await db.query<{ n: string; total: number }>('SELECT count(*) AS n, sum(amount) AS total FROM events');
    expect(rows[0]).toEqual({ n: '60000', total: (60000 * 60001) / 2 / 4 });
  });
});

/** A Node older than the package supports, if this machine has one (Debian's system Node 20 here). */
function olderNode(): { path: string; version: string } | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    const version = probe.stdout?.trim();
    if (probe.status === 0 && Number(version.slice(1).split('.')[0]) < MIN_NODE_MAJOR) return { path: candidate, version };
  }
  return undefined;
}
const older = olderNode();

(older ? describe : describe.skip)(`on an unsupported Node (${older?.version ?? 'none on this machine'})`, () => {
  test('--help and a SQLite migrate say which Node to use, exit 1, and do not crash', async () => {
    const bin = path.join(project, 'node_modules/.bin/cutover');
    // Only the old Node on PATH: nothing to hand over to.
    const env = { PATH: `${path.dirname(older!.path)}${path.delimiter}/usr/bin${path.delimiter}/bin`, HOME: process.env.HOME };
    for (const args of [['--help'], ['migrate', '--target', 'sqlite:app.db']]) {
      const result = await run(older!.path, [bin, ...args], { cwd: project, env });
      expect({ code: result.code, signal: result.signal }).toEqual({ code: 1, signal: null });
      expect(result.stderr).toContain(`cutover needs Node.js ${MIN_NODE_MAJOR} or newer, but this is ${older!.version}`);
      expect(result.stderr).toContain(`npx -p node@24 -p cutover@${VERSION} -- cutover`);
      expect(result.stdout).toBe('');
    }
  });
});
