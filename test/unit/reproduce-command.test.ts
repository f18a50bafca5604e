// The commands reports print must run as printed: `npx cutover@<this version>`, every flag that
// changed what the run did, nothing else. Checked by parsing each printed command back through the
// CLI's own argv parser and settings (with the password put back) and comparing the settings.
import { parseCliArgs } from '../../src/cli-args.js';
import { CLI_COMMAND, reproduceCommand, rollbackCommand } from '../../src/engine/reproduce-command.js';
import { buildSettings, type RawInputs, type Settings } from '../../src/settings.js';
import { VERSION } from '../../src/version.js';

const env = { RUNNER_TEMP: '/runner/tmp' };
const cwd = '/repo';
const PASSWORD = 'Sup3r-S3cret-x9';

/** Splits a POSIX shell command line as printed by shellQuote (plain words and '…' with '\'' inside). */
function shellSplit(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '\\') {
      word += line[++i];
      inWord = true;
    } else if (c === ' ') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Runs a printed command's argv through the CLI (password restored) and returns its settings. */
function settingsOfCommand(command: string): Settings {
  const prefix = `${CLI_COMMAND} `;
  expect(command.startsWith(prefix)).toBe(true);
  const args = parseCliArgs(shellSplit(command.slice(prefix.length).replaceAll('***', PASSWORD)));
  return buildSettings({ ...args.raw, mode: args.command }, { origin: 'cli', env, cwd });
}

/** The parts of settings that decide what a run does (not who ran it, nor where its report goes). */
function behaviour(settings: Settings) {
  const { appliedBy: _appliedBy, runId: _runId, origin: _origin, report: _report, ...rest } = settings;
  return rest;
}

const target = `postgresql://app:${PASSWORD}@db.example.com:5432/shop?sslmode=require`;

test('the prefix is npx with the exact version of this build', () => {
  expect(CLI_COMMAND).toBe(`npx cutover@${VERSION}`);
  const settings = buildSettings({ mode: 'status', 'target-url': 'sqlite:app.db' }, { origin: 'action', env, cwd });
  expect(reproduceCommand(settings)).toBe(`npx cutover@${VERSION} status --target-url sqlite:app.db`);
});

const runs: Array<[string, RawInputs]> = [
  ['migrate with every migration flag', { mode: 'migrate', 'target-url': target, 'migrations-dir': 'db/migrations', to: '003_add_index', 'allow-changed-migrations': 'true', 'lock-timeout': '60', 'migration-lock-timeout': '2', 'migration-statement-timeout': '30', 'connect-attempts': '5', 'connect-timeout': '20' }],
  ['rollback by steps', { mode: 'rollback', 'target-url': target, steps: '3', 'migration-lock-timeout': '0' }],
  ['baseline up to a migration', { mode: 'baseline', 'target-url': 'sqlite:data/dev.db', to: '002_users', 'migrations-dir': 'sql' }],
  ['copy with every copy flag', { mode: 'copy', 'target-url': target, 'source-url': 'sqlite:app.db', include: 'users,orders*', exclude: 'audit_log', 'create-tables': 'true', 'on-error': 'skip', 'rejects-file': 'out/rejects.jsonl', 'if-target-not-empty': 'truncate', jobs: '4', checksums: 'false' }],
  ['verify without checksums', { mode: 'verify', 'target-url': target, 'source-url': `postgresql://reader:${PASSWORD}@old.example.com/shop`, checksums: 'no', include: 'users' }],
  ['cutover with its migration and copy flags', { mode: 'cutover', 'target-url': target, 'source-url': 'sqlite:app.db', 'migrations-dir': 'db/migrations', 'migration-lock-timeout': '10', 'if-target-not-empty': 'append' }],
  ['dry-run on a services URL that is reset', { mode: 'dry-run', 'target-url': target, 'source-url': 'sqlite:app.db', 'dry-run-database': `postgresql://postgres:${PASSWORD}@localhost:5432/postgres`, 'dry-run-database-reset': 'true', 'schema-from': 'target', 'base-ref': 'abc123', 'sample-rows': '500' }],
  ['dry-run on docker with a Postgres version', { mode: 'dry-run', 'target-url': target, 'dry-run-database': 'docker', 'postgres-version': '15', 'migration-statement-timeout': '5' }],
];

describe.each(runs)('%s', (_name, raw) => {
  test('runs as printed: the CLI parses it into the same settings', () => {
    const settings = buildSettings(raw, { origin: 'action', env, cwd });
    const command = reproduceCommand(settings);
    expect(behaviour(settingsOfCommand(command))).toEqual(behaviour(settings));
    // No password in any form, and no flag spelled as its default.
    expect(command).not.toContain(PASSWORD);
    expect(command).not.toMatch(/--(jobs 2|steps 1|on-error fail|connect-attempts 3)\b/);
  });
});

test('flags a mode does not use are not printed', () => {
  const settings = buildSettings({ mode: 'migrate', 'target-url': target, 'on-error': 'skip', 'sample-rows': '10', steps: '4', 'dry-run-database-reset': 'true' }, { origin: 'action', env, cwd });
  expect(reproduceCommand(settings)).toBe(`npx cutover@${VERSION} migrate --target-url 'postgresql://app:***@db.example.com:5432/shop?sslmode=require'`);
});

test('a dry run without a target reproduces on local binaries', () => {
  const settings = buildSettings({ mode: 'dry-run', 'source-url': 'sqlite:app.db' }, { origin: 'action', env, cwd });
  expect(reproduceCommand(settings)).toBe(`npx cutover@${VERSION} dry-run --dry-run-database local --source-url sqlite:app.db`);
});

test("a cutover's rollback command keeps the migrations directory and the migration flags, and runs as printed", () => {
  const settings = buildSettings(
    { mode: 'cutover', 'target-url': target, 'source-url': 'sqlite:app.db', 'migrations-dir': 'db/migrations', to: '004_x', 'migration-lock-timeout': '10', 'migration-statement-timeout': '60', 'allow-changed-migrations': 'true', 'on-error': 'skip' },
    { origin: 'action', env, cwd },
  );
  const command = rollbackCommand(settings, 2);
  expect(command).toBe(
    `npx cutover@${VERSION} rollback --target-url 'postgresql://app:***@db.example.com:5432/shop?sslmode=require' --migrations-dir db/migrations --steps 2 --allow-changed-migrations --migration-lock-timeout 10 --migration-statement-timeout 60`,
  );
  const parsed = settingsOfCommand(command);
  expect(parsed).toMatchObject({ mode: 'rollback', steps: 2, migrationsDir: '/repo/db/migrations', migrationLockTimeoutMs: 10_000, migrationStatementTimeoutMs: 60_000, allowChangedMigrations: true });
  expect(parsed.to).toBeUndefined();
  expect(parsed.target).toEqual(settings.target);
});
