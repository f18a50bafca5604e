// The real migration tools the tests drive: Debian's `alembic` command and a Python that imports
// Django and psycopg2 (installed by .ci/run). Fixture projects are copied to a temp directory first,
// so that tests can add revisions and Python's caches never land in the repository.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from './temp-dir.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** A copy of test/fixtures/<name> in a new temp directory. */
export function copyFixtureProject(name: string): string {
  const dir = path.join(makeTempDir(`${name}-`), name);
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** Runs `alembic <args>` in `cwd` against `databaseUrl`; throws with its output when it fails. */
export function alembic(args: string[], cwd: string, databaseUrl: string): string {
  return execFileSync('alembic', args, { cwd, env: { ...process.env, DATABASE_URL: databaseUrl, PYTHONDONTWRITEBYTECODE: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
}

/** A python3 that can import django and psycopg2 (the system one when another python3 is first on PATH). */
export function djangoPython(): string {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(candidate, ['-c', 'import django, psycopg2'], { stdio: 'ignore', timeout: 30_000 });
    if (probe.status === 0) return candidate;
  }
  throw new Error('no python3 with django and psycopg2: run `apt-get install -y python3-django python3-psycopg2` (.ci/run does)');
}
