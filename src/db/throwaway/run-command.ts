// The one way cutover runs external programs (git, pg_dump, psql, initdb, pg_ctl, docker …):
// @actions/exec (PATH and PATHEXT lookup, Windows argument quoting, output captured, nothing echoed
// to the log), with a deadline. Never throws for a non-zero exit: callers decide what a failure
// means. stdout is the program's data, kept as it is (a pg_dump schema must not be altered);
// everything meant for a message goes through outputTail, which redacts passwords and URLs.
//
// @actions/exec cannot stop the program it started (actions/toolkit#1656), so the program runs
// under a small supervisor: this same Node (`node -e`), which starts it with the same stdio, kills
// it at the deadline, passes signals on, and reports a timeout or a missing program on a marker
// line that is removed from the output again.
import { getExecOutput } from '@actions/exec';
import fs from 'node:fs';
import path from 'node:path';
import { redact } from '../../redact.js';
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
  /** Written to the program's standard input (closed afterwards; otherwise stdin is closed at once). */
  input?: string;
}

const MARKER = '::cutover-run-command::';

/** Runs in `node -e`: argv = deadline (ms, 0 = none), program, its arguments. CommonJS, no dependencies. */
const SUPERVISOR = `
const { spawn } = require('node:child_process');
const os = require('node:os');
const [ms, file, ...args] = process.argv.slice(1);
const report = (what, code) => { process.stderr.write('\\n${MARKER}' + what + '\\n', () => process.exit(code)); };
let timedOut = false;
const child = spawn(file, args, { stdio: 'inherit' });
const timer = Number(ms) > 0 ? setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, Number(ms)) : undefined;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => { clearTimeout(timer); report(error.code === 'ENOENT' ? 'not-found' : 'error ' + error.message, 127); });
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  if (timedOut) return report('timeout', 124);
  process.exit(code ?? 128 + (os.constants.signals[signal] || 0));
});
`;

/** The environment as @actions/exec takes it: strings only. */
function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Splits the supervisor's marker line off stderr. */
function splitMarker(stderr: string): { stderr: string; marker?: string } {
  const at = stderr.lastIndexOf(`\n${MARKER}`);
  if (at < 0) return { stderr };
  return { stderr: stderr.slice(0, at), marker: stderr.slice(at + 1 + MARKER.length).trim() };
}

export async function runCommand(argv: string[], options: CommandOptions = {}): Promise<CommandResult> {
  const [program, ...args] = argv;
  let output;
  try {
    output = await getExecOutput(process.execPath, ['-e', SUPERVISOR, String(options.timeoutMs ?? 0), program, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: stringEnv({ ...(options.env ?? process.env), NODE_OPTIONS: '' }),
      silent: true,
      ignoreReturnCode: true,
      // An empty input still closes stdin, so a program that reads it does not wait forever.
      input: Buffer.from(options.input ?? ''),
    });
  } catch (error) {
    return { code: null, stdout: '', stderr: '', error: `${program} could not be started: ${(error as Error).message}` };
  }
  const { stderr, marker } = splitMarker(output.stderr);
  if (marker === 'timeout') return { code: null, stdout: output.stdout, stderr, error: `${program} did not finish within ${Math.round((options.timeoutMs ?? 0) / 1000)} s` };
  if (marker === 'not-found') return { code: null, stdout: output.stdout, stderr, error: `${program} not found` };
  if (marker?.startsWith('error ')) return { code: null, stdout: output.stdout, stderr, error: marker.slice('error '.length) };
  return { code: output.exitCode, stdout: output.stdout, stderr };
}

/** The last lines of a command's output, redacted, for error messages. */
export function outputTail(result: Pick<CommandResult, 'stdout' | 'stderr' | 'error'>, lines = 5): string {
  const text = [result.error, result.stderr.trim(), result.stdout.trim()].filter(Boolean).join('\n');
  return redact(text.split('\n').filter(Boolean).slice(-lines).join(' '));
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
