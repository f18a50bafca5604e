// Dispatches a run by mode and turns whatever happens into a RunResult. This is the engine's front
// door, shared by the Action (main.ts), the CLI (cli.ts) and the tests; it never throws.
import { displayLocation } from '../db/database-url.js';
import { formatError } from '../errors.js';
import { redactStrings } from '../redact.js';
import { emptyResult, type RunResult } from '../run-result.js';
import type { Runtime } from '../runtime.js';
import type { Settings } from '../settings.js';
import { runCopyMode, runCutoverMode, runVerifyMode } from './data-modes.js';
import { runMigrationMode } from './migration-mode.js';
import { absorbPartialOutcome } from './partial-outcome.js';
import { reproduceCommand } from './reproduce-command.js';
import { runDryRun } from '../dry-run/run-dry-run.js';

export async function runMode(settings: Settings, runtime: Runtime, env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  const started = Date.now();
  const result = emptyResult(settings.mode);
  if (settings.target && settings.mode !== 'dry-run') result.target = displayLocation(settings.target);
  if (settings.source) result.source = displayLocation(settings.source);
  result.reproduce = reproduceCommand(settings);
  try {
    switch (settings.mode) {
      case 'status':
      case 'migrate':
      case 'rollback':
      case 'baseline':
        await runMigrationMode(settings, runtime, result);
        break;
      case 'copy':
        await runCopyMode(settings, runtime, result);
        break;
      case 'verify':
        await runVerifyMode(settings, runtime, result);
        break;
      case 'cutover':
        await runCutoverMode(settings, runtime, result);
        break;
      case 'dry-run':
        await runDryRun(settings, runtime, result, env);
        break;
    }
  } catch (error) {
    result.ok = false;
    absorbPartialOutcome(result, error);
    result.error = formatError(error);
  }
  result.durationMs = Date.now() - started;
  // Every text of the result, before the report clips or escapes it (and a password could slip through).
  return redactStrings(result);
}
