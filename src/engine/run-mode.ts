// Dispatches a run by mode and turns whatever happens into a RunResult. This is the engine's front
// door, shared by the Action (main.ts), the CLI (cli.ts) and the tests; it never throws.
// `signal` (from src/cancellation.ts) cancels the run; a cancelled result carries the one line that
// says so and what state the target is in (`cancelled`, also its `error` when the run did not complete).
import { displayLocation } from '../db/database-url.js';
import { formatError } from '../errors.js';
import { redactStrings } from '../redact.js';
import { emptyResult, type RunResult } from '../run-result.js';
import type { Runtime } from '../runtime.js';
import type { Settings } from '../settings.js';
import { cancellationLine } from './cancellation-line.js';
import { runCopyMode, runCutoverMode, runVerifyMode } from './data-modes.js';
import { runMigrationMode } from './migration-mode.js';
import { absorbPartialOutcome } from './partial-outcome.js';
import { reproduceCommand } from './reproduce-command.js';
import { runDryRun } from '../dry-run/run-dry-run.js';

function dispatch(settings: Settings, runtime: Runtime, result: RunResult, env: NodeJS.ProcessEnv, signal: AbortSignal | undefined): Promise<void> {
  switch (settings.mode) {
    case 'status':
    case 'migrate':
    case 'rollback':
    case 'baseline':
      return runMigrationMode(settings, runtime, result, signal, env);
    case 'copy':
      return runCopyMode(settings, runtime, result, signal);
    case 'verify':
      return runVerifyMode(settings, runtime, result, signal);
    case 'cutover':
      return runCutoverMode(settings, runtime, result, signal, env);
    case 'dry-run':
      // Its throwaway server is torn down in runDryRun's finally, cancelled or not.
      return runDryRun(settings, runtime, result, env, signal);
  }
}

/**
 * Modes that only read can be abandoned the moment they are cancelled: nothing to roll back, and the
 * entry ends the process (closing their connections) right after reporting.
 */
function untilAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  work.catch(() => undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export async function runMode(settings: Settings, runtime: Runtime, env: NodeJS.ProcessEnv = process.env, signal?: AbortSignal): Promise<RunResult> {
  const started = Date.now();
  const result = emptyResult(settings.mode);
  if (settings.target && settings.mode !== 'dry-run') result.target = displayLocation(settings.target);
  if (settings.source) result.source = displayLocation(settings.source);
  result.reproduce = reproduceCommand(settings);
  const began = !signal?.aborted;
  let failure: unknown;
  try {
    signal?.throwIfAborted();
    const work = dispatch(settings, runtime, result, env, signal);
    await (signal && (settings.mode === 'status' || settings.mode === 'verify') ? untilAborted(work, signal) : work);
  } catch (error) {
    failure = error;
    result.ok = false;
    absorbPartialOutcome(result, error);
    result.error = formatError(error);
  }
  if (signal?.aborted) {
    result.cancelled = cancellationLine(signal.reason, result, failure, began);
    if (result.ok) result.notes.push(result.cancelled);
    else result.error = result.cancelled;
  }
  result.durationMs = Date.now() - started;
  // Every text of the result, before the report clips or escapes it (and a password could slip through).
  return redactStrings(result);
}
