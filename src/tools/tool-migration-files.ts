// Lists a migration tool's files without running the tool, so that status can say what is pending:
// where each tool keeps them by default, how its file names encode what it records in its history
// table, and in which order it runs them. The tool's own file-name rules are followed:
// - Prisma: prisma/migrations/<name>/migration.sql; _prisma_migrations.migration_name is <name>.
// - Flyway: V<version>__<description>.sql (version parts separated by . or _, recorded with dots),
//   R__<description>.sql for repeatable ones (recorded with no version).
// - Supabase CLI: supabase/migrations/<digits>_<name>.sql (pkg/migration/file.go `^([0-9]+)_(.*)\.sql$`);
//   the digits are the recorded version.
// - golang-migrate: <version>_<title>.up.sql; the version is recorded as a bigint (0001 → 1), and only
//   the latest one, so everything up to it counts as applied.
// - dbmate: db/migrations/<version>_<name>.sql, the version recorded as written.
// - Django: <app>/migrations/<name>.py of every app in the project (recorded as app + name); apps
//   installed as packages (django.contrib.*) have no files here.
// - Alembic: alembic-revisions.ts (the versions directory from alembic.ini's script_location).
import fs from 'node:fs';
import path from 'node:path';
import { readAlembicVersions, type AlembicScript } from './alembic-revisions.js';
import type { ToolId } from './history-layouts.js';

export interface ToolMigrationFile {
  /** What the tool records for it in its history table (normalised, see recordKey). */
  key: string;
  /** How the report names it (its file or directory name). */
  name: string;
  path: string;
}

export interface ToolFileSet {
  tool: ToolId;
  dir: string;
  /** In the order the tool runs them. */
  files: ToolMigrationFile[];
  alembic?: AlembicScript;
}

export interface FileRoots {
  /** migrations-dir (absolute). */
  migrationsDir: string;
  /** Where the tool is run from: migrate-command-dir, else the workspace (absolute). */
  projectDir: string;
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'venv', '.venv', 'env', 'site-packages', '__pycache__', 'dist', 'build', '.tox']);

function filesIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

function dirsIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/** Flyway compares versions numerically part by part, and 1.0 equals 1. */
export function flywayVersionKey(version: string): string {
  const parts = version.split(/[._]/).map((p) => (/^\d+$/.test(p) ? BigInt(p).toString() : p));
  while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop();
  return parts.join('.');
}

