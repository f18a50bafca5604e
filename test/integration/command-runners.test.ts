// The two command runners behave alike: the CLI's (Node's child_process, output handed to the engine)
// and the Action's (@actions/exec, output straight to the job log). Both pass the exit code on, give
// every line to onLine, and stop the command's whole process group when aborted.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { actionsCommandRunner } from '../../src/tools/command/actions-command-runner.js';
import { nodeCommandRunner, type CommandRunner } from '../../src/tools/command/command-runner.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const RUNNERS: Array<[string, CommandRunner]> = [
  ['node', nodeCommandRunner],
  ['@actions/exec', actionsCommandRunner()],
];

async function run(runner: CommandRunner, command: string, abortAfterMs?: number) {
  const lines: string[] = [];
  const controller = new AbortController();
  const timer = abortAfterMs === undefined ? undefined : setTimeout(() => controller.abort(), abortAfterMs);
  try {
    const exit = await runner.run({ command, cwd: makeTempDir('runner-'), env: { ...process.env, GREETING: 'hello' }, signal: controller.signal, onLine: (line) => lines.push(line) });
    return { exit, lines };
  } finally {
    clearTimeout(timer);
  }
}

describe.each(RUNNERS)('%s runner', (name, runner) => {
  test('exit code, stdout and stderr lines, environment and working directory', async () => {
    const { exit, lines } = await run(runner, 'echo "$GREETING from $(basename "$PWD" | cut -c1-7)"; echo oops >&2; exit 3');
    expect(exit.exitCode).toBe(3);
    expect(lines).toEqual(expect.arrayContaining(['hello from runner-', 'oops']));
  });

  test('a command that does not exist exits 127', async () => {
    const { exit, lines } = await run(runner, 'no-such-tool-xyz upgrade head');
    expect(exit.exitCode).toBe(127);
    expect(lines.join('\n')).toMatch(/no-such-tool-xyz: command not found/);
  });

  test('aborting stops the command and what it started', async () => {
    const marker = name === 'node' ? '41.25' : '41.75';
    const { exit } = await run(runner, `sleep ${marker} & sleep ${marker}1; wait`, 300);
    expect(exit.exitCode).toBe(143);
    const left = execFileSync('bash', ['-c', `pgrep -f "sleep ${marker.replace('.', '\\.')}" || true`], { encoding: 'utf8' }).trim();
    expect(left).toBe('');
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, probe: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test.each(['node', 'actions'])('%s runner: when the process running it is killed (SIGKILL), the command and what it started stop too', async (kind) => {
  const dir = makeTempDir('runner-orphan-');
  const pidFile = path.join(dir, 'pids');
  // The command's own shell and a grandchild it started: both in the command's process group.
  const command = `sleep 60 & echo "$$ $!" > "${pidFile}"; wait`;
  const child = spawn(path.resolve('node_modules/.bin/node'), ['--import', './scripts/register-ts.mjs', 'test/fixtures/command-runner-child.ts'], {
    env: { ...process.env, RUNNER: kind, COMMAND: command },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let pids: number[] = [];
  try {
    pids = await until('the command to start', () => (fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim().split(' ').length === 2 ? fs.readFileSync(pidFile, 'utf8').trim().split(' ').map(Number) : undefined), 20_000);
    expect(pids.every(alive)).toBe(true);
    child.kill('SIGKILL');
    const started = Date.now();
    await until('the command group to stop', () => (pids.some(alive) ? undefined : true), 15_000);
    expect(Date.now() - started).toBeLessThan(15_000);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
  }
}, 40_000);
