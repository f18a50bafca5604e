// Supabase CLI projects applied by cutover's own runner: supabase/migrations/<timestamp>_<name>.sql,
// recorded in cutover_migrations and, exactly as the CLI records them (version, name, statements),
// in supabase_migrations.schema_migrations, so that `supabase migration list` (which compares the
// local file versions with `SELECT version FROM supabase_migrations.schema_migrations ORDER BY
// version`) agrees. Versions the CLI applied itself count as applied; files with their own
// BEGIN/COMMIT go through the same check as any SQL migration.
import path from 'node:path';
import { runMode } from '../../src/engine/run-mode.js';
import { recordingRuntime } from '../../src/runtime.js';
import { buildSettings, type RawInputs } from '../../src/settings.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir, writeFiles } from '../helpers/temp-dir.js';
import { SUPABASE } from '../fixtures/tool-history-ddl.js';

const PROFILES = `-- Profiles of signed-up users
create table public.profiles (
  id uuid primary key,
  display_name text not null default 'anonymous; for now'
);

create function public.touch_profile() returns trigger language plpgsql as $$
begin
  new.display_name = trim(new.display_name);
  return new;
end;
$$;

create trigger profiles_touch before insert on public.profiles for each row execute function public.touch_profile();
`;
const BIO = 'alter table public.profiles add column bio text;\n';
const PROFILES_STATEMENTS = [
  "-- Profiles of signed-up users\ncreate table public.profiles (\n  id uuid primary key,\n  display_name text not null default 'anonymous; for now'\n)",
  'create function public.touch_profile() returns trigger language plpgsql as $$\nbegin\n  new.display_name = trim(new.display_name);\n  return new;\nend;\n$$',
  'create trigger profiles_touch before insert on public.profiles for each row execute function public.touch_profile()',
];

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('supabase_native');
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.query('DROP SCHEMA IF EXISTS supabase_migrations CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
});

function project(files: Record<string, string>): string {
  const dir = makeTempDir('supabase-project-');
  writeFiles(dir, { 'supabase/config.toml': 'project_id = "shop"\n', ...Object.fromEntries(Object.entries(files).map(([name, text]) => [`supabase/migrations/${name}`, text])) });
  return dir;
}

function run(dir: string, raw: RawInputs) {
  const settings = buildSettings({ 'target-url': db.url, 'migrations-dir': 'supabase/migrations', ...raw }, { origin: 'cli', env: { RUNNER_TEMP: makeTempDir('supabase-run-') }, cwd: dir });
  return runMode(settings, recordingRuntime());
}

test('migrate applies the files and records them as the Supabase CLI does', async () => {
  const dir = project({ '20240101120000_create_profiles.sql': PROFILES, '20240102090000_add_bio.sql': BIO });
  const result = await run(dir, { mode: 'migrate' });
  expect(result.error).toBeUndefined();
  expect(result.migrations.map((m) => [m.name, m.status])).toEqual([
    ['20240101120000_create_profiles', 'applied'],
    ['20240102090000_add_bio', 'applied'],
  ]);
  // What `supabase migration list` reads (LIST_MIGRATION_VERSION), against the local file versions.
  const { rows: listed } = await db.query(`SELECT version FROM supabase_migrations.schema_migrations ORDER BY version`);
  expect(listed.map((r) => r.version)).toEqual(['20240101120000', '20240102090000']);
  const { rows } = await db.query(`SELECT version, name, statements FROM supabase_migrations.schema_migrations ORDER BY version`);
  expect(rows).toEqual([
    { version: '20240101120000', name: 'create_profiles', statements: PROFILES_STATEMENTS },
    { version: '20240102090000', name: 'add_bio', statements: ['alter table public.profiles add column bio text'] },
  ]);
  // The table as the CLI creates it.
  const { rows: columns } = await db.query(`SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'supabase_migrations' AND table_name = 'schema_migrations' ORDER BY ordinal_position`);
  expect(columns.map((c) => `${c.column_name}:${c.data_type}:${c.is_nullable}`)).toEqual(['version:text:NO', 'statements:ARRAY:YES', 'name:text:YES']);
  const { rows: own } = await db.query(`SELECT name, length(checksum) AS n FROM cutover_migrations ORDER BY name`);
  expect(own).toEqual([{ name: '20240101120000_create_profiles', n: 64 }, { name: '20240102090000_add_bio', n: 64 }]);
});

