// A temporary checkout of the pull request's base commit (`git worktree add --detach`), so that a dry
// run can run another tool's migrate-command as the base branch has it before running the PR's: what
// the second run applies is then what the PR adds. The worktree shares the repository's objects (no
// clone), and is removed (and pruned) afterwards whatever happens.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Runtime } from '../../runtime.js';

function git(args: string[], cwd: string, timeoutMs = 120_000): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (error, stdout, stderr) => {
      resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const lastLine = (text: string) => text.trim().split('\n').pop() ?? '';

export interface BaseCheckout {
  /** The worktree's root. */
  root: string;
  /** The repository's root (the worktree mirrors it). */
  repositoryRoot: string;
  commit: string;
}

/** The base commit, fetched once (shallow) from origin when the checkout does not have it. */
async function resolveCommit(ref: string, root: string): Promise<string | undefined> {
  const local = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
  if (local.ok) return local.stdout.trim();
  const fetched = await git(['fetch', '--no-tags', '--no-recurse-submodules', '--depth=1', 'origin', ref], root);
  if (!fetched.ok) return undefined;
  const again = await git(['rev-parse', '--verify', '--quiet', 'FETCH_HEAD^{commit}'], root);
  return again.ok ? again.stdout.trim() : undefined;
}

/**
 * Runs `fn` in a worktree of `baseRef`; resolves undefined, with a warning saying why, when the
 * worktree cannot be made (not a git checkout, a base commit that cannot be fetched).
 */
export async function withBaseWorktree<T>(baseRef: string, cwd: string, runtime: Pick<Runtime, 'warning' | 'info'>, fn: (checkout: BaseCheckout) => Promise<T>): Promise<T | undefined> {
  const top = await git(['rev-parse', '--show-toplevel'], cwd);
  if (!top.ok) {
    runtime.warning(`${cwd} is not a git checkout (${lastLine(top.stderr) || 'git rev-parse failed'}), so the base commit's migrations cannot be applied first: migrate-command ran once, and no migration is marked new.`);
    return undefined;
  }
  const repositoryRoot = fs.realpathSync(top.stdout.trim());
  const commit = await resolveCommit(baseRef, repositoryRoot);
  if (!commit) {
    runtime.warning(`The base commit ${baseRef} is not in this checkout and could not be fetched, so the base commit's migrations cannot be applied first: migrate-command ran once, and no migration is marked new. Fix: use actions/checkout with \`fetch-depth: 0\`.`);
    return undefined;
  }
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-base-'));
  const root = path.join(parent, 'base');
  const added = await git(['worktree', 'add', '--detach', root, commit], repositoryRoot);
  if (!added.ok) {
    fs.rmSync(parent, { recursive: true, force: true });
    runtime.warning(`git worktree add of the base commit ${commit.slice(0, 7)} failed (${lastLine(added.stderr)}): migrate-command ran once, and no migration is marked new.`);
    return undefined;
  }
  runtime.info(`Checked out the base commit ${commit.slice(0, 7)} in a temporary worktree (${root}).`);
  try {
    return await fn({ root, repositoryRoot, commit });
  } finally {
    await git(['worktree', 'remove', '--force', root], repositoryRoot);
    fs.rmSync(parent, { recursive: true, force: true });
    await git(['worktree', 'prune'], repositoryRoot);
  }
}

/** The same path inside the base worktree. */
export function inBase(checkout: BaseCheckout, dir: string): string {
  return path.join(checkout.root, path.relative(checkout.repositoryRoot, fs.realpathSync(dir)));
}
