// The typed settings object every run is driven by. Both the Action (src/inputs.ts) and the CLI
// (src/cli-args.ts) collect raw strings keyed by the action.yml input names and hand them to
// `buildSettings`, so validation and defaults live in exactly one place.
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from './errors.js';
import { registerSecret } from './redact.js';
import { parseDatabaseUrl, type DatabaseLocation, type PostgresLocation } from './db/database-url.js';

export const MODES = ['status', 'migrate', 'rollback', 'baseline', 'copy', 'verify', 'cutover', 'dry-run'] as const;
export type Mode = (typeof MODES)[number];

export type OnError = 'fail' | 'skip';
export type IfTargetNotEmpty = 'fail' | 'truncate' | 'append';
export type DryRunDatabase = { kind: 'auto' } | { kind: 'docker' } | { kind: 'local' } | { kind: 'url'; location: PostgresLocation };

export interface CopySettings {
  include: string[];
  exclude: string[];
  /** Create target tables from the source schema (no migrations). */
  createTables: boolean;
  onError: OnError;
  /** Where rejected rows go with on-error: skip (JSON lines). */
  rejectsFile: string;
  ifTargetNotEmpty: IfTargetNotEmpty;
  jobs: number;
  checksums: boolean;
  /** Rows per table to copy in dry runs; undefined = all. */
  sampleRows?: number;
  /** create-tables: keep declared varchar(n)/char(n)/numeric(p,s) (values that do not fit fail), or drop them. */
  createTablesLengths?: 'keep' | 'drop';
}

export interface Settings {
  mode: Mode;
  /** Where inputs came from: decides how they are named in messages. */
  origin: 'action' | 'cli';
  target?: DatabaseLocation;
  source?: DatabaseLocation;
  /** Absolute path. */
  migrationsDir: string;
  to?: string;
  steps: number;
  allowChangedMigrations: boolean;
  lockTimeoutMs: number;
  /** lock_timeout of migration statements (PostgreSQL); 0 = no limit. */
  migrationLockTimeoutMs: number;
  /** statement_timeout of migration statements (PostgreSQL); 0 = no limit. */
  migrationStatementTimeoutMs: number;
  connectAttempts: number;
  connectTimeoutMs: number;
  copy: CopySettings;
  dryRun: {
    database: DryRunDatabase;
    /** The given URL database is disposable: empty it before the dry run. */
    reset: boolean;
    postgresVersion: string;
    schemaFrom: 'migrations' | 'target';
    /** Base commit of the PR; migrations absent there are "new in this PR". */
    baseRef?: string;
    /** Longest a new migration may run on the throwaway before it is stopped; 0 = no limit. */
    timeoutMs: number;
  };
  report: {
    comment: boolean;
    commentId: string;
    githubToken?: string;
    /** Path the Markdown report is written to (output `report`). */
    path: string;
  };
  /** Recorded in the history table: GitHub actor and run, or the local user. */
  appliedBy: string;
  /** Names this run's connections (application_name `cutover/<mode>/<runId> <purpose>`). */
  runId: string;
  workingDirectory: string;
  /** Another tool's commands, run by cutover against the mode's database (src/tools/command/). */
  command: CommandSettings;
}

export interface CommandSettings {
  /** migrate, cutover, dry-run: e.g. `alembic upgrade head`; replaces cutover's own migrations. */
  migrate?: string;
  /** rollback: e.g. `alembic downgrade -1`. */
  rollback?: string;
  /** status: run after cutover has read the history tables. */
  status?: string;
  /** Working directory of the commands (absolute); default the working directory. */
  dir: string;
  /** A command still running after this long is stopped (its whole process group). */
  timeoutMs: number;
}

/** Raw values keyed by action.yml input name (e.g. 'target-url'); '' and undefined mean "not given". */
export type RawInputs = Record<string, string | undefined>;

export const INPUT_DEFAULTS: Record<string, string> = {
  mode: 'migrate',
  'migrations-dir': 'migrations',
  steps: '1',
  'allow-changed-migrations': 'false',
  'lock-timeout': '300',
  'migration-lock-timeout': '5',
  'migration-statement-timeout': '0',
  'connect-attempts': '3',
  'connect-timeout': '10',
  include: '',
  exclude: '',
  'create-tables': 'false',
  'on-error': 'fail',
  'if-target-not-empty': 'fail',
  jobs: '2',
  checksums: 'true',
  'sample-rows': '',
  'dry-run-database': 'auto',
  'dry-run-database-reset': 'false',
  'postgres-version': '17',
  'schema-from': 'migrations',
  comment: 'true',
  'comment-id': '',
  'create-tables-lengths': 'keep',
  'migrate-command-timeout': '3600',
  'dry-run-timeout': '600',
};

