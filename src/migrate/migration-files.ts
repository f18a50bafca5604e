// Reads a migrations directory into an ordered list and rejects, before anything runs, every layout
// that would make the order or the identity of a migration ambiguous: duplicate ids or names, ids of
// different widths whose text order differs from their numeric order, stray down files, and files
// that look like migrations but match no pattern (usually a typo such as `001_x.sql` without `.up`).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MigrationPlanError } from '../errors.js';
import { foreignToolOfDir } from '../tools/tool-migration-files.js';
import { readSupabaseMigrationFiles } from './supabase-layout.js';

export interface MigrationFile {
  /** `<id>_<name>`: the key in the history table. */
  name: string;
  /** The sortable id as written (e.g. `001`, `20240101120000`). */
  id: string;
  kind: 'sql' | 'js';
  /** Absolute path of the up file (SQL) or the module (JS). */
  upPath: string;
  /** Absolute path of the down file (SQL only; JS modules export `down`). */
  downPath?: string;
  /** sha256 hex of what is applied: the up file (or module), CRLF as LF, a leading BOM dropped. */
  checksum: string;
  /** The form earlier versions of cutover recorded (up + down), when it differs (see checksumMatches). */
  legacyChecksum?: string;
  /** A Supabase CLI migration (supabase/migrations/<version>_<name>.sql): what the CLI records for it. */
  supabase?: { version: string; name: string };
}

/** A history row applied by another tool (the Supabase CLI), which records no checksum: nothing to compare. */
export const UNRECORDED_CHECKSUM = '';

const SQL_FILE = /^(\d+)_([A-Za-z0-9][A-Za-z0-9_-]*)\.(up|down)\.sql$/;
const JS_FILE = /^(\d+)_([A-Za-z0-9][A-Za-z0-9_-]*)\.(js|mjs)$/;
/** Names that look like a migration attempt: an id prefix, or a code/SQL extension. */
const LOOKS_LIKE_MIGRATION = /^\d+[_\-.\s]|\.(sql|js|mjs|cjs|ts|mts|cts)$/i;

export const NO_TRANSACTION_MARKER = 'cutover:no-transaction';
const SQL_MARKER = /^[ \t]*--[ \t]*cutover:no-transaction[ \t]*\r?$/m;
const JS_MARKER = /^[ \t]*(?:\/\/|--)[ \t]*cutover:no-transaction\b/m;

/** True when the file opts out of the per-migration transaction with the marker comment. */
export function hasNoTransactionMarker(text: string, kind: MigrationFile['kind'] = 'sql'): boolean {
  return (kind === 'sql' ? SQL_MARKER : JS_MARKER).test(text.replace(/^\uFEFF/, ''));
}

const normalise = (text: string) => text.replace(/\r\n/g, '\n');

/**
 * The checksum recorded for a migration: what is applied, i.e. the up file only, so that adding,
 * editing or removing its down file is not drift. Line endings are normalised (a Windows checkout
 * with core.autocrlf is not an edit) and a leading UTF-8 byte-order mark is dropped (an editor adding
 * or removing one is not an edit either; the BOM is not run).
 */
export function migrationChecksum(upText: string): string {
  return crypto.createHash('sha256').update(normalise(upText).replace(/^\uFEFF/, '')).digest('hex');
}

/** What earlier versions recorded: sha256 of the up text then the down text, CRLF as LF, a BOM kept. */
export function legacyMigrationChecksum(upText: string, downText?: string): string {
  const hash = crypto.createHash('sha256');
  hash.update(normalise(upText));
  if (downText !== undefined) hash.update(normalise(downText));
  return hash.digest('hex');
}

/**
 * Whether a history row's checksum matches the file. Rows written by earlier versions hold the
 * legacy form (up + down); both forms are accepted so that an upgrade does not make every applied
 * migration look edited. The first migrate/rollback/baseline run then records the current form for
 * such rows (run-migrations.ts), after which the down file no longer counts. A down file edited or
 * removed before that run cannot be told from an edit of the migration: it shows as drift.
 */
