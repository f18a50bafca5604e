import fs from 'node:fs';
import YAML from 'yaml';
import { parseCliArgs } from '../../src/cli-args.js';
import { reproduceCommand } from '../../src/engine/reproduce-command.js';
import { VERSION } from '../../src/version.js';
import { ConfigError, formatError } from '../../src/errors.js';
import { INPUT_NAMES } from '../../src/input-names.js';
import { buildSettings, INPUT_DEFAULTS } from '../../src/settings.js';

const env = { RUNNER_TEMP: '/tmp/runner' };

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return formatError(error);
  }
  throw new Error('expected a ConfigError');
}

describe('buildSettings', () => {
  test('every action.yml input is read, and the defaults agree', () => {
    const action = YAML.parse(fs.readFileSync('action.yml', 'utf8')) as { inputs: Record<string, { default?: string }> };
    expect([...INPUT_NAMES].sort()).toEqual(Object.keys(action.inputs).sort());
    for (const [name, value] of Object.entries(INPUT_DEFAULTS)) {
      expect([name, String(action.inputs[name]?.default ?? '')]).toEqual([name, value]);
    }
  });

  test('defaults', () => {
    const settings = buildSettings({ 'target-url': 'postgresql://u:Pw-Test-123@h/db' }, { origin: 'action', env, cwd: '/repo' });
    expect(settings).toMatchObject({
      mode: 'migrate',
      migrationsDir: '/repo/migrations',
      steps: 1,
      lockTimeoutMs: 300_000,
      migrationLockTimeoutMs: 5_000,
      migrationStatementTimeoutMs: 0,
      connectAttempts: 3,
      copy: { onError: 'fail', ifTargetNotEmpty: 'fail', jobs: 2, checksums: true, rejectsFile: '/tmp/runner/cutover-rejects.jsonl' },
      report: { comment: true, path: '/tmp/runner/cutover-report.md' },
      dryRun: { database: { kind: 'auto' }, schemaFrom: 'migrations' },
    });
  });

  test('DATABASE_URL is the target when target-url is not given', () => {
    const settings = buildSettings({ mode: 'status' }, { origin: 'cli', env: { DATABASE_URL: 'sqlite:app.db' }, cwd: '/repo' });
    expect(settings.target).toEqual({ kind: 'sqlite', path: '/repo/app.db' });
  });

  test('an unknown mode names the input, the value and the choices', () => {
    const text = configError(() => buildSettings({ mode: 'migrat', 'target-url': 'sqlite:a.db' }, { origin: 'action', env }));
    expect(text).toBe(
      "Invalid input 'mode': 'migrat'. Fix: expected one of: status, migrate, rollback, baseline, copy, verify, cutover, dry-run.",
    );
  });

  test('a missing target says where to put it', () => {
    expect(configError(() => buildSettings({ mode: 'migrate' }, { origin: 'action', env }))).toMatch(/No target database: input 'target-url' is empty and DATABASE_URL is not set\. Fix: pass target-url: \$\{\{ secrets\.DATABASE_URL \}\}/);
    expect(configError(() => buildSettings({ mode: 'migrate' }, { origin: 'cli', env }))).toMatch(/--target-url is empty.*--target postgresql:\/\//);
  });

  test('copy needs a source; copy into SQLite is refused', () => {
    expect(configError(() => buildSettings({ mode: 'copy', 'target-url': 'postgresql://h/db' }, { origin: 'cli', env }))).toMatch(/needs a source database/);
    expect(configError(() => buildSettings({ mode: 'copy', 'target-url': 'x.db', 'source-url': 'y.db' }, { origin: 'cli', env }))).toMatch(/writes to PostgreSQL only/);
  });

  test.each([
    ['steps', '0'],
    ['jobs', 'many'],
    ['on-error', 'ignore'],
    ['if-target-not-empty', 'merge'],
    ['checksums', 'maybe'],
    ['lock-timeout', '-1'],
    ['migration-lock-timeout', '2.5'],
    ['migration-statement-timeout', 'none'],
  ])('invalid %s=%s is rejected with the expected form', (name, value) => {
    expect(configError(() => buildSettings({ 'target-url': 'postgresql://h/db', [name]: value }, { origin: 'action', env }))).toContain(`Invalid input '${name}': '${value}'. Fix: expected`);
  });

  test('dry-run-database accepts a URL', () => {
    const settings = buildSettings({ mode: 'dry-run', 'dry-run-database': 'postgresql://postgres:Pw-Dry-456@localhost:5432/postgres' }, { origin: 'action', env });
    expect(settings.dryRun.database).toMatchObject({ kind: 'url', location: { host: 'localhost', port: 5432 } });
    expect(settings.target).toBeUndefined();
  });
});

describe('CLI arguments', () => {
  test('flags map onto input names, with aliases and booleans', () => {
    const args = parseCliArgs(['copy', '--source', 'a.db', '--target=postgresql://h/db', '--create-tables', '--no-checksums', '--jobs', '4']);
    expect(args.command).toBe('copy');
    expect(args.raw).toEqual({ 'source-url': 'a.db', 'target-url': 'postgresql://h/db', 'create-tables': 'true', checksums: 'false', jobs: '4' });
  });

  test('unknown command and option are usage errors with a suggestion', () => {
    expect(() => parseCliArgs(['migrat'])).toThrow(/Unknown command 'migrat'/);
    expect(() => parseCliArgs(['migrate', '--targt', 'x'])).toThrow(/Unknown option --targt\. Did you mean --target/);
    expect(() => parseCliArgs(['migrate', '--to'])).toThrow(/--to needs a value/);
  });
});

describe('reproduce command', () => {
  test('redacts the password and leaves out defaults', () => {
    const settings = buildSettings(
      { mode: 'cutover', 'target-url': 'postgresql://app:Sup3rS3cret@db.example.com/shop', 'source-url': 'sqlite:app.db', 'on-error': 'skip' },
      { origin: 'action', env, cwd: '/repo' },
    );
    expect(reproduceCommand(settings)).toBe(`npx cutover@${VERSION} cutover --target-url 'postgresql://app:***@db.example.com:5432/shop' --source-url sqlite:app.db --on-error skip`);
  });
});

test('a distinctive PGPASSWORD (used for URLs without a password) is redacted like a URL password', async () => {
  const { redact } = await import('../../src/redact.js');
  buildSettings({ mode: 'status', 'target-url': 'postgresql://app@db.example.com/shop' }, { origin: 'cli', env: { PGPASSWORD: 'Pg-Env-9x7Qw2' } });
  expect(redact('connect failed for app with Pg-Env-9x7Qw2')).toBe('connect failed for app with ***');
});
