// Runs the external programs the throwaway providers need (initdb, pg_ctl, docker) and captures
// their output. Never throws for a non-zero exit: callers decide what a failure means.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { shellQuote } from '../../shell-quote.js';

export interface CommandResult {
  /** null when the program could not be started or was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when spawning failed (e.g. ENOENT: not installed) or the timeout hit. */
  error?: string;
}

export interface CommandOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  /** Written to the program's standard input (closed afterwards; otherwise stdin is /dev/null). */
  input?: string;
}

export function runCommand(argv: string[], options: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (result: CommandResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const child = spawn(argv[0], argv.slice(1), { cwd: options.cwd, env: options.env ?? process.env, stdio: [options.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    if (options.input !== undefined) {
      child.stdin!.on('error', () => undefined); // a program that exits early closes the pipe: its exit code says why
      child.stdin!.end(options.input);
    }
    const timer = options.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
          finish({ code: null, stdout, stderr, error: `${argv[0]} did not finish within ${Math.round(options.timeoutMs! / 1000)} s` });
        }, options.timeoutMs)
      : undefined;
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error: NodeJS.ErrnoException) => finish({ code: null, stdout, stderr, error: error.code === 'ENOENT' ? `${argv[0]} not found` : error.message }));
    child.on('close', (code) => finish({ code, stdout, stderr }));
  });
}

/** The last lines of a command's output, for error messages. */
export function outputTail(result: Pick<CommandResult, 'stdout' | 'stderr' | 'error'>, lines = 5): string {
  const text = [result.error, result.stderr.trim(), result.stdout.trim()].filter(Boolean).join('\n');
  return text.split('\n').filter(Boolean).slice(-lines).join(' ');
}


/** Absolute path of `name` on PATH (plus the sbin directories root usually has), if any. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * argv that runs `argv` as `user` (Postgres refuses to run as root): `runuser -u user --` where
 * util-linux has it, else `su user -s /bin/sh -c '…'`. Unchanged when `user` is undefined.
 */
export function asUser(argv: string[], user: string | undefined, runuserPath: string | null = findExecutable('runuser') ?? null): string[] {
  if (!user) return argv;
  if (runuserPath) return [runuserPath, '-u', user, '--', ...argv];
  return ['su', user, '-s', '/bin/sh', '-c', argv.map(shellQuote).join(' ')];
}