function compareKeys(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = BigInt(/^\d+$/.test(pa[i] ?? '') ? pa[i] : '0');
    const y = BigInt(/^\d+$/.test(pb[i] ?? '') ? pb[i] : '0');
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The key a history row is compared under (the same normalisation as the files'). */
export function recordKey(tool: ToolId, id: string): string {
  if (tool === 'flyway') return id.startsWith('R ') ? id : flywayVersionKey(id);
  if (tool === 'golang-migrate' && /^-?\d+$/.test(id)) return BigInt(id).toString();
  return id;
}

type Lister = (dir: string) => ToolMigrationFile[];

const LISTERS: Partial<Record<ToolId, Lister>> = {
  prisma: (dir) =>
    dirsIn(dir)
      .filter((name) => fs.existsSync(path.join(dir, name, 'migration.sql')))
      .map((name) => ({ key: name, name, path: path.join(dir, name, 'migration.sql') })),
  flyway: (dir) => {
    const versioned: ToolMigrationFile[] = [];
    const repeatable: ToolMigrationFile[] = [];
    for (const file of filesIn(dir)) {
      const v = /^V([0-9][0-9._]*)__(.+)\.sql$/.exec(file);
      if (v) versioned.push({ key: flywayVersionKey(v[1]), name: file.replace(/\.sql$/, ''), path: path.join(dir, file) });
      const r = /^R__(.+)\.sql$/.exec(file);
      if (r) repeatable.push({ key: `R ${r[1].replace(/_/g, ' ')}`, name: file.replace(/\.sql$/, ''), path: path.join(dir, file) });
    }
    return [...versioned.sort((a, b) => compareKeys(a.key, b.key)), ...repeatable];
  },
  supabase: (dir) =>
    filesIn(dir)
      .flatMap((file) => {
        const m = /^([0-9]+)_(.*)\.sql$/.exec(file);
        return m ? [{ key: m[1], name: file.replace(/\.sql$/, ''), path: path.join(dir, file) }] : [];
      }),
  'golang-migrate': (dir) =>
    filesIn(dir)
      .flatMap((file) => {
        const m = /^([0-9]+)_(.*)\.up\.[a-z]+$/.exec(file);
        return m ? [{ key: BigInt(m[1]).toString(), name: file.replace(/\.up\.[a-z]+$/, ''), path: path.join(dir, file) }] : [];
      })
      .sort((a, b) => compareKeys(a.key, b.key)),
  dbmate: (dir) =>
    filesIn(dir)
      .flatMap((file) => {
        const m = /^([0-9]+)_?.*\.sql$/.exec(file);
        return m ? [{ key: m[1], name: file.replace(/\.sql$/, ''), path: path.join(dir, file) }] : [];
      }),
};

/** Where each tool keeps its files unless told otherwise, relative to the project directory. */
const CONVENTIONAL: Partial<Record<ToolId, string[]>> = {
  prisma: ['prisma/migrations'],
  flyway: ['sql', 'db/migration', 'src/main/resources/db/migration', 'migrations'],
  supabase: ['supabase/migrations'],
  'golang-migrate': ['migrations', 'db/migrations'],
  dbmate: ['db/migrations', 'migrations'],
  alembic: ['alembic/versions', 'migrations/versions'],
};

/** alembic.ini's script_location (`%(here)s` is the ini's directory), + /versions. */
function alembicIniVersions(projectDir: string): string | undefined {
  const ini = path.join(projectDir, 'alembic.ini');
  if (!fs.existsSync(ini)) return undefined;
  const location = /^\s*script_location\s*=\s*(.+?)\s*$/m.exec(fs.readFileSync(ini, 'utf8'))?.[1];
  if (!location || location.includes(':')) return undefined; // package resources (pkg:dir) are not files here
  return path.resolve(projectDir, location.replace(/%\(here\)s/g, projectDir), 'versions');
}

function djangoApps(projectDir: string, depth = 4): ToolMigrationFile[] {
  const found: ToolMigrationFile[] = [];
  const walk = (dir: string, level: number) => {
    for (const name of dirsIn(dir)) {
      if (SKIP_DIRS.has(name) || name.startsWith('.')) continue;
      const child = path.join(dir, name);
      if (name === 'migrations' && fs.existsSync(path.join(child, '__init__.py'))) {
        const app = path.basename(dir);
        // Django loads every module of the package except those starting with _ or ~.
        for (const file of filesIn(child).filter((f) => f.endsWith('.py') && !/^[_~]/.test(f))) {
          const migration = file.replace(/\.py$/, '');
          found.push({ key: `${app}.${migration}`, name: `${app}.${migration}`, path: path.join(child, file) });
        }
      } else if (level < depth) {
        walk(child, level + 1);
      }
    }
  };
  walk(projectDir, 1);
  return found;
}

function alembicSet(dir: string): ToolFileSet | undefined {
  const script = readAlembicVersions(dir);
  if (script.revisions.length === 0) return undefined;
  const files = script.revisions.map((r) => ({ key: r.id, name: r.message ? `${r.id} (${r.message})` : r.id, path: r.file }));
  return { tool: 'alembic', dir, files, alembic: script };
}

function setIn(tool: ToolId, dir: string): ToolFileSet | undefined {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  if (tool === 'alembic') return alembicSet(dir);
  // <version>_<name>.up.sql pairs are golang-migrate's (or cutover's), not one-file-per-migration tools'.
  if ((tool === 'supabase' || tool === 'dbmate') && filesIn(dir).some((f) => /\.(up|down)\.sql$/.test(f))) return undefined;
  const files = LISTERS[tool]?.(dir) ?? [];
  return files.length > 0 ? { tool, dir, files } : undefined;
}

/**
 * The tool's migration files: in migrations-dir when it holds them, else where the tool keeps them
 * by default under the project directory; undefined when none are found (pending is then unknown).
 */
export function findToolFiles(tool: ToolId, roots: FileRoots): ToolFileSet | undefined {
  if (tool === 'cutover') return undefined;
  if (tool === 'django') {
    const files = djangoApps(roots.projectDir);
    return files.length > 0 ? { tool, dir: roots.projectDir, files } : undefined;
  }
  const candidates = [roots.migrationsDir];
  if (tool === 'alembic') {
    const fromIni = alembicIniVersions(roots.projectDir);
    if (fromIni) candidates.push(fromIni);
  }
  candidates.push(...(CONVENTIONAL[tool] ?? []).map((dir) => path.resolve(roots.projectDir, dir)));
  for (const dir of candidates) {
    const set = setIn(tool, dir);
    if (set) return set;
  }
  return undefined;
}

/**
 * Which other tool's files a directory holds, if any: what the report names when a migrations-dir
 * is not cutover's (files cutover would not list at all, such as Alembic's .py revisions).
 */
export function foreignToolOfDir(dir: string): ToolId | undefined {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  if (alembicSet(dir)) return 'alembic';
  if (fs.existsSync(path.join(dir, '__init__.py')) && filesIn(dir).some((f) => /^\d{4}_\w+\.py$/.test(f))) return 'django';
  if ((LISTERS.prisma!(dir)).length > 0) return 'prisma';
  if (filesIn(dir).some((f) => /^V[0-9][0-9._]*__.+\.sql$/.test(f))) return 'flyway';
  const sql = filesIn(dir).filter((f) => f.endsWith('.sql'));
  // Without .up/.down: a Supabase CLI directory, or dbmate's files with their -- migrate:up marker.
  if (sql.length > 0 && sql.every((f) => !/\.(up|down)\.sql$/.test(f))) {
    if (sql.some((f) => /^\s*--\s*migrate:up/m.test(fs.readFileSync(path.join(dir, f), 'utf8')))) return 'dbmate';
    if (/(^|[/\\])supabase[/\\]migrations[/\\]?$/.test(dir) || sql.every((f) => /^\d{14}_.+\.sql$/.test(f))) return 'supabase';
  }
  return undefined;
}