export function checksumMatches(file: MigrationFile, recorded: string): boolean {
  if (recorded === UNRECORDED_CHECKSUM) return true;
  return recorded === file.checksum || (file.legacyChecksum !== undefined && recorded === file.legacyChecksum);
}

export function withChecksums(file: Omit<MigrationFile, 'checksum'>, up: string, down?: string): MigrationFile {
  const checksum = migrationChecksum(up);
  const legacy = legacyMigrationChecksum(up, down);
  return { ...file, checksum, ...(legacy !== checksum ? { legacyChecksum: legacy } : {}) };
}

/** Where the file is, for messages and annotations: relative to the workspace when inside it. */
export function displayPath(file: string): string {
  const base = process.env.GITHUB_WORKSPACE || process.cwd();
  const relative = path.relative(base, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
}

function typoAdvice(file: string): string {
  if (/^\d+_[^.]+\.sql$/i.test(file)) return `rename it to ${file.replace(/\.sql$/i, '.up.sql')} (and its undo to ${file.replace(/\.sql$/i, '.down.sql')})`;
  if (/\.(ts|mts|cts)$/i.test(file)) return 'TypeScript migrations are not loaded: compile it to .js or .mjs (or write it in SQL)';
  if (/\.cjs$/i.test(file)) return 'rename it to .js or .mjs and export async functions up and down';
  if (/^\d+[-.\s]/.test(file)) return `separate the id from the name with an underscore, e.g. ${file.replace(/^(\d+)[-.\s]+/, '$1_')}`;
  if (/\.sql$/i.test(file) && !/^\d/.test(file)) return 'start the name with a sortable id, e.g. 001_create_users.up.sql';
  return 'rename it to <id>_<name>.up.sql / .down.sql or <id>_<name>.js, or move it out of the migrations directory';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface ReadMigrationsOptions {
  /** Throw when the directory holds no migration (migrate, baseline, rollback). */
  requireMigrations: boolean;
}

/** Lists, validates and orders the migrations in `dir` (absolute). Reads every file to checksum it. */
export function readMigrationFiles(dir: string, options: ReadMigrationsOptions): MigrationFile[] {
  if (foreignToolOfDir(dir) === 'supabase') return readSupabaseMigrationFiles(dir, options);
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat) {
    throw new MigrationPlanError(`The migrations directory ${dir} does not exist.`, {
      fix: `check migrations-dir (relative paths are resolved from the working directory ${process.cwd()}), or create it with \`cutover new <name>\`.`,
    });
  }
  if (!stat.isDirectory()) {
    throw new MigrationPlanError(`The migrations directory ${dir} is a file, not a directory.`, { fix: 'point migrations-dir at the directory that holds the migration files.' });
  }

  const problems: string[] = [];
  const sql = new Map<string, { id: string; up?: string; down?: string }>();
  const js = new Map<string, { id: string; file: string }>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const file = entry.name;
    const sqlMatch = SQL_FILE.exec(file);
    const jsMatch = JS_FILE.exec(file);
    if (sqlMatch) {
      const name = `${sqlMatch[1]}_${sqlMatch[2]}`;
      const slot = sql.get(name) ?? { id: sqlMatch[1] };
      slot[sqlMatch[3] as 'up' | 'down'] = path.join(dir, file);
      sql.set(name, slot);
    } else if (jsMatch) {
      const name = `${jsMatch[1]}_${jsMatch[2]}`;
      const other = js.get(name);
      if (other) problems.push(`${path.basename(other.file)} and ${file} are both migration ${name}`);
      else js.set(name, { id: jsMatch[1], file: path.join(dir, file) });
    } else if (LOOKS_LIKE_MIGRATION.test(file)) {
      problems.push(`${file} matches no migration pattern: ${typoAdvice(file)}`);
    }
  }

  const migrations: MigrationFile[] = [];
  for (const [name, slot] of sql) {
    if (!slot.up) {
      problems.push(`${name}.down.sql has no ${name}.up.sql: add the up file or delete the down file`);
      continue;
    }
    if (js.has(name)) {
      problems.push(`${name} exists both as SQL (${name}.up.sql) and as a module (${path.basename(js.get(name)!.file)})`);
      continue;
    }
    const up = fs.readFileSync(slot.up, 'utf8');
    const down = slot.down ? fs.readFileSync(slot.down, 'utf8') : undefined;
    migrations.push(withChecksums({ name, id: slot.id, kind: 'sql', upPath: slot.up, ...(slot.down ? { downPath: slot.down } : {}) }, up, down));
  }
  for (const [name, module] of js) {
    if (sql.has(name)) continue; // reported above
    migrations.push(withChecksums({ name, id: module.id, kind: 'js', upPath: module.file }, fs.readFileSync(module.file, 'utf8')));
  }

  problems.push(...orderingProblems(migrations));
  if (problems.length > 0) {
    throw new MigrationPlanError(`The migrations directory ${dir} has ${plural(problems.length, 'problem')}, so nothing was run: ${problems.join('; ')}.`, {
      fix: 'rename or remove the files listed so that every migration is <id>_<name>.up.sql (+ optional .down.sql) or <id>_<name>.js|.mjs, with one id per migration and ids of the same width (e.g. 001, 002, … 010).',
    });
  }
  if (migrations.length === 0 && options.requireMigrations) {
    throw new MigrationPlanError(`The migrations directory ${dir} contains no migrations.`, {
      fix: 'add files named <id>_<name>.up.sql (e.g. 001_create_users.up.sql, created with `cutover new create_users`), or point migrations-dir at the right directory.',
    });
  }
  return migrations.sort(compareMigrationIds);
}

