// The CLI command that reproduces a run locally, printed at the end of every report. URLs are shown
// redacted: the reader substitutes their own credentials.
import path from 'node:path';
import { displayLocation } from '../db/database-url.js';
import { INPUT_DEFAULTS, type Settings } from '../settings.js';
import { shellQuote } from '../shell-quote.js';


export function reproduceCommand(settings: Settings): string {
  const args: string[] = ['cutover', settings.mode];
  const flag = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '' && value !== INPUT_DEFAULTS[name]) args.push(`--${name}`, shellQuote(value));
  };
  if (settings.target) flag('target-url', displayLocation(settings.target));
  else if (settings.mode === 'dry-run') flag('dry-run-database', 'local');
  if (settings.source) flag('source-url', displayLocation(settings.source));
  flag('migrations-dir', path.relative(settings.workingDirectory, settings.migrationsDir) || '.');
  flag('to', settings.to);
  if (settings.mode === 'rollback') flag('steps', String(settings.steps));
  if (settings.copy.include.length) flag('include', settings.copy.include.join(','));
  if (settings.copy.exclude.length) flag('exclude', settings.copy.exclude.join(','));
  if (settings.copy.createTables) flag('create-tables', 'true');
  flag('on-error', settings.copy.onError);
  flag('if-target-not-empty', settings.copy.ifTargetNotEmpty);
  if (settings.copy.sampleRows) flag('sample-rows', String(settings.copy.sampleRows));
  if (settings.mode === 'dry-run' && settings.dryRun.schemaFrom !== 'migrations') flag('schema-from', settings.dryRun.schemaFrom);
  if (settings.mode === 'dry-run') flag('base-ref', settings.dryRun.baseRef);
  if (settings.mode === 'dry-run') flag('dry-run-timeout', String(settings.dryRun.timeoutMs / 1000));
  return args.join(' ');
}
