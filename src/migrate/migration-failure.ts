// The paragraph a failed migration step turns into: where it failed, why, and — only as far as it is
// true — what it left behind: nothing when its transaction was rolled back; for a migration that ran
// without a transaction, what may remain.
import { CancelledError, describeCause, MigrationError } from '../errors.js';
import { describeWait } from '../db/lock-blockers.js';
import { displayPath } from './migration-files.js';
import type { StepFailure } from './migration-step.js';
import { StepCancelled, type StatementProgress } from './sql-file-body.js';

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function pgCode(error: unknown): string | undefined {
  return (error as { code?: string })?.code;
}

function lines(list: number[]): string {
  const shown = list.slice(0, 12).join(', ');
  return `line${list.length === 1 ? '' : 's'} ${shown}${list.length > 12 ? ', …' : ''}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What a no-transaction SQL file left behind, from its statement-by-statement progress. */
function statementsLeft(progress: StatementProgress, how: 'failing' | 'cancelled'): string {
  const parts: string[] = [];
  const at = progress.failedLine ?? progress.stoppedBeforeLine;
  const event = progress.failedLine !== undefined ? `the statement at line ${progress.failedLine} ${how === 'failing' ? 'failed' : 'was cancelled'}` : `it was stopped before the statement at line ${at}`;
  if (progress.kept.length > 0) {
    parts.push(`${progress.kept.length} of its ${plural(progress.total, 'statement')} completed and ${progress.kept.length === 1 ? 'remains' : 'remain'} (${lines(progress.kept)})`, event);
  } else {
    parts.push(`${event} and nothing it did before it remains`);
  }
  if (progress.ownTransactionLine !== undefined) parts.push(`the file's own transaction (BEGIN at line ${progress.ownTransactionLine}) was open and was rolled back, with what it did since`);
  if (progress.notRun > 0) parts.push(`${plural(progress.notRun, 'statement')} after it did not run`);
  let text = parts.join('; ');
  const words = progress.failedWords ?? [];
  const concurrently = words.includes('concurrently') && (words[0] === 'create' || words[0] === 'reindex');
  if (concurrently) {
    text += `. A failed ${words[0] === 'create' ? 'CREATE INDEX' : 'REINDEX'} CONCURRENTLY can leave an INVALID index behind: drop it (DROP INDEX CONCURRENTLY IF EXISTS …) before running it again`;
  }
  return text;
}

/** What the failed (or stopped) step left behind, as one or two sentences. */
export function aftermath(failure: StepFailure, how: 'failing' | 'cancelled' = 'failing'): string {
  const up = failure.direction === 'up';
  const recorded = up ? 'It is not recorded as applied.' : 'It is still recorded as applied.';
  if (failure.inTransaction) {
    return `Its transaction was rolled back: nothing it did remains${up ? ' and it is not recorded as applied' : ' and it is still recorded as applied'}.`;
  }
  if (failure.progress && (failure.progress.failedLine !== undefined || failure.progress.stoppedBeforeLine !== undefined)) {
    return `It ran without a transaction (cutover:no-transaction): ${statementsLeft(failure.progress, how)}. ${recorded}`;
  }
  // A JS module without a transaction: cutover cannot see which of its queries completed.
  return `It ran without a transaction (cutover:no-transaction), so what it did before the ${how === 'failing' ? 'error' : 'cancel'} remains (cutover cannot tell which of its queries completed). ${recorded}`;
}

/**
 * The run was cancelled (options.signal): which migrations this run had already applied (they stay),
 * and what became of the one that was running, or which one would have been next.
 */
export function cancelledError(mode: string, done: string[], at: { next?: string; stopped?: StepFailure }): CancelledError {
  const verb = mode === 'rollback' ? 'rolled back' : 'applied';
  const where = at.stopped
    ? `Cancelled while ${at.stopped.file.name} was ${at.stopped.direction === 'up' ? 'running' : 'being rolled back'}. ${aftermath(at.stopped, 'cancelled')}`
    : `Cancelled before ${at.next ?? 'the next migration'} started.`;
  const before = done.length
    ? `Before the cancel this run ${verb} ${done.join(', ')}; ${done.length === 1 ? 'it stays' : 'they stay'} ${verb}.`
    : `This run had ${verb} no migration before the cancel.`;
  return new CancelledError(`${where} ${before} No later migration was started.`, {
    ...(at.stopped && !(at.stopped.error instanceof StepCancelled) ? { cause: at.stopped.error } : {}),
    fix: `run ${mode} again to continue.`,
  });
}

/** Why it could not get its lock, when that is what failed. */
function lockSentence(failure: StepFailure): string {
  const lock = failure.lock;
  if (!lock || pgCode(failure.error) !== '55P03') return '';
  const tries = lock.attempts === 1 ? 'once' : `${lock.attempts} times (with backoff between tries)`;
  const who = lock.wait ? describeWait(lock.wait) : 'the session holding the lock was not seen while it waited';
  return ` It waited migration-lock-timeout (${seconds(lock.lockTimeoutMs)}) for a lock ${tries}: ${who}.`;
}

function fixFor(failure: StepFailure, where: string): string {
  const blocker = failure.lock?.wait?.blockers[0];
  if (pgCode(failure.error) === '55P03' && failure.lock) {
    const stuck = blocker ? ` (if it is stuck: SELECT pg_terminate_backend(${blocker.pid});)` : '';
    return `let the blocking transaction finish or end it${stuck} and run again, run the migration when the application is quiet, or raise migration-lock-timeout (0 waits without limit, which makes the application's queries on that table wait behind the migration).`;
  }
  if (failure.inTransaction) return `fix ${where} and run again; migrations completed before it stay ${failure.direction === 'up' ? 'applied' : 'rolled back'}.`;
  return `undo or keep what remains (or make the statements idempotent, e.g. IF NOT EXISTS), fix ${where} and run again.`;
}

export function migrationError(failure: StepFailure): MigrationError {
  const file = displayPath(failure.path);
  const where = `${file}${failure.line ? `, line ${failure.line}` : ''}`;
  const verb = failure.direction === 'up' ? 'Migration' : 'Rolling back migration';
  return new MigrationError(`${verb} ${failure.file.name} failed (${where}): ${describeCause(failure.error)}.${lockSentence(failure)} ${aftermath(failure)}`, {
    migration: failure.file.name,
    file,
    ...(failure.line ? { line: failure.line } : {}),
    cause: failure.error,
    fix: fixFor(failure, file),
  });
}
