// The scope rules on their own: which tables a copy covers by default, what include/exclude do to it,
// and the errors for include entries that select nothing.
import { displayName } from '../../src/copy/plan/copy-plan.js';
import { managedSchemaReason } from '../../src/copy/plan/managed-schemas.js';
import { namesSchemaOf, patternMatches, similarTables } from '../../src/copy/plan/table-patterns.js';
import { describeLeftOut, resolveScope, type ScopeCandidate } from '../../src/copy/plan/table-scope.js';
import { formatError, ScopeError } from '../../src/errors.js';

const SUPABASE_SOURCE: ScopeCandidate[] = [
  { schema: 'auth', name: 'users' },
  { schema: 'billing', name: 'invoices' },
  { schema: 'public', name: 'cutover_migrations' },
  { schema: 'public', name: 'orders' },
  { schema: 'public', name: 'spatial_ref_sys', extension: 'postgis' },
  { schema: 'public', name: 'users' },
  { schema: 'storage', name: 'objects' },
  { schema: '_timescaledb_internal', name: '_hyper_1_1_chunk' },
];

function scope(include: string[] = [], exclude: string[] = [], tables = SUPABASE_SOURCE) {
  return resolveScope(tables, { include, exclude, sourceKind: 'postgres', sourceInput: "input 'source-url'", display: (t) => displayName(t.schema!, t.name) });
}

const names = (tables: ScopeCandidate[]) => tables.map((t) => `${t.schema}.${t.name}`);

describe('managed schemas', () => {
  test.each([
    ['auth', 'Supabase platform schema'], ['storage', 'Supabase platform schema'], ['supabase_migrations', 'Supabase platform schema'],
    ['_timescaledb_internal', 'managed schema (TimescaleDB)'], ['public', undefined], ['billing', undefined], ['authors', undefined],
  ])('%s → %p', (schema, reason) => {
    expect(managedSchemaReason(schema)).toBe(reason);
  });
});

