// Runs another tool's migration command against a PostgreSQL database under cutover's migration lock:
// the lock is taken (polling, src/migrate/migration-lock.ts) on a session connection of its own and
// held for the whole command, so concurrent runs of any tool apply each migration once; the tool's
// history tables are read on that connection before and after, so the report can say what the
// command changed. A timeout or a cancel stops the command's whole process group; the lock is
// released in every case.
import type pg from 'pg';
import type { PostgresLocation } from '../../db/database-url.js';
import { connectPostgres } from '../../db/postgres-connect.js';
import { sessionModeOf } from '../../db/supabase.js';
import { acquireMigrationLock, releaseMigrationLock } from '../../migrate/migration-lock.js';
import { redact } from '../../redact.js';
import type { Runtime } from '../../runtime.js';
import { postgresReader } from '../find-history-tables.js';
import { readHistories, type HistorySnapshot } from '../inspect-history.js';
import { commandEnv } from './command-env.js';
import { nodeCommandRunner } from './command-runner.js';

export interface ToolCommandOptions {
  /** migrate-command, rollback-command or status-command: how messages name it. */
  inputName: string;
  command: string;
  cwd: string;
  timeoutMs: number;
  target: PostgresLocation;
  /** Label of the database in messages, e.g. "input 'target-url'" or "the throwaway database". */
  input: string;
  /** Hold the migration lock while it runs (not for status-command, which only reads). */
  lock: boolean;
  lockTimeoutMs: number;
  connectAttempts: number;
  connectTimeoutMs: number;
  runtime: Runtime;
  /** application_name prefix, e.g. cutover/migrate/<run id>. */
  runLabel: string;
  /** The job's environment the command inherits. */
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export interface ToolCommandRun {
  before: HistorySnapshot;
  after: HistorySnapshot;
  exitCode: number;
  durationMs: number;
  /** Why it was stopped, if it was. */
  stopped?: 'timeout' | 'cancel';
  /** Last lines of output, redacted. */
  tail: string[];
  /** Lines of output in all. */
  lines: number;
}

const TAIL_LINES = 30;
const LINE_MAX = 500;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export async function runToolCommand(options: ToolCommandOptions): Promise<ToolCommandRun> {
  const { runtime } = options;
  const session = sessionModeOf(options.target, options.input, 'the session advisory lock migrations need', `${options.inputName} runs`);
  if (session.warning) runtime.warning(session.warning);
  const location = session.location;
  let client: pg.Client | undefined;
  let locked = false;
  try {
    client = await connectPostgres(location, {
      input: options.input,
      attempts: options.connectAttempts,
      connectTimeoutMs: options.connectTimeoutMs,
      onRetry: (message) => runtime.info(message),
      onConnected: (message) => runtime.info(message),
      ...(location.params.application_name ? {} : { applicationName: `${options.runLabel} ${options.lock ? 'migration lock' : 'history'}` }),
    });
    if (options.lock) {
      await acquireMigrationLock(client, { timeoutMs: options.lockTimeoutMs, runtime, input: options.input, ...(options.signal ? { signal: options.signal } : {}) });
      locked = true;
    }
    const before = await readHistories(postgresReader(client));
    const outcome = await runCommand(options, location);
    const after = await readHistories(postgresReader(client));
    return { before, after, ...outcome };
  } finally {
    if (client) {
      if (locked) await releaseMigrationLock(client).catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }
}

async function runCommand(options: ToolCommandOptions, location: PostgresLocation): Promise<Omit<ToolCommandRun, 'before' | 'after'>> {
  const { runtime } = options;
  const runner = runtime.commandRunner ?? nodeCommandRunner;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error('timeout')), options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  const tail: string[] = [];
  let lines = 0;
  const started = Date.now();
  try {
    runtime.info(`Running ${options.inputName} \`${options.command}\` in ${options.cwd} against ${options.input}${options.lock ? ', holding the migration lock' : ''}.`);
    const exit = await runtime.group(`${options.inputName}: ${options.command}`, () =>
      runner.run({
        command: options.command,
        cwd: options.cwd,
        env: commandEnv(location, options.env),
        signal,
        onLine: (line) => {
          lines++;
          const clean = redact(line.length > LINE_MAX ? `${line.slice(0, LINE_MAX)}…` : line);
          tail.push(clean);
          if (tail.length > TAIL_LINES) tail.shift();
          if (!runner.echoesOutput) runtime.info(clean);
        },
      }),
    );
    const durationMs = Date.now() - started;
    const stopped = options.signal?.aborted ? 'cancel' : timeout.signal.aborted ? 'timeout' : undefined;
    runtime.info(`${options.inputName} ${stopped ? `was stopped (${stopped === 'timeout' ? 'migrate-command-timeout' : 'cancelled'})` : `exited with code ${exit.exitCode}`} after ${seconds(durationMs)}.`);
    return { exitCode: exit.exitCode, durationMs, tail, lines, ...(stopped ? { stopped } : {}) };
  } finally {
    clearTimeout(timer);
  }
}