export function inputLabel(origin: Settings['origin'], name: string): string {
  return origin === 'action' ? `input '${name}'` : `--${name}`;
}

function pick<T extends string>(raw: RawInputs, name: string, allowed: readonly T[], origin: Settings['origin']): T {
  const value = (raw[name] || INPUT_DEFAULTS[name] || '').trim().toLowerCase();
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`Invalid ${inputLabel(origin, name)}: '${raw[name]}'.`, { fix: `expected one of: ${allowed.join(', ')}.` });
  }
  return value as T;
}

function integer(raw: RawInputs, name: string, origin: Settings['origin'], min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = (raw[name] || INPUT_DEFAULTS[name] || '').trim();
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new ConfigError(`Invalid ${inputLabel(origin, name)}: '${raw[name]}'.`, { fix: `expected a whole number from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'up' : max}.` });
  }
  return Number(text);
}

function boolean(raw: RawInputs, name: string, origin: Settings['origin']): boolean {
  const text = (raw[name] || INPUT_DEFAULTS[name] || '').trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(text)) return true;
  if (['false', 'no', '0', 'off'].includes(text)) return false;
  throw new ConfigError(`Invalid ${inputLabel(origin, name)}: '${raw[name]}'.`, { fix: `expected true or false.` });
}

function list(raw: RawInputs, name: string): string[] {
  return (raw[name] ?? '')
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

function appliedByFromEnv(env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_ACTIONS === 'true') {
    const run = env.GITHUB_RUN_ID ? ` run ${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : '';
    return `${env.GITHUB_ACTOR ?? 'github-actions'}${run}`;
  }
  try {
    return `${os.userInfo().username}@${os.hostname()}`;
  } catch {
    return 'unknown';
  }
}

export function buildSettings(raw: RawInputs, options: { origin: Settings['origin']; env?: NodeJS.ProcessEnv; cwd?: string }): Settings {
  const { origin } = options;
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const mode = pick(raw, 'mode', MODES, origin);

  // Connections fall back to PGPASSWORD for URLs without a password (src/db/postgres-connect.ts).
  registerSecret(env.PGPASSWORD?.trim() || undefined, { input: 'the PGPASSWORD environment variable' });
  const targetText = raw['target-url']?.trim() || env.DATABASE_URL?.trim();
  const target = targetText ? parseDatabaseUrl(targetText, { input: raw['target-url']?.trim() ? inputLabel(origin, 'target-url') : 'DATABASE_URL', cwd }) : undefined;
  const sourceText = raw['source-url']?.trim();
  const source = sourceText ? parseDatabaseUrl(sourceText, { input: inputLabel(origin, 'source-url'), cwd }) : undefined;

  if (!target && mode !== 'dry-run') {
    throw new ConfigError(`No target database: ${inputLabel(origin, 'target-url')} is empty and DATABASE_URL is not set.`, {
      fix: origin === 'action'
        ? `pass target-url: \${{ secrets.DATABASE_URL }} (a postgresql:// URL or sqlite:path) to the step.`
        : `pass --target postgresql://user:password@host:5432/db (or sqlite:app.db), or set DATABASE_URL.`,
    });
  }
  if (!source && (mode === 'copy' || mode === 'verify' || mode === 'cutover')) {
    throw new ConfigError(`Mode '${mode}' needs a source database, but ${inputLabel(origin, 'source-url')} is empty.`, {
      fix: `pass the database to copy from as ${inputLabel(origin, 'source-url')} (postgresql:// URL or sqlite:path).`,
    });
  }
  if ((mode === 'copy' || mode === 'cutover') && target?.kind === 'sqlite') {
    throw new ConfigError(`Mode '${mode}' writes to PostgreSQL only, but the target is a SQLite file (${target.path}).`, {
      fix: `point ${inputLabel(origin, 'target-url')} at a PostgreSQL database; SQLite targets support status, migrate, rollback and baseline.`,
    });
  }

  const dryRunText = (raw['dry-run-database'] || INPUT_DEFAULTS['dry-run-database']).trim();
  let database: DryRunDatabase;
  if (['auto', 'docker', 'local'].includes(dryRunText.toLowerCase())) {
    database = { kind: dryRunText.toLowerCase() as 'auto' | 'docker' | 'local' };
  } else {
    const location = parseDatabaseUrl(dryRunText, { input: inputLabel(origin, 'dry-run-database'), cwd });
    if (location.kind !== 'postgres') {
      throw new ConfigError(`${inputLabel(origin, 'dry-run-database')} must be auto, docker, local or a postgresql:// URL.`, { fix: `use a PostgreSQL URL, e.g. the workflow's services: postgres container.` });
    }
    database = { kind: 'url', location };
  }

  const sampleText = raw['sample-rows']?.trim();
  const workingDirectory = cwd;
  const tempDir = env.RUNNER_TEMP || os.tmpdir();
  return {
    mode,
    origin,
    ...(target ? { target } : {}),
    ...(source ? { source } : {}),
    migrationsDir: path.resolve(cwd, raw['migrations-dir']?.trim() || INPUT_DEFAULTS['migrations-dir']),
    ...(raw.to?.trim() ? { to: raw.to.trim() } : {}),
    steps: integer(raw, 'steps', origin, 1),
    allowChangedMigrations: boolean(raw, 'allow-changed-migrations', origin),
    lockTimeoutMs: integer(raw, 'lock-timeout', origin, 0, 86_400) * 1000,
    migrationLockTimeoutMs: integer(raw, 'migration-lock-timeout', origin, 0, 86_400) * 1000,
    migrationStatementTimeoutMs: integer(raw, 'migration-statement-timeout', origin, 0, 86_400) * 1000,
    connectAttempts: integer(raw, 'connect-attempts', origin, 1, 20),
    connectTimeoutMs: integer(raw, 'connect-timeout', origin, 1, 600) * 1000,
    copy: {
      include: list(raw, 'include'),
      exclude: list(raw, 'exclude'),
      createTables: boolean(raw, 'create-tables', origin),
      onError: pick(raw, 'on-error', ['fail', 'skip'] as const, origin),
      rejectsFile: path.resolve(cwd, raw['rejects-file']?.trim() || path.join(tempDir, 'cutover-rejects.jsonl')),
      ifTargetNotEmpty: pick(raw, 'if-target-not-empty', ['fail', 'truncate', 'append'] as const, origin),
      jobs: integer(raw, 'jobs', origin, 1, 32),
      checksums: boolean(raw, 'checksums', origin),
      ...(sampleText ? { sampleRows: integer(raw, 'sample-rows', origin, 1) } : {}),
      createTablesLengths: pick(raw, 'create-tables-lengths', ['keep', 'drop'] as const, origin),
    },
    dryRun: {
      database,
      reset: boolean(raw, 'dry-run-database-reset', origin),
      postgresVersion: (raw['postgres-version'] || INPUT_DEFAULTS['postgres-version']).trim(),
      schemaFrom: pick(raw, 'schema-from', ['migrations', 'target'] as const, origin),
      ...(raw['base-ref']?.trim() ? { baseRef: raw['base-ref'].trim() } : {}),
      timeoutMs: integer(raw, 'dry-run-timeout', origin, 0, 86_400) * 1000,
    },
    report: {
      comment: boolean(raw, 'comment', origin),
      commentId: (raw['comment-id'] ?? '').trim(),
      ...(raw['github-token']?.trim() ? { githubToken: raw['github-token'].trim() } : {}),
      path: path.resolve(cwd, raw['report-path']?.trim() || path.join(tempDir, 'cutover-report.md')),
    },
    appliedBy: appliedByFromEnv(env),
    runId: env.GITHUB_RUN_ID ? `${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}` : crypto.randomBytes(4).toString('hex'),
    workingDirectory,
    command: {
      ...(raw['migrate-command']?.trim() ? { migrate: raw['migrate-command'].trim() } : {}),
      ...(raw['rollback-command']?.trim() ? { rollback: raw['rollback-command'].trim() } : {}),
      ...(raw['status-command']?.trim() ? { status: raw['status-command'].trim() } : {}),
      dir: path.resolve(cwd, raw['migrate-command-dir']?.trim() || '.'),
      timeoutMs: integer(raw, 'migrate-command-timeout', origin, 1, 86_400) * 1000,
    },
  };
}
