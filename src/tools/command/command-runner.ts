// Runs another tool's command (migrate-command and friends) so that it can be stopped as a whole: a
// bash wrapper starts it as a job in a process group of its own and writes the group's id to a file;
// a timeout or a cancel sends SIGTERM to that group (the command and everything it started, e.g.
// `npx` → node → the Prisma engine), then SIGKILL after a grace period.
//
// Two runners share the wrapper: this one (Node's child_process; its output goes line by line through
// the engine's runtime, redacted) and the Action's (@actions/exec, src/tools/command/actions-command-runner.ts,
// injected through the Runtime), whose output goes straight to the job log, where the runner masks
// the secrets cutover registered.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface CommandSpec {
  /** Shell text, run with `bash -c` (as a workflow's `run:` step is). */
  command: string;
  cwd: string;
  /** The command's whole environment. */
  env: NodeJS.ProcessEnv;
  /** Aborting stops the command's process group (see stopGroup). */
  signal: AbortSignal;
  /** Every line of output, as it comes (for the failure's tail, and to log it when the runner does not). */
  onLine(line: string): void;
}

export interface CommandExit {
  /** bash's: 127 command not found, 128 + n killed by signal n. */
  exitCode: number;
}

export interface CommandRunner {
  /** true: the runner writes the output to the log itself, so the engine must not log the lines too. */
  readonly echoesOutput: boolean;
  run(spec: CommandSpec): Promise<CommandExit>;
}

/**
 * Job control (`set -m`) gives the job its own process group; `set +m` keeps bash from reporting it.
 * The wrapper's standard input is a pipe from cutover that it never writes to: when cutover ends in
 * any way, even SIGKILL (which nobody can forward), the kernel closes that pipe, `read` meets the end
 * of it, and a watcher stops the command's group as a cancel would (SIGTERM, SIGKILL 5 s later). So
 * a tool's migration never goes on without cutover's lock, which died with cutover's connection.
 * (Background jobs without job control read /dev/null, hence the explicit descriptor 3.)
 */
export const WRAPPER = [
  'exec 3<&0',
  'set -m; bash -c "$CUTOVER_COMMAND" </dev/null 3<&- & cmd=$!; echo $cmd > "$CUTOVER_COMMAND_PID_FILE"; set +m',
  '{ while read -r _ <&3; do :; done; kill -TERM -$cmd 2>/dev/null && sleep 5 && kill -KILL -$cmd 2>/dev/null; } >/dev/null 2>&1 &',
  'watch=$!; exec 3<&-',
  'wait $cmd; status=$?; kill $watch 2>/dev/null; exit $status',
].join('\n');

/** How long a command gets between SIGTERM and SIGKILL. */
export const STOP_GRACE_MS = 5_000;

export interface WrapperRun {
  env: NodeJS.ProcessEnv;
  /** Stops the group (when it started); resolves when the signals are sent. */
  stop(): Promise<void>;
  cleanup(): void;
}

/** The wrapper's environment and the means to stop what it started. */
export function prepareWrapper(spec: CommandSpec, exited: () => boolean): WrapperRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cutover-command-'));
  const pidFile = path.join(dir, 'pgid');
  const kill = (group: number, signal: NodeJS.Signals) => {
    try {
      process.kill(-group, signal);
    } catch {
      // the group is gone already
    }
  };
  return {
    env: { ...spec.env, CUTOVER_COMMAND: spec.command, CUTOVER_COMMAND_PID_FILE: pidFile },
    async stop() {
      const text = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').trim() : '';
      const group = Number(text);
      if (!group) return;
      kill(group, 'SIGTERM');
      const deadline = Date.now() + STOP_GRACE_MS;
      while (!exited() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      if (!exited()) kill(group, 'SIGKILL');
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Splits chunks into lines, keeping a partial last line until the next chunk. */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer | string): void; flush(): void } {
  let rest = '';
  return {
    push(chunk) {
      const lines = (rest + chunk.toString()).split(/\r?\n/);
      rest = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    },
    flush() {
      if (rest) onLine(rest);
      rest = '';
    },
  };
}

/** The runner for the CLI and tests: output lines are handed to the engine, which logs them. */
export const nodeCommandRunner: CommandRunner = {
  echoesOutput: false,
  run(spec) {
    return new Promise((resolve, reject) => {
      let done = false;
      const wrapper = prepareWrapper(spec, () => done);
      // stdin: the pipe whose end tells the wrapper that cutover is gone (see WRAPPER).
      const child = spawn('bash', ['-c', WRAPPER], { cwd: spec.cwd, env: wrapper.env, stdio: ['pipe', 'pipe', 'pipe'] });
      const out = lineSplitter(spec.onLine);
      const err = lineSplitter(spec.onLine);
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      const onAbort = () => void wrapper.stop();
      spec.signal.addEventListener('abort', onAbort, { once: true });
      if (spec.signal.aborted) onAbort();
      child.on('error', (error) => {
        done = true;
        spec.signal.removeEventListener('abort', onAbort);
        wrapper.cleanup();
        reject(error);
      });
      child.on('close', (code, signal) => {
        done = true;
        out.flush();
        err.flush();
        spec.signal.removeEventListener('abort', onAbort);
        wrapper.cleanup();
        resolve({ exitCode: code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0) });
      });
    });
  },
};
