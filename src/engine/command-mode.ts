// migrate / rollback / status with another tool's command (migrate-command, rollback-command,
// status-command): the command runs against the mode's database under cutover's lock
// (src/tools/command/run-tool-command.ts), and the report says what it changed, read from the
// tool's own history table before and after.
import fs from 'node:fs';
import path from 'node:path';
import type { PostgresLocation } from '../db/database-url.js';
import { CancelledError, ConfigError } from '../errors.js';
import { readMigrationFiles } from '../migrate/migration-files.js';
import type { RunResult } from '../run-result.js';
import { shellQuote } from '../shell-quote.js';
import type { Runtime } from '../runtime.js';
import { inputLabel, type Settings } from '../settings.js';
import { commandFailure } from '../tools/command/command-failure.js';
import { runToolCommand, type ToolCommandRun } from '../tools/command/run-tool-command.js';
import { layoutOf } from '../tools/history-layouts.js';
import { toolOfCommand } from '../tools/tool-commands.js';
import { foreignToolOfDir } from '../tools/tool-migration-files.js';
import { applyToolReports, reportTools } from '../tools/tool-reports.js';
import type { ToolReport } from '../tools/tool-status.js';

export type CommandMode = 'migrate' | 'rollback';

export interface CommandStepOptions {
  mode: CommandMode;
  target: PostgresLocation;
  /** The database in messages: "input 'target-url'", "the throwaway database". */
  input: string;
  /** Where the command runs (a base-commit worktree in dry runs). */
  cwd?: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Log group title prefix, e.g. "base commit" (dry runs). */
  label?: string;
}

