// The commands a report prints for users to run: "reproduce locally" (the run itself) and the
// rollback of a cutover's migrations. They name the exact release that wrote the report
// (`npx cutover@<version>`) and carry every flag the run used that changes what the command does,
// as the CLI spells it; defaults are left out. URLs are shown redacted: the reader substitutes their
// own credentials (the report says so).
import path from 'node:path';
import { displayLocation, type DatabaseLocation } from '../db/database-url.js';
import { INPUT_DEFAULTS, type Mode, type Settings } from '../settings.js';
import { shellQuote } from '../shell-quote.js';
import { PACKAGE_NAME, VERSION } from '../version.js';

/** `npx cutover@0.1.0`: the same release, fetched by npx when it is not installed. */
export const CLI_COMMAND = `npx ${PACKAGE_NAME}@${VERSION}`;

const MIGRATING: readonly Mode[] = ['migrate', 'rollback', 'baseline', 'cutover', 'dry-run'];
const COPYING: readonly Mode[] = ['copy', 'cutover', 'dry-run'];
const READING_SOURCE: readonly Mode[] = ['copy', 'verify', 'cutover', 'dry-run'];

/** A path as the user would type it: relative to the working directory when it is inside it. */
function relativePath(settings: Settings, file: string): string {
  const relative = path.relative(settings.workingDirectory, file);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

function location(settings: Settings, place: DatabaseLocation): string {
  return place.kind === 'sqlite' ? `sqlite:${relativePath(settings, place.path)}` : displayLocation(place);
}

const seconds = (ms: number) => String(Math.round(ms / 1000));

/** The flags (name → value; `true` for a bare boolean flag, `false` for `--no-<name>`) of `settings` run as `mode`. */
function flagsFor(settings: Settings, mode: Mode): Array<[string, string | boolean]> {
  const flags: Array<[string, string | boolean]> = [];
  const add = (name: string, value: string | boolean | undefined) => {
    if (value === undefined || value === '') return;
    if (typeof value === 'string' && value === INPUT_DEFAULTS[name]) return;
    if (typeof value === 'boolean' && String(value) === (INPUT_DEFAULTS[name] ?? 'false')) return;
    flags.push([name, value]);
  };
  const { copy, dryRun } = settings;

  if (settings.target) add('target-url', location(settings, settings.target));
  else if (mode === 'dry-run' && dryRun.database.kind === 'auto') add('dry-run-database', 'local');
  if (settings.source && READING_SOURCE.includes(mode)) add('source-url', location(settings, settings.source));

  if (mode !== 'copy' && mode !== 'verify') add('migrations-dir', relativePath(settings, settings.migrationsDir));
  if (mode === 'migrate' || mode === 'rollback' || mode === 'baseline') add('to', settings.to);
  if (mode === 'rollback') add('steps', String(settings.steps));
  if (mode !== 'copy' && mode !== 'verify') add('allow-changed-migrations', settings.allowChangedMigrations);
  if (MIGRATING.includes(mode)) {
    add('lock-timeout', seconds(settings.lockTimeoutMs));
    add('migration-lock-timeout', seconds(settings.migrationLockTimeoutMs));
    add('migration-statement-timeout', seconds(settings.migrationStatementTimeoutMs));
  }

  const copies = COPYING.includes(mode) && (mode !== 'dry-run' || settings.source !== undefined);
  if (copies || mode === 'verify') {
    if (copy.include.length) add('include', copy.include.join(','));
    if (copy.exclude.length) add('exclude', copy.exclude.join(','));
  }
  if (copies) {
    add('create-tables', copy.createTables);
    if (copy.createTables) add('create-tables-lengths', copy.createTablesLengths);
    add('on-error', copy.onError);
    // The default rejects file lives in a temp directory; one inside the project was chosen.
    const rejects = relativePath(settings, copy.rejectsFile);
    if (copy.onError === 'skip' && !path.isAbsolute(rejects)) add('rejects-file', rejects);
    add('if-target-not-empty', copy.ifTargetNotEmpty);
  }
  if (copies || mode === 'verify') {
    add('jobs', String(copy.jobs));
    // cutover always verifies with checksums, whatever the setting.
    if (mode !== 'cutover') add('checksums', copy.checksums);
  }

  if (mode === 'dry-run') {
    if (copy.sampleRows) add('sample-rows', String(copy.sampleRows));
    const database = dryRun.database;
    if (database.kind === 'url') add('dry-run-database', displayLocation(database.location));
    else if (database.kind !== 'auto') add('dry-run-database', database.kind);
    if (database.kind === 'url') add('dry-run-database-reset', dryRun.reset);
    if (database.kind === 'docker' || database.kind === 'auto') add('postgres-version', dryRun.postgresVersion);
    add('schema-from', dryRun.schemaFrom);
    add('base-ref', dryRun.baseRef);
    add('dry-run-timeout', seconds(dryRun.timeoutMs));
  }

  // Another tool's commands (only those the mode runs).
  if (['migrate', 'cutover', 'dry-run', 'status'].includes(mode)) add('migrate-command', settings.command.migrate);
  if (mode === 'rollback') add('rollback-command', settings.command.rollback);
  if (mode === 'status') add('status-command', settings.command.status);
  if (settings.command.migrate || settings.command.rollback || settings.command.status) {
    const dir = relativePath(settings, settings.command.dir);
    if (dir !== '.') add('migrate-command-dir', dir);
    add('migrate-command-timeout', seconds(settings.command.timeoutMs));
  }

  add('connect-attempts', String(settings.connectAttempts));
  add('connect-timeout', seconds(settings.connectTimeoutMs));
  return flags;
}

function render(mode: Mode, flags: Array<[string, string | boolean]>): string {
  const args = [CLI_COMMAND, mode];
  for (const [name, value] of flags) {
    if (value === true) args.push(`--${name}`);
    else if (value === false) args.push(`--no-${name}`);
    else args.push(`--${name}`, shellQuote(value));
  }
  return args.join(' ');
}

/** The command that runs this run again from a terminal. */
export function reproduceCommand(settings: Settings): string {
  return render(settings.mode, flagsFor(settings, settings.mode));
}

/** The command that rolls back the `steps` migrations a run applied to its target (cutover's rollback section). */
export function rollbackCommand(settings: Settings, steps: number): string {
  const { to: _untilThisRunsFirst, ...rest } = settings;
  return render('rollback', flagsFor({ ...rest, mode: 'rollback', steps }, 'rollback'));
}
