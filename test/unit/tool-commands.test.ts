// The pure parts of bringing your own migrations: the environment a tool's command gets, recognising
// a tool in a command line, Alembic revision files, Flyway versions, and history layouts by columns.
import { parseAlembicRevision } from '../../src/tools/alembic-revisions.js';
import { commandEnv } from '../../src/tools/command/command-env.js';
import { matchHistoryTable } from '../../src/tools/history-layouts.js';
import { programOf, toolOfCommand } from '../../src/tools/tool-commands.js';
import { flywayVersionKey } from '../../src/tools/tool-migration-files.js';
import { parseDatabaseUrl, type PostgresLocation } from '../../src/db/database-url.js';
import { CLI_COMMAND, reproduceCommand } from '../../src/engine/reproduce-command.js';
import { buildSettings } from '../../src/settings.js';

const pgAt = (url: string) => parseDatabaseUrl(url, { input: 'test' }) as PostgresLocation;

describe('the command environment', () => {
  test('DATABASE_URL is postgresql://, the password percent-encoded; libpq and Flyway variables alongside', () => {
    const env = commandEnv(pgAt('postgres://app:p%40ss%3Aw0rd@db.example.com:6432/shop?sslmode=require&application_name=web'), { PATH: '/usr/bin', DATABASE_URL: 'old', PGHOST: 'old' });
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      DATABASE_URL: 'postgresql://app:p%40ss%3Aw0rd@db.example.com:6432/shop?sslmode=require&application_name=web',
      DIRECT_URL: 'postgresql://app:p%40ss%3Aw0rd@db.example.com:6432/shop?sslmode=require&application_name=web',
      PGHOST: 'db.example.com',
      PGPORT: '6432',
      PGUSER: 'app',
      PGPASSWORD: 'p@ss:w0rd',
      PGDATABASE: 'shop',
      PGSSLMODE: 'require',
      FLYWAY_URL: 'jdbc:postgresql://db.example.com:6432/shop?sslmode=require',
      FLYWAY_USER: 'app',
      FLYWAY_PASSWORD: 'p@ss:w0rd',
    });
  });

  test("cutover's own parameters are not passed on (libpq would refuse pgbouncer=true); a URL without password uses PGPASSWORD", () => {
    const env = commandEnv(pgAt('postgresql://app@localhost:5432/shop?pgbouncer=true'), { PGPASSWORD: 'fromenv-Secret9' });
    expect(env.DATABASE_URL).toBe('postgresql://app:fromenv-Secret9@localhost:5432/shop');
    expect(env.PGPASSWORD).toBe('fromenv-Secret9');
    expect(env.PGSSLMODE).toBeUndefined();
  });
});

describe('recognising tools', () => {
  test.each([
    ['alembic upgrade head', 'alembic', 'alembic'],
    ['cd backend && alembic -c alembic.ini upgrade head', 'cd', 'alembic'],
    ['python manage.py migrate --noinput', 'python', 'django'],
    ['npx prisma migrate deploy', 'npx', 'prisma'],
    ['flyway -locations=filesystem:sql migrate', 'flyway', 'flyway'],
    ['DATABASE_URL=x dbmate --no-dump-schema up', 'dbmate', 'dbmate'],
    ['supabase db push --db-url "$DATABASE_URL"', 'supabase', 'supabase'],
    ['migrate -path db/migrations -database "$DATABASE_URL" up', 'migrate', 'golang-migrate'],
    ['./bin/migrate.sh', 'migrate.sh', undefined],
  ])('%s → program %s, tool %s', (command, program, tool) => {
    expect(programOf(command)).toBe(program);
    expect(toolOfCommand(command)).toBe(tool);
  });
});

describe('Alembic revision files', () => {
  test('typed assignments, a merge point (tuple), and the docstring message', () => {
    const source = `"""merge heads\n\nRevision ID: 9f8e7d6c5b4a\n"""\nfrom typing import Sequence, Union\n\nrevision: str = "9f8e7d6c5b4a"\ndown_revision: Union[str, None] = ("aaaa1111", "bbbb2222")\n`;
    expect(parseAlembicRevision(source, '/x/9f8e_merge.py')).toEqual({ id: '9f8e7d6c5b4a', downRevisions: ['aaaa1111', 'bbbb2222'], message: 'merge heads', file: '/x/9f8e_merge.py' });
  });

  test('a base revision (down_revision = None); a Python file that is no revision', () => {
    expect(parseAlembicRevision(`revision = 'abc'\ndown_revision = None\n`, 'f.py')?.downRevisions).toEqual([]);
    expect(parseAlembicRevision(`import os\n`, 'env.py')).toBeUndefined();
  });
});

test('Flyway versions compare as Flyway does: 1_1 is 1.1, 1.0 is 1, leading zeros do not count', () => {
  expect(flywayVersionKey('1_1')).toBe('1.1');
  expect(flywayVersionKey('1.0')).toBe('1');
  expect(flywayVersionKey('001.002')).toBe('1.2');
});

describe('history layouts by columns', () => {
  test.each([
    ['public', 'schema_migrations', ['version', 'dirty'], 'golang-migrate'],
    ['public', 'schema_migrations', ['version'], 'dbmate'],
    ['supabase_migrations', 'schema_migrations', ['version', 'statements', 'name'], 'supabase'],
    ['public', 'alembic_version', ['version_num'], 'alembic'],
    ['public', 'django_migrations', ['id', 'app', 'name', 'applied'], 'django'],
  ])('%s.%s (%j) is %s', (schema, name, columns, tool) => {
    const match = matchHistoryTable(schema, name, columns);
    expect(match?.kind === 'known' ? match.layout.tool : match).toBe(tool);
  });

  test('a name without the columns is unknown; another name is no history at all', () => {
    expect(matchHistoryTable('public', 'django_migrations', ['id', 'app'])?.kind).toBe('unknown');
    expect(matchHistoryTable('public', 'orders', ['id'])).toBeUndefined();
  });
});

test('the reproduce command carries migrate-command and its directory', () => {
  const settings = buildSettings({ mode: 'migrate', 'target-url': 'postgresql://u:Secret-Pw-99@h:5432/d', 'migrate-command': 'alembic upgrade head', 'migrate-command-dir': 'backend' }, { origin: 'cli', env: {}, cwd: '/repo' });
  expect(reproduceCommand(settings)).toBe(`${CLI_COMMAND} migrate --target-url 'postgresql://u:***@h:5432/d' --migrate-command 'alembic upgrade head' --migrate-command-dir backend`);
});
