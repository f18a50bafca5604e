// Error classes for everything cutover reports to users. Each keeps its `cause` and carries a
// `fix`: the sentence that tells the user what to do. `formatError` turns any of them (or a raw
// pg/Node error) into the one redacted paragraph that reaches logs, summaries and comments.
import { redact } from './redact.js';
import type { MigrationOutcome } from './migrate/run-migrations.js';
import type { MigrationEntry } from './run-result.js';

export interface ErrorOptions {
  cause?: unknown;
  /** What the user should do about it, as one sentence. */
  fix?: string;
  targetLeftPartial?: boolean;
}

export class CutoverError extends Error {
  readonly fix?: string;
  /** The target holds part of a copy that could not be undone: no "left as it was" may be said. */
  readonly targetLeftPartial: boolean;
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.fix = options.fix;
    this.targetLeftPartial = options.targetLeftPartial ?? false;
    this.name = new.target.name;
  }
}

/** A bad input value (action input, CLI flag or environment variable). */
export class ConfigError extends CutoverError {}

/** The database could not be reached or refused us. */
export class ConnectionError extends CutoverError {}

/** A SQLite file that is missing, a directory, or not a database. */
export class SqliteFileError extends CutoverError {}

/** Problems with the set of migration files or the history table, found before running anything. */
export class MigrationPlanError extends CutoverError {}

/** A migration that failed while running (and was rolled back). */
export class MigrationError extends CutoverError {
  readonly migration: string;
  readonly file?: string;
  readonly line?: number;
  /** What the run had done when this migration failed (set by runMigrations). */
  outcome?: MigrationOutcome;
  constructor(message: string, details: { migration: string; file?: string; line?: number; outcome?: MigrationOutcome } & ErrorOptions) {
    super(message, details);
    this.migration = details.migration;
    this.file = details.file;
    this.line = details.line;
    this.outcome = details.outcome;
  }
}

/** The migration lock could not be taken in time. */
export class LockTimeoutError extends CutoverError {}

/** The run was cancelled (SIGINT/SIGTERM, or the process that started it went away). */
export class CancelledError extends CutoverError {}

/** Copying data failed (preflight, conversion or load). */
export class CopyError extends CutoverError {}

/** Verification found differences between source and target. */
export class VerifyError extends CutoverError {}

/** A throwaway database for dry runs could not be provisioned. */
export class ProvisionError extends CutoverError {}

/** Another tool's command (migrate-command, rollback-command, status-command) failed, timed out or did not start. */
export class CommandError extends CutoverError {
  /** The command's exit code, when it exited. */
  readonly exitCode?: number;
  /** Its last lines of output, redacted. */
  readonly tail: string[];
  /** What the run had done (entries from the tool's history, read after the command). */
  outcome?: { entries: MigrationEntry[]; history?: string[]; warnings?: string[] };
  constructor(message: string, details: { exitCode?: number; tail?: string[]; outcome?: CommandError['outcome'] } & ErrorOptions) {
    super(message, details);
    if (details.exitCode !== undefined) this.exitCode = details.exitCode;
    this.tail = details.tail ?? [];
    if (details.outcome) this.outcome = details.outcome;
  }
}

/** Fields that node-postgres' DatabaseError carries (we read them structurally). */
export interface PgErrorFields {
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
}

export function isPgError(error: unknown): error is Error & PgErrorFields {
  return error instanceof Error && typeof (error as PgErrorFields).code === 'string' && /^[0-9A-Z]{5}$/.test((error as PgErrorFields).code!);
}

/** "relation "x" does not exist (SQLSTATE 42P01; detail: …; hint: …)" */
export function describePgError(error: Error & PgErrorFields): string {
  const parts = [`SQLSTATE ${error.code}`];
  if (error.detail) parts.push(`detail: ${error.detail}`);
  if (error.hint) parts.push(`hint: ${error.hint}`);
  if (error.where) parts.push(`where: ${error.where.split('\n')[0]}`);
  return `${error.message} (${parts.join('; ')})`;
}

/** Message of an arbitrary thrown value, with pg's code/detail/hint when present. */
export function describeCause(error: unknown): string {
  if (isPgError(error)) return describePgError(error);
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

/** The one paragraph users read: message, the underlying cause when it adds something, the fix. */
export function formatError(error: unknown): string {
  let text: string;
  if (error instanceof CutoverError) {
    text = error.message;
    const cause = error.cause;
    if (cause !== undefined && !(cause instanceof CutoverError)) {
      const described = describeCause(cause);
      if (described && !text.includes(described)) text += ` Cause: ${described}.`;
    }
    if (error.fix) text += ` Fix: ${error.fix}`;
  } else {
    text = describeCause(error);
  }
  return redact(text.replace(/\s*\n\s*/g, ' ').trim());
}

/** The set of tables to copy or verify is not what the user can have meant: an include entry that
 *  selects nothing, or nothing at all to copy. Found before anything is read or written. */
export class ScopeError extends CopyError {}

/** Row-level security would filter what cutover reads (source, or target in verify) or refuse what it
 *  writes (target), for the role cutover connects as. */
export class RowSecurityError extends CopyError {}
