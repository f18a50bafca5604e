// The one line a cancelled run ends with: what cancelled it and what state it left the target in.
// Each sentence is chosen from what the run knows it did (the copy threw its rollback, the copy
// returned after its commit, the migration runner's entries); where it cannot know, it says so.
// The modes (data-modes.ts, migration-mode.ts) throw a CancelledError carrying the state sentence;
// run-mode.ts puts "Cancelled (<cause>)" in front, or the sentence for a run that finished anyway.
import { CancelledError, formatError } from '../errors.js';
import type { MigrationEntry, RunResult } from '../run-result.js';

export type CopyLeft = 'not-started' | 'rolled-back';

/**
 * copy / cutover: what a copy stopped before its commit left. `migrationsApplied` is given for
 * cutover (the names its migration step applied), whose tables are then as the migrations left them.
 */
export function copySentence(left: CopyLeft, migrationsApplied?: string[]): string {
  const copy = left === 'rolled-back' ? 'the copy was rolled back' : 'the copy had not started';
  if (!migrationsApplied) return `${copy}; the target's tables are as they were before this run.`;
  if (migrationsApplied.length === 0) return `${cutoverMigrationsSentence([])}; ${copy}; the target's tables are as they were before this run.`;
  return `${cutoverMigrationsSentence(migrationsApplied)}; ${copy}; the target's tables are as the migrations left them.`;
}

function names(list: string[]): string {
  return list.length > 8 ? `${list.slice(0, 8).join(', ')} and ${list.length - 8} more` : list.join(', ');
}

function migrationsWord(n: number): string {
  return `${n} migration${n === 1 ? '' : 's'}`;
}

function stay(n: number): string {
  return n === 1 ? 'stays' : 'stay';
}

/**
 * migrate / rollback / baseline: what this run changed and what stays so. `entries` are the runner's
 * (undefined when the cancelled runner reported none).
 */
export function migrationsSentence(mode: RunResult['mode'], entries: MigrationEntry[] | undefined): string {
  const verb = mode === 'rollback' ? 'rolled back' : mode === 'baseline' ? 'recorded as applied' : 'applied';
  if (!entries || entries.length === 0) {
    return `cutover cannot tell which migrations this run had ${verb} before it stopped (each one commits on its own, so those stay ${verb}; the log above lists them).`;
  }
  const status = mode === 'rollback' ? 'rolled-back' : mode === 'baseline' ? 'baselined' : 'applied';
  const done = entries.filter((e) => e.status === status).map((e) => e.name);
  const interrupted = entries.filter((e) => e.status === 'failed');
  const parts = [done.length ? `the ${migrationsWord(done.length)} this run ${verb} (${names(done)}) ${stay(done.length)} ${verb}` : `this run ${verb} no migration`];
  for (const entry of interrupted) parts.push(`${entry.name} did not complete${entry.error ? ` (${entry.error.message.replace(/\.$/, '')})` : ''}`);
  return `${parts.join('; ')}.`;
}

/** cutover: the migrations step's share of the line, from the names the step returned. */
export function cutoverMigrationsSentence(applied: string[]): string {
  return applied.length
    ? `the ${migrationsWord(applied.length)} this run applied (${names(applied)}) ${stay(applied.length)} applied (the report has the command that undoes ${applied.length === 1 ? 'it' : 'them'})`
    : 'this run applied no migration';
}

/** A run that finished although it was cancelled (the cancel came too late to stop it). */
function finishedSentence(result: RunResult): string {
  const applied = result.migrations.filter((m) => m.status === 'applied').map((m) => m.name);
  const copied = `the copy was committed${result.verified ? ' and verified' : ''}: the target holds the copied rows`;
  switch (result.mode) {
    case 'copy':
      return `${copied}.`;
    case 'cutover':
      return `${cutoverMigrationsSentence(applied)}; ${copied}.`;
    case 'dry-run':
      return 'the dry run had finished, writing only to its dry-run database, not to the target.';
    default:
      return migrationsSentence(result.mode, result.migrations);
  }
}

/**
 * The line for a cancelled run. `reason` is the AbortSignal's reason; `error` what the run threw
 * (undefined if it completed); `started` false when the cancel came before the run began.
 */
export function cancellationLine(reason: unknown, result: RunResult, error: unknown, started = true): string {
  const prefix = reason instanceof CancelledError ? reason.message : 'Cancelled';
  if (result.mode === 'status') return `${prefix}: status only reads; nothing was written.`;
  if (result.mode === 'verify') return `${prefix}: verify only reads; neither database was written.`;
  if (!started) return `${prefix}: the run stopped before it began; nothing was written.`;
  if (error === undefined) return `${prefix}, too late to stop the run, which completed: ${finishedSentence(result)}`;
  // The modes wrap their cancellations with what they left behind; a bare one has nothing to say.
  if (error instanceof CancelledError && error !== reason) return `${prefix}: ${error.message}`;
  if (error instanceof CancelledError) return `${prefix}: cutover cannot tell what the run had written before it stopped; check the target before rerunning.`;
  return `${prefix}, and the run ended with an error: ${formatError(error)}`;
}

/** The line an entry prints: the run's own, or, when the cancel came after the engine had returned, that. */
export function finalCancellationLine(result: RunResult, reason: unknown): string {
  const prefix = reason instanceof CancelledError ? reason.message : 'Cancelled';
  return result.cancelled ?? `${prefix} after the run had ended; its report states the outcome.`;
}
