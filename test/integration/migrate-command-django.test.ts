// migrate-command with a real Django project (python3-django, psycopg2): the project reads the
// database from the libpq variables cutover sets (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE);
// migrate, status and rollback-command are read back from django_migrations.
import { runMode } from '../../src/engine/run-mode.js';
import { recordingRuntime } from '../../src/runtime.js';
import { buildSettings, type RawInputs } from '../../src/settings.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { copyFixtureProject, djangoPython } from '../helpers/python-tools.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let db: TestDatabase;
let project: string;
let python: string;

beforeAll(async () => {
  db = await createTestDatabase('django_cmd');
  project = copyFixtureProject('django-project');
  python = djangoPython();
});
afterAll(async () => {
  await db?.drop();
});

async function run(raw: RawInputs) {
  const settings = buildSettings({ 'target-url': db.url, 'migrate-command': `${python} manage.py migrate --noinput`, ...raw }, { origin: 'cli', env: { RUNNER_TEMP: makeTempDir('django-cmd-') }, cwd: project });
  return runMode(settings, recordingRuntime(), { ...process.env, PYTHONDONTWRITEBYTECODE: '1' });
}

test('migrate applies the app migrations; django_migrations says which', async () => {
  const result = await run({ mode: 'migrate' });
  expect(result.error).toBeUndefined();
  expect(result.migrations.map((m) => [m.name, m.status])).toEqual([
    ['orders.0001_initial', 'applied'],
    ['orders.0002_order_note', 'applied'],
  ]);
  expect(result.notes.find((n) => n.startsWith('migrate-command'))).toMatch(/applied 2 migrations in .*: orders\.0001_initial, orders\.0002_order_note\.$/);
  const { rows } = await db.query(`SELECT app, name FROM django_migrations ORDER BY id`);
  expect(rows).toEqual([{ app: 'orders', name: '0001_initial' }, { app: 'orders', name: '0002_order_note' }]);
  expect((await db.query(`SELECT to_regclass('public.orders_order') AS t`)).rows[0].t).toBe('orders_order');
});

test('status reads django_migrations and the apps\' files', async () => {
  const result = await run({ mode: 'status', 'status-command': `${python} manage.py showmigrations orders` });
  expect(result.error).toBeUndefined();
  expect(result.notes).toContain("Managed by Django: public.django_migrations records 2 migrations (last: orders.0002_order_note); the project's migrations directories have 2 migrations, 0 pending.");
  expect(result.migrations.map((m) => m.status)).toEqual(['applied', 'applied']);
  expect(result.notes.find((n) => n.startsWith('status-command'))).toContain('[X] 0002_order_note');
});

test('rollback-command migrates the app back one step', async () => {
  const result = await run({ mode: 'rollback', 'rollback-command': `${python} manage.py migrate orders 0001 --noinput` });
  expect(result.error).toBeUndefined();
  expect(result.migrations.map((m) => [m.name, m.status])).toEqual([
    ['orders.0001_initial', 'already-applied'],
    ['orders.0002_order_note', 'rolled-back'],
  ]);
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'orders_order' AND column_name = 'note'`);
  expect(rows[0].n).toBe(0);
});
