// A git checkout shaped like a pull request: the example app's migrations committed on the base
// commit, the PR's new migration files added on top (uncommitted, as in a CI checkout of the merge
// they are files in the working tree). Dry runs compare the two through `base-ref`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSettings, type RawInputs, type Settings } from '../../src/settings.js';
import { makeTempDir, writeFiles } from './temp-dir.js';

// Fixed names and dates: the same files give the same base commit SHA on every run (golden files).
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_AUTHOR_DATE: '2025-01-02T03:04:05Z',
  GIT_COMMITTER_DATE: '2025-01-02T03:04:05Z',
};
export const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

export interface PrCheckout {
  root: string;
  baseSha: string;
  migrationsDir: string;
  /** Settings for a run in this checkout (origin cli, RUNNER_TEMP inside it). */
  settings(raw: RawInputs): Settings;
}

/** `files` are the PR's new migration files (name → SQL), written into migrations/ after the base commit. */
export function prCheckout(files: Record<string, string>, options: { base?: string } = {}): PrCheckout {
  const root = makeTempDir('cutover-pr-');
  const migrationsDir = path.join(root, 'migrations');
  fs.mkdirSync(migrationsDir);
  const base = options.base ?? path.resolve('migrations');
  for (const file of fs.readdirSync(base)) fs.copyFileSync(path.join(base, file), path.join(migrationsDir, file));
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'base');
  const baseSha = git(root, 'rev-parse', 'HEAD');
  writeFiles(migrationsDir, files);
  const temp = path.join(root, '.tmp');
  fs.mkdirSync(temp);
  return {
    root,
    baseSha,
    migrationsDir,
    settings: (raw) => buildSettings({ 'migrations-dir': 'migrations', ...raw }, { origin: 'cli', env: { RUNNER_TEMP: temp }, cwd: root }),
  };
}