export function compareMigrationIds(a: { id: string; name: string }, b: { id: string; name: string }): number {
  const diff = BigInt(a.id) - BigInt(b.id);
  if (diff !== 0n) return diff < 0n ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Order of two history/file names by their id (names without an id sort last, by text). */
export function compareMigrationNames(a: string, b: string): number {
  const ia = /^(\d+)_/.exec(a)?.[1];
  const ib = /^(\d+)_/.exec(b)?.[1];
  if (ia && ib) return compareMigrationIds({ id: ia, name: a }, { id: ib, name: b });
  if (ia || ib) return ia ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Duplicate ids (also `1_a` next to `01_b`), and ids whose text order differs from their numeric
 * order (`1_a`, `10_b`, `2_c`): tools, editors and `ls` disagree on what runs first.
 */
export function orderingProblems(migrations: MigrationFile[]): string[] {
  const problems: string[] = [];
  const byValue = new Map<bigint, MigrationFile[]>();
  for (const migration of migrations) {
    const value = BigInt(migration.id);
    byValue.set(value, [...(byValue.get(value) ?? []), migration]);
  }
  for (const group of byValue.values()) {
    if (group.length > 1) problems.push(`id ${group[0].id} is used by more than one migration (${group.map((m) => m.name).join(', ')}): give each migration its own id`);
  }
  if (byValue.size !== migrations.length) return problems;
  // Any pair whose numeric and text order disagree makes the whole order ambiguous.
  const numeric = [...migrations].sort(compareMigrationIds);
  for (let i = 0; i < numeric.length; i++) {
    const later = numeric.slice(i + 1).find((m) => m.id < numeric[i].id);
    if (!later) continue;
    const width = Math.max(...migrations.map((m) => m.id.length));
    problems.push(
      `the ids have different widths and sort ambiguously: ${numeric[i].name} comes before ${later.name} by number but after it as text; ` +
        `zero-pad every id to the same width (e.g. ${numeric[i].id.padStart(width, '0')}_…, ${later.id.padStart(width, '0')}_…)`,
    );
    break;
  }
  return problems;
}