describe('default scope', () => {
  test('every application schema; platform, extension and cutover tables left out with the reason', () => {
    const { selected, leftOut } = scope();
    expect(names(selected)).toEqual(['billing.invoices', 'public.orders', 'public.users']);
    expect(leftOut).toEqual([
      { table: '_timescaledb_internal._hyper_1_1_chunk', reason: 'managed schema (TimescaleDB)' },
      { table: 'auth.users', reason: 'Supabase platform schema' },
      { table: 'public.cutover_migrations', reason: "cutover's migration history" },
      { table: 'public.spatial_ref_sys', reason: 'extension-owned (postgis)' },
      { table: 'storage.objects', reason: 'Supabase platform schema' },
    ]);
    expect(describeLeftOut(leftOut)).toBe(
      "Left out 5 tables — managed schema (TimescaleDB): _timescaledb_internal._hyper_1_1_chunk; Supabase platform schema: auth.users, storage.objects; cutover's migration history: public.cutover_migrations; extension-owned (postgis): public.spatial_ref_sys.",
    );
  });

  test('an unqualified include does not pull in a platform table of the same name; a schema-qualified one does', () => {
    expect(names(scope(['users']).selected)).toEqual(['public.users']);
    expect(names(scope(['auth.users', 'users']).selected)).toEqual(['auth.users', 'public.users']);
    expect(names(scope(['auth.*']).selected)).toEqual(['auth.users']);
    expect(names(scope(['*.users']).selected)).toEqual(['public.users']);
    expect(names(scope(['public.spatial_ref_sys']).selected)).toEqual(['public.spatial_ref_sys']);
  });

  test('cutover_migrations is never in scope, even when named', () => {
    expect(() => scope(['public.cutover_migrations'])).toThrow(/'public\.cutover_migrations' matches only public\.cutover_migrations, left out: cutover's migration history \(never copied\)/);
  });

  test('exclude reasons name the pattern', () => {
    expect(scope([], ['bill*.*', 'ord?rs']).leftOut).toEqual(expect.arrayContaining([
      { table: 'billing.invoices', reason: "excluded by exclude pattern 'bill*.*'" },
      { table: 'public.orders', reason: "excluded by exclude pattern 'ord?rs'" },
    ]));
  });
});

describe('include entries that select nothing', () => {
  function message(include: string[], exclude: string[] = []): string {
    try {
      scope(include, exclude);
    } catch (error) {
      expect(error).toBeInstanceOf(ScopeError);
      return formatError(error);
    }
    throw new Error('expected a ScopeError');
  }

  test('typos get suggestions from the application tables; patterns list what exists', () => {
    expect(message(['users', 'ordrs', 'invoice', 'zz*'])).toBe(
      "include names tables the source does not have: 'ordrs' (did you mean public.orders?), 'invoice' (did you mean billing.invoices?), 'zz*' (matches no table; the source has billing.invoices, public.orders, public.users). " +
        'Fix: correct or remove the include entries named here (names or patterns with * and ?, matched case-insensitively; schema-qualified, e.g. billing.invoices or auth.*, to pick a schema).',
    );
    expect(message(['biling.invoices'])).toMatch(/'biling\.invoices' \(did you mean billing\.invoices\?\)/);
  });

  test('an entry whose tables are all excluded says so', () => {
    expect(message(['orders'], ['orders'])).toMatch(/^include selects nothing that is copied: 'orders' matches only public\.orders, left out: excluded by exclude pattern 'orders'\./);
  });

  test('everything left out is an error, not an empty copy', () => {
    expect(message([], ['*'])).toMatch(/^Every table of the source was left out, so there is nothing to copy or verify: Left out 8 tables — /);
  });

  test('an empty Postgres source', () => {
    expect(() => scope([], [], [])).toThrow(/^The source \(input 'source-url'\) has no tables: it has no tables outside the system schemas\./);
  });
});

describe('pattern helpers', () => {
  test('matching, literal schemas and suggestions', () => {
    expect(patternMatches({ schema: 'Billing', name: 'Invoices' }, 'billing.inv*')).toBe(true);
    expect(patternMatches({ schema: 'public', name: 'invoices' }, 'billing.*')).toBe(false);
    expect(patternMatches({ name: 'invoices' }, 'billing.invoices')).toBe(true); // SQLite tables have no schema of their own
    expect(namesSchemaOf('auth.*', { schema: 'auth', name: 'users' })).toBe(true);
    expect(namesSchemaOf('"auth".users', { schema: 'auth', name: 'users' })).toBe(true);
    expect(namesSchemaOf('au*.users', { schema: 'auth', name: 'users' })).toBe(false);
    expect(namesSchemaOf('users', { schema: 'auth', name: 'users' })).toBe(false);
    expect(similarTables('ordrs', [{ name: 'orders' }, { name: 'users' }, { name: 'odds' }])).toEqual([{ name: 'orders' }]);
    expect(similarTables('x', [{ name: 'orders' }])).toEqual([]);
  });
});

describe("other tools' migration histories", () => {
  const col = (...names: string[]) => names.map((name) => ({ name }));
  const TOOLS_SOURCE: ScopeCandidate[] = [
    { schema: 'public', name: 'alembic_version', columns: col('version_num') },
    { schema: 'public', name: 'django_migrations', columns: col('id', 'app', 'name', 'applied') },
    { schema: 'public', name: '_prisma_migrations', columns: col('id', 'checksum', 'finished_at', 'migration_name', 'logs', 'rolled_back_at', 'started_at', 'applied_steps_count') },
    { schema: 'public', name: 'flyway_schema_history', columns: col('installed_rank', 'version', 'description', 'type', 'script', 'checksum', 'installed_by', 'installed_on', 'execution_time', 'success') },
    { schema: 'public', name: 'schema_migrations', columns: col('version', 'dirty') },
    { schema: 'billing', name: 'schema_migrations', columns: col('version') },
    { schema: 'supabase_migrations', name: 'schema_migrations', columns: col('version', 'statements', 'name') },
    { schema: 'public', name: 'orders', columns: col('id', 'total') },
  ];

  test('each is left out by default, named after its tool', () => {
    const { selected, leftOut, warnings } = scope([], [], TOOLS_SOURCE);
    expect(names(selected)).toEqual(['public.orders']);
    expect(leftOut).toEqual([
      { table: 'billing.schema_migrations', reason: 'migration history of dbmate' },
      { table: 'public._prisma_migrations', reason: 'migration history of Prisma' },
      { table: 'public.alembic_version', reason: 'migration history of Alembic' },
      { table: 'public.django_migrations', reason: 'migration history of Django' },
      { table: 'public.flyway_schema_history', reason: 'migration history of Flyway' },
      { table: 'public.schema_migrations', reason: 'migration history of golang-migrate' },
      { table: 'supabase_migrations.schema_migrations', reason: 'migration history of the Supabase CLI' },
    ]);
    expect(warnings).toEqual([]);
  });

  test('an application table that only shares the name is copied, with a warning saying why', () => {
    const tables: ScopeCandidate[] = [{ schema: 'public', name: 'schema_migrations', columns: col('version', 'applied_at') }, { schema: 'public', name: 'orders', columns: col('id') }];
    const { selected, leftOut, warnings } = scope([], [], tables);
    expect(names(selected)).toEqual(['public.schema_migrations', 'public.orders']);
    expect(leftOut).toEqual([]);
    expect(warnings).toEqual([
      'public.schema_migrations is named like the migration history of golang-migrate (version, dirty) or dbmate (version), but its columns (version, applied_at) fit no such layout: it is copied and verified like any other table. If it is a migration history, leave it out with exclude.',
    ]);
  });

  test('named literally in include, a history table is copied; a wildcard does not pull it in', () => {
    expect(names(scope(['alembic_version', 'orders'], [], TOOLS_SOURCE).selected)).toEqual(['public.alembic_version', 'public.orders']);
    expect(names(scope(['*'], [], TOOLS_SOURCE).selected)).toEqual(['public.orders']);
    expect(() => scope(['alembic*'], [], TOOLS_SOURCE)).toThrow(/'alembic\*' matches only public\.alembic_version, left out: migration history of Alembic \(name it without wildcards, e\.g\. public\.alembic_version, to include it\)/);
  });

  test('SQLite sources: an Alembic dev database has its alembic_version left out', () => {
    const { selected, leftOut } = resolveScope(
      [{ schema: 'public', name: 'alembic_version', columns: col('version_num') }, { schema: 'public', name: 'users', columns: col('id') }],
      { include: [], exclude: [], sourceKind: 'sqlite', display: (t) => displayName(t.schema!, t.name) },
    );
    expect(names(selected)).toEqual(['public.users']);
    expect(leftOut).toEqual([{ table: 'public.alembic_version', reason: 'migration history of Alembic' }]);
  });
});
