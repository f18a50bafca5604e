// Finds PostgreSQL server binaries (initdb, pg_ctl, postgres) on this machine: the directory
// `pg_config --bindir` names, Debian/Ubuntu's /usr/lib/postgresql/<major>/bin (GitHub's Ubuntu
// runners ship one), and wherever initdb is on PATH. Only directories that hold all three count.
import fs from 'node:fs';
import path from 'node:path';
import { runCommand } from './run-command.js';

export interface PostgresBinaries {
  bindir: string;
  /** Major version, e.g. 15. */
  major: number;
  /** Full version, e.g. "15.14". */
  version: string;
}

const REQUIRED = ['initdb', 'pg_ctl', 'postgres'];

function hasServerBinaries(dir: string): boolean {
  return REQUIRED.every((name) => fs.existsSync(path.join(dir, name)));
}

/** "postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)" → { major: 15, version: '15.14' } */
export function parsePostgresVersion(output: string): { major: number; version: string } | undefined {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(output);
  if (!match) return undefined;
  return { major: Number(match[1]), version: match[2] !== undefined ? `${match[1]}.${match[2]}` : match[1] };
}

async function candidateDirs(env: NodeJS.ProcessEnv, debianRoot: string): Promise<string[]> {
  const dirs: string[] = [];
  const pgConfig = await runCommand(['pg_config', '--bindir'], { timeoutMs: 10_000 });
  if (pgConfig.code === 0 && pgConfig.stdout.trim()) dirs.push(pgConfig.stdout.trim());
  try {
    const majors = fs
      .readdirSync(debianRoot)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const major of majors) dirs.push(path.join(debianRoot, major, 'bin'));
  } catch {
    // not Debian/Ubuntu
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) if (dir && fs.existsSync(path.join(dir, 'initdb'))) dirs.push(dir);
  return [...new Set(dirs.map((dir) => path.resolve(dir)))];
}

/**
 * All usable server installations, highest major first; with `preferredMajor`, an installation of
 * that major comes first.
 */
export async function findPostgresBinaries(
  options: { preferredMajor?: number; env?: NodeJS.ProcessEnv; debianRoot?: string } = {},
): Promise<PostgresBinaries[]> {
  const found: PostgresBinaries[] = [];
  for (const bindir of await candidateDirs(options.env ?? process.env, options.debianRoot ?? '/usr/lib/postgresql')) {
    if (!hasServerBinaries(bindir)) continue;
    const result = await runCommand([path.join(bindir, 'postgres'), '--version'], { timeoutMs: 10_000 });
    const parsed = result.code === 0 ? parsePostgresVersion(result.stdout) : undefined;
    if (parsed) found.push({ bindir, ...parsed });
  }
  return found.sort((a, b) => {
    if (options.preferredMajor !== undefined && (a.major === options.preferredMajor) !== (b.major === options.preferredMajor)) {
      return a.major === options.preferredMajor ? -1 : 1;
    }
    return b.major - a.major;
  });
}
