// Which migrations a pull request adds: those whose files are not on the PR's base commit. These
// are the ones that will run on deploy, so the report marks them. Uses git: the base commit must be
// in the checkout; actions/checkout fetches a single commit by default, so we try one shallow fetch
// of it and otherwise say how to fix the checkout.
import fs from 'node:fs';
import path from 'node:path';
import { runCommand } from '../db/throwaway/run-command.js';
import type { Runtime } from '../runtime.js';

type Log = Pick<Runtime, 'warning' | 'info' | 'debug'>;

const FETCH_FIX = 'use actions/checkout with `fetch-depth: 0` (or fetch the base branch) so the base commit is available.';

/** The migration name of a file in the migrations directory: `<id>_<name>` (see migrate/migration-files.ts). */
export function migrationNameOf(file: string): string | undefined {
  const match = /^(\d+_[A-Za-z0-9][A-Za-z0-9_-]*)\.(?:up\.sql|down\.sql|js|mjs)$/.exec(file);
  return match?.[1];
}

async function git(args: string[], cwd: string, timeoutMs = 60_000): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const result = await runCommand(['git', ...args], { cwd, timeoutMs, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  return { ok: result.code === 0, stdout: result.stdout, stderr: result.error ?? result.stderr };
}

async function resolveCommit(ref: string, root: string): Promise<string | undefined> {
  const result = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
  return result.ok ? result.stdout.trim() : undefined;
}

/** The base commit, fetched once (shallow) from origin when the checkout does not have it. */
async function ensureCommit(ref: string, root: string, log?: Log): Promise<string | undefined> {
  const local = await resolveCommit(ref, root);
  if (local) return local;
  log?.debug(`Base commit ${ref} is not in the checkout; fetching it from origin.`);
  const fetched = await git(['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', 'origin', ref], root, 120_000);
  if (!fetched.ok) {
    log?.debug(`git fetch origin ${ref} failed: ${fetched.stderr.trim().split('\n').pop() ?? ''}`);
    return undefined;
  }
  return (await resolveCommit(ref, root)) ?? (await resolveCommit('FETCH_HEAD', root));
}

function namesIn(files: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files) {
    const name = migrationNameOf(file);
    if (name) names.add(name);
  }
  return names;
}

/** What the base commit holds, or why that cannot be known (a sentence, and the fix). */
export type BaseMigrations =
  /** `edited`: migrations of the base commit whose up file the working tree changes. */
  | { ok: true; commit: string; atBase: Set<string>; fresh: Set<string>; edited: string[] }
  | { ok: false; problem: string; fix: string };

/**
 * The migrations at `baseRef` and those in `migrationsDir` (working tree) that have no file there.
 * Paths are given to and printed by git relative to the repository root because git runs there.
 */
export async function migrationsAtBase(baseRef: string, migrationsDir: string, cwd: string, log?: Log): Promise<BaseMigrations> {
  const top = await git(['rev-parse', '--show-toplevel'], cwd);
  if (!top.ok) {
    const why = top.stderr.trim().split('\n').pop() ?? '';
    return { ok: false, problem: `${cwd} is not a git checkout (${why || 'git rev-parse failed'}), so cutover cannot tell which migrations are new in this pull request`, fix: FETCH_FIX };
  }
  const root = fs.realpathSync(top.stdout.trim());
  if (!fs.existsSync(migrationsDir)) return { ok: true, commit: '', atBase: new Set(), fresh: new Set(), edited: [] };
  const relative = path.relative(root, fs.realpathSync(migrationsDir)).split(path.sep).join('/');
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    return { ok: false, problem: `The migrations directory ${migrationsDir} is outside the git checkout ${root}, so cutover cannot tell which migrations are new in this pull request`, fix: 'keep the migrations directory inside the repository that is checked out.' };
  }

  const commit = await ensureCommit(baseRef, root, log);
  if (!commit) {
    return { ok: false, problem: `The pull request's base commit ${baseRef} is not in this checkout (a shallow clone?) and could not be fetched, so cutover cannot tell which migrations are new in this pull request`, fix: FETCH_FIX };
  }

  const listed = await git(['ls-tree', '-r', '-z', '--name-only', commit, '--', relative ? `${relative}/` : '.'], root);
  if (!listed.ok) return { ok: false, problem: `git ls-tree ${commit} failed (${listed.stderr.trim()}), so cutover cannot tell which migrations are new in this pull request`, fix: FETCH_FIX };
  const atBase = listed.stdout
    .split('\0')
    .filter(Boolean)
    .filter((file) => path.posix.dirname(file) === (relative || '.'))
    .map((file) => path.posix.basename(file));
  const now = fs.readdirSync(migrationsDir, { withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => entry.name);

  const baseNames = namesIn(atBase);
  const fresh = new Set([...namesIn(now)].filter((name) => !baseNames.has(name)));
  // Up files (not downs: they are not checksummed) that differ between the base commit and the working tree.
  const diff = await git(['diff', '--name-only', '-z', commit, '--', relative ? `${relative}/` : '.'], root);
  const edited = diff.ok
    ? [...new Set(diff.stdout.split('\0').filter((file) => file && !file.endsWith('.down.sql')).map((file) => migrationNameOf(path.posix.basename(file))).filter((name): name is string => name !== undefined && baseNames.has(name)))].sort()
    : [];
  return { ok: true, commit, atBase: baseNames, fresh, edited };
}

/**
 * Names of the migrations in `migrationsDir` (working tree) that have no file at `baseRef`;
 * undefined (with a warning) when that cannot be determined.
 */
export async function migrationsNewSince(baseRef: string, migrationsDir: string, cwd: string, log?: Log): Promise<Set<string> | undefined> {
  const base = await migrationsAtBase(baseRef, migrationsDir, cwd, log);
  if (!base.ok) {
    log?.warning(`${base.problem}. Fix: ${base.fix}`);
    return undefined;
  }
  if (base.commit) log?.info(describeFresh(base.fresh, base.commit));
  return base.fresh;
}

export function describeFresh(fresh: Set<string>, commit: string): string {
  return `${fresh.size} migration${fresh.size === 1 ? ' is' : 's are'} new since ${commit.slice(0, 7)}${fresh.size ? `: ${[...fresh].join(', ')}` : ''}.`;
}