export interface CommandStepOutcome {
  run: ToolCommandRun;
  reports: ToolReport[];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Postgres only: the lock is an advisory lock, and the tools get a postgresql:// URL. */
function postgresTarget(settings: Settings, target: PostgresLocation | undefined, inputName: string): PostgresLocation {
  if (target?.kind === 'postgres') return target;
  throw new ConfigError(`${inputLabel(settings.origin, inputName)} runs against PostgreSQL only, but the target is a SQLite file.`, {
    fix: `point ${inputLabel(settings.origin, 'target-url')} at a PostgreSQL database, or run the tool against the SQLite file yourself.`,
  });
}

/**
 * Runs migrate-command (or rollback-command) once against `options.target` and returns what it did.
 * Throws CommandError (exit ≠ 0, timeout) or CancelledError, carrying the entries read after it.
 */
export async function applyCommandStep(settings: Settings, runtime: Runtime, options: CommandStepOptions): Promise<CommandStepOutcome> {
  const inputName = options.mode === 'rollback' ? 'rollback-command' : 'migrate-command';
  const command = (options.mode === 'rollback' ? settings.command.rollback : settings.command.migrate)!;
  const cwd = options.cwd ?? settings.command.dir;
  if (!fs.existsSync(cwd)) {
    throw new ConfigError(`The directory ${cwd} that ${inputLabel(settings.origin, 'migrate-command-dir')} names does not exist.`, { fix: 'set migrate-command-dir to the directory the command runs from, relative to the workspace.' });
  }
  const run = await runToolCommand({
    inputName: options.label ? `${inputName} (${options.label})` : inputName,
    command,
    cwd,
    timeoutMs: settings.command.timeoutMs,
    target: options.target,
    input: options.input,
    lock: true,
    lockTimeoutMs: settings.lockTimeoutMs,
    connectAttempts: settings.connectAttempts,
    connectTimeoutMs: settings.connectTimeoutMs,
    runtime,
    runLabel: `cutover/${settings.mode}/${settings.runId}`,
    env: options.env,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const migrationsDir = options.cwd ? path.resolve(options.cwd, path.relative(settings.command.dir, settings.migrationsDir)) : settings.migrationsDir;
  const reports = reportTools({ before: run.before, after: run.after, mode: options.mode, migrationsDir, projectDir: cwd, baseDir: options.cwd ?? settings.workingDirectory, command });
  const changed = reports.flatMap((r) => r.changed);
  const verb = options.mode === 'rollback' ? 'rolled back' : 'applied';
  if (run.stopped === 'cancel') {
    const entries = reports.flatMap((r) => r.entries);
    const what = reports.length === 0 ? 'what it had changed is not known (no history table of a known tool)' : changed.length ? `it had ${verb} ${changed.join(', ')}, which stay${changed.length === 1 ? 's' : ''} ${verb}` : `it had ${verb} nothing`;
    throw Object.assign(new CancelledError(`${inputName} \`${command}\` was stopped; by the tool's history table ${what}.`), { outcome: { entries } });
  }
  if (run.stopped === 'timeout' || run.exitCode !== 0) {
    throw commandFailure(run, { inputName, command, cwd, timeoutMs: settings.command.timeoutMs, reports, mode: options.mode });
  }
  return { run, reports };
}

/** What the step applied, as one note; and the reports onto the result. */
export function recordCommandStep(result: RunResult, runtime: Runtime, settings: Settings, mode: CommandMode, outcome: CommandStepOutcome): void {
  const command = mode === 'rollback' ? settings.command.rollback : settings.command.migrate;
  const inputName = mode === 'rollback' ? 'rollback-command' : 'migrate-command';
  applyToolReports(result, outcome.reports, outcome.run.after, runtime);
  const changed = outcome.reports.flatMap((r) => r.changed);
  const took = `${(outcome.run.durationMs / 1000).toFixed(1)} s`;
  const verb = mode === 'rollback' ? 'rolled back' : 'applied';
  result.notes.push(
    outcome.reports.length === 0
      ? `${inputName} \`${command}\` succeeded in ${took}; the database has no history table of a known tool, so what it ${verb} is not known.`
      : `${inputName} \`${command}\` ${verb} ${plural(changed.length, 'migration')} in ${took}${changed.length ? `: ${changed.join(', ')}` : ''}.`,
  );
}

/** Both migrate-command and cutover's own migration files: say which runs. */
function warnAboutOwnFiles(settings: Settings, result: RunResult, runtime: Runtime): void {
  const command = settings.command.migrate!;
  if (foreignToolOfDir(settings.migrationsDir) || toolOfCommand(command) === 'golang-migrate' || !fs.existsSync(settings.migrationsDir)) return;
  let files;
  try {
    files = readMigrationFiles(settings.migrationsDir, { requireMigrations: false });
  } catch {
    return;
  }
  if (files.length === 0) return;
  const dir = path.relative(settings.workingDirectory, settings.migrationsDir) || '.';
  const message = `migrate-command is set, so \`${command}\` runs and the ${plural(files.length, 'cutover migration')} in ${dir} (${files.slice(0, 3).map((f) => f.name).join(', ')}${files.length > 3 ? ', …' : ''}) ${files.length === 1 ? 'does' : 'do'} not: remove migrate-command to run them with cutover, or move them out of migrations-dir.`;
  result.warnings.push(message);
  runtime.warning(message);
}

export async function runCommandMode(settings: Settings, runtime: Runtime, result: RunResult, mode: CommandMode, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<void> {
  const inputName = mode === 'rollback' ? 'rollback-command' : 'migrate-command';
  const target = postgresTarget(settings, settings.target as PostgresLocation | undefined, inputName);
  if (mode === 'migrate') warnAboutOwnFiles(settings, result, runtime);
  const outcome = await applyCommandStep(settings, runtime, { mode, target, input: inputLabel(settings.origin, 'target-url'), env, ...(signal ? { signal } : {}) });
  recordCommandStep(result, runtime, settings, mode, outcome);
}

/** rollback and baseline when migrate-command runs the migrations: what to use instead. */
export function refuseWithoutToolCommand(settings: Settings): void {
  if (!settings.command.migrate) return;
  const tool = toolOfCommand(settings.command.migrate);
  const label = tool ? layoutOf(tool).label : 'the tool';
  if (settings.mode === 'rollback' && !settings.command.rollback) {
    throw new ConfigError(`rollback with ${inputLabel(settings.origin, 'migrate-command')} needs ${inputLabel(settings.origin, 'rollback-command')}: ${label} recorded the migrations, and cutover does not undo another tool's migrations itself.`, {
      fix: `set ${inputLabel(settings.origin, 'rollback-command')}${tool === 'alembic' ? ' to `alembic downgrade -1`' : " to the tool's own rollback command"}.`,
    });
  }
  if (settings.mode === 'baseline') {
    throw new ConfigError(`baseline records cutover's own migrations as applied, but ${inputLabel(settings.origin, 'migrate-command')} is set: ${label} keeps its own history.`, {
      fix: tool === 'alembic' ? 'use `alembic stamp head` (as migrate-command once, or locally) to mark the database as up to date.' : "use the tool's own command to mark migrations as applied (e.g. alembic stamp, prisma migrate resolve --applied, flyway baseline).",
    });
  }
}

/** status-command: run after the history tables were read, without the lock (it only reads). */
export async function runStatusCommand(settings: Settings, runtime: Runtime, result: RunResult, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<void> {
  const command = settings.command.status!;
  const target = postgresTarget(settings, settings.target as PostgresLocation | undefined, 'status-command');
  const run = await runToolCommand({
    inputName: 'status-command',
    command,
    cwd: settings.command.dir,
    timeoutMs: settings.command.timeoutMs,
    target,
    input: inputLabel(settings.origin, 'target-url'),
    lock: false,
    lockTimeoutMs: 0,
    connectAttempts: settings.connectAttempts,
    connectTimeoutMs: settings.connectTimeoutMs,
    runtime,
    runLabel: `cutover/${settings.mode}/${settings.runId}`,
    env,
    ...(signal ? { signal } : {}),
  });
  if (run.stopped || run.exitCode !== 0) throw commandFailure(run, { inputName: 'status-command', command, cwd: settings.command.dir, timeoutMs: settings.command.timeoutMs, reports: [], mode: 'status' });
  result.notes.push(`status-command \`${command}\` succeeded; its output is in the log${run.tail.length ? `, ending: ${run.tail.slice(-3).map((l) => l.trim()).filter(Boolean).join(' ⏎ ')}` : ''}.`);
}

/**
 * The command that undoes what a migrate-command step applied: rollback-command when set, else for
 * Alembic a downgrade to the head recorded before the step; undefined when cutover cannot know it.
 */
export function toolRollback(settings: Settings, step: CommandStepOutcome): string | undefined {
  if (settings.command.rollback) return settings.command.rollback;
  const before = step.run.before.histories.find((h) => h.tool === 'alembic');
  const changed = step.reports.find((r) => r.tool === 'alembic')?.changed ?? [];
  if (!changed.length || (before && before.records.length > 1)) return undefined;
  const head = before?.records[0]?.id ?? 'base';
  const dir = path.relative(settings.workingDirectory, settings.command.dir);
  return `${dir ? `cd ${shellQuote(dir)} && ` : ''}alembic downgrade ${head}`;
}
