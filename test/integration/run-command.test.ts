// The one wrapper for external programs (@actions/exec under a deadline supervisor), with real
// processes: exit codes, captured output, stdin, environment, working directory, a missing
// program, a deadline that kills, and redaction of what goes into messages.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { registerSecret } from '../../src/redact.js';
import { outputTail, runCommand } from '../../src/db/throwaway/run-command.js';
import { makeTempDir } from '../helpers/temp-dir.js';

test('exit code, stdout and stderr are captured, nothing is thrown for a failure', async () => {
  const result = await runCommand(['sh', '-c', 'echo out; echo err >&2; exit 3']);
  expect(result).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
});

test('input goes to standard input; without input, standard input is closed (a reader does not wait)', async () => {
  expect(await runCommand(['cat'], { input: 'line one\nline two\n' })).toEqual({ code: 0, stdout: 'line one\nline two\n', stderr: '' });
  expect(await runCommand(['cat'], { timeoutMs: 20_000 })).toEqual({ code: 0, stdout: '', stderr: '' });
});

test('environment and working directory are the given ones', async () => {
  const dir = fs.realpathSync(makeTempDir('cutover-run-command-'));
  const result = await runCommand(['sh', '-c', 'echo "$CUTOVER_TEST_VALUE"; pwd'], { cwd: dir, env: { PATH: process.env.PATH, CUTOVER_TEST_VALUE: 'a b' } });
  expect(result.stdout).toBe(`a b\n${dir}\n`);
});

test('a missing program is an error, not an exception', async () => {
  const result = await runCommand(['cutover-no-such-program', '--version']);
  expect(result).toEqual({ code: null, stdout: '', stderr: '', error: 'cutover-no-such-program not found' });
});

test('the deadline kills the program and says so', async () => {
  const duration = `${37 + Math.random()}`.slice(0, 8);
  const result = await runCommand(['sleep', duration], { timeoutMs: 500 });
  expect(result).toEqual({ code: null, stdout: '', stderr: '', error: 'sleep did not finish within 1 s' });
  let left = '';
  try {
    left = execFileSync('pgrep', ['-af', `sleep ${duration}`], { encoding: 'utf8' });
  } catch {
    // pgrep exits 1 when nothing matches
  }
  expect(left).toBe('');
});

test("the program's output is data (kept as it is); messages built from it are redacted", async () => {
  registerSecret('Run-Cmd-Secret-8842', { input: 'test' });
  const result = await runCommand(['sh', '-c', 'echo "connect to postgresql://app:Run-Cmd-Secret-8842@db/x failed" >&2; exit 2']);
  expect(result.stderr).toContain('Run-Cmd-Secret-8842');
  expect(outputTail(result)).toBe('connect to postgresql://app:***@db/x failed');
});