test('a version the Supabase CLI applied counts as applied; only the rest runs', async () => {
  await db.query(SUPABASE);
  await db.query(`create table public.profiles (id uuid primary key, display_name text not null default 'x')`);
  await db.query(`INSERT INTO supabase_migrations.schema_migrations(version, name, statements) VALUES ('20240101120000', 'create_profiles', '{}')`);
  const dir = project({ '20240101120000_create_profiles.sql': PROFILES, '20240102090000_add_bio.sql': BIO });
  const status = await run(dir, { mode: 'status' });
  expect(status.migrations.map((m) => [m.name, m.status, m.appliedBy])).toEqual([
    ['20240101120000_create_profiles', 'applied', 'the Supabase CLI (no checksum recorded)'],
    ['20240102090000_add_bio', 'pending', undefined],
  ]);
  const result = await run(dir, { mode: 'migrate' });
  expect(result.error).toBeUndefined();
  expect(result.migrations.map((m) => [m.name, m.status])).toEqual([
    ['20240101120000_create_profiles', 'already-applied'],
    ['20240102090000_add_bio', 'applied'],
  ]);
  expect((await db.query(`SELECT version FROM supabase_migrations.schema_migrations ORDER BY version`)).rows.map((r) => r.version)).toEqual(['20240101120000', '20240102090000']);
});

test('a file wrapped in its own BEGIN; … COMMIT; runs inside cutover\'s transaction; other transaction control is refused before anything runs', async () => {
  const wrapped = project({ '20240101120000_create_profiles.sql': `BEGIN;\n${PROFILES}COMMIT;\n` });
  const ok = await run(wrapped, { mode: 'migrate' });
  expect(ok.error).toBeUndefined();
  expect((await db.query(`SELECT statements FROM supabase_migrations.schema_migrations`)).rows[0].statements).toEqual(['BEGIN', ...PROFILES_STATEMENTS, 'COMMIT']);

  await db.query('DROP SCHEMA IF EXISTS supabase_migrations CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  const mixed = project({ '20240101120000_create_profiles.sql': PROFILES, '20240102090000_add_bio.sql': `alter table public.profiles add column bio text;\ncommit;\nalter table public.profiles add column age int;\n` });
  const refused = await run(mixed, { mode: 'migrate' });
  expect(refused.ok).toBe(false);
  expect(refused.error).toContain('A migration file controls its own transaction, so nothing was run');
  expect(refused.error).toContain(`${path.join('supabase', 'migrations', '20240102090000_add_bio.sql')} has commit at line 2`);
  expect((await db.query(`SELECT to_regclass('public.profiles') AS t`)).rows[0].t).toBeNull();
});

test('a failing file is rolled back with its history rows in both tables', async () => {
  const dir = project({ '20240101120000_create_profiles.sql': PROFILES, '20240102090000_add_bio.sql': 'alter table public.profiles add column bio text;\nalter table public.no_such add column x int;\n' });
  const result = await run(dir, { mode: 'migrate' });
  expect(result.ok).toBe(false);
  expect(result.migrations.map((m) => [m.name, m.status])).toEqual([
    ['20240101120000_create_profiles', 'applied'],
    ['20240102090000_add_bio', 'failed'],
  ]);
  expect((await db.query(`SELECT version FROM supabase_migrations.schema_migrations`)).rows.map((r) => r.version)).toEqual(['20240101120000']);
  expect((await db.query(`SELECT name FROM cutover_migrations`)).rows.map((r) => r.name)).toEqual(['20240101120000_create_profiles']);
  expect((await db.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'profiles' AND column_name = 'bio'`)).rows[0].n).toBe(0);
});
