// The two command runners behave alike: the CLI's (Node's child_process, output handed to the engine)
// and the Action's (@actions/exec, output straight to the job log). Both pass the exit code on, give
// every line to onLine, and stop the command's whole process group when aborted.
import { execFileSync } from 'node:child_process';
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
