// The history tables of the migration tools teams bring, as each tool creates them, and how to tell
// them apart. A table is recognised by its name AND its columns: golang-migrate, dbmate (and Rails)
// and the Supabase CLI all call theirs `schema_migrations`, with different columns. A table with a
// tool's name but other columns is reported as an unknown layout, never guessed at.
//
// Where each layout comes from (the tools' own sources):
// - Alembic: alembic/runtime/migration.py (1.8; alembic/ddl/impl.py `version_table_impl` since 1.9):
//   Table('alembic_version', Column('version_num', String(32), nullable=False), PrimaryKeyConstraint
//   name 'alembic_version_pkc'). It holds only the current head(s), one row per head.
// - Django: django/db/migrations/recorder.py, MigrationRecorder.Migration: db_table 'django_migrations',
//   app CharField(255), name CharField(255), applied DateTimeField(default=now), plus the automatic id.
//   One row per applied migration; a row deleted when it is unapplied.
// - Prisma: prisma-engines, sql-migration-connector flavour/postgres.rs `create_migrations_table`:
//   _prisma_migrations(id VARCHAR(36) PK, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ,
//   migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ, started_at TIMESTAMPTZ
//   NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0).
// - Flyway: flyway-database-postgresql PostgreSQLDatabase.getRawCreateScript: flyway_schema_history
//   (installed_rank INT NOT NULL, version VARCHAR(50), description VARCHAR(200) NOT NULL, type
//   VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INTEGER, installed_by VARCHAR(100)
//   NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(), execution_time INTEGER NOT NULL, success
//   BOOLEAN NOT NULL), primary key installed_rank.
// - golang-migrate: database/postgres/postgres.go `ensureVersionTable`: schema_migrations(version
//   bigint not null primary key, dirty boolean not null). SetVersion truncates it and inserts one row:
//   only the latest version is kept.
// - dbmate: pkg/driver/postgres/postgres.go `CreateMigrationsTable`: schema_migrations(version
//   varchar(255) primary key) (varchar(128) on SQLite); one row per applied migration. Rails' Active
//   Record creates the same single-column table.
// - Supabase CLI: pkg/migration/history.go: supabase_migrations.schema_migrations(version text NOT
//   NULL PRIMARY KEY) with `statements text[]` and `name text` added by ALTER TABLE; one row per
//   applied file (see src/tools/supabase-history.ts for how cutover writes it).
// - cutover: src/migrate/history-table.ts.

export type ToolId = 'alembic' | 'django' | 'prisma' | 'flyway' | 'golang-migrate' | 'dbmate' | 'supabase' | 'cutover';

export interface HistoryLayout {
  tool: ToolId;
  /** As the report names the tool. */
  label: string;
  table: string;
  /** Only in this schema (the Supabase CLI's is fixed); any schema otherwise. */
  schema?: string;
  /** Columns the tool always creates. */
  columns: readonly string[];
  /** true: no other column may be there (what tells the three schema_migrations apart). */
  exact?: boolean;
}

export const HISTORY_LAYOUTS: readonly HistoryLayout[] = [
  { tool: 'alembic', label: 'Alembic', table: 'alembic_version', columns: ['version_num'] },
  { tool: 'django', label: 'Django', table: 'django_migrations', columns: ['app', 'name', 'applied'] },
  {
    tool: 'prisma',
    label: 'Prisma',
    table: '_prisma_migrations',
    columns: ['id', 'checksum', 'finished_at', 'migration_name', 'logs', 'rolled_back_at', 'started_at', 'applied_steps_count'],
  },
  {
    tool: 'flyway',
    label: 'Flyway',
    table: 'flyway_schema_history',
    columns: ['installed_rank', 'version', 'description', 'type', 'script', 'checksum', 'installed_by', 'installed_on', 'execution_time', 'success'],
  },
  // Before the generic schema_migrations layouts: the schema decides.
  { tool: 'supabase', label: 'the Supabase CLI', table: 'schema_migrations', schema: 'supabase_migrations', columns: ['version'] },
  { tool: 'golang-migrate', label: 'golang-migrate', table: 'schema_migrations', columns: ['version', 'dirty'], exact: true },
  { tool: 'dbmate', label: 'dbmate', table: 'schema_migrations', columns: ['version'], exact: true },
  { tool: 'cutover', label: 'cutover', table: 'cutover_migrations', columns: ['name', 'checksum', 'applied_at'] },
];

/** Table names any layout uses (what to look for in a database's catalog). */
export const HISTORY_TABLE_NAMES: readonly string[] = [...new Set(HISTORY_LAYOUTS.map((l) => l.table))];

export type HistoryMatch = { kind: 'known'; layout: HistoryLayout } | { kind: 'unknown'; expected: HistoryLayout[] };

/**
 * What a table is, by schema, name and columns: a known tool's history, a table with a history
 * table's name whose columns fit no tool (`unknown`), or undefined for any other table. SQLite tables
 * have no schema.
 */
export function matchHistoryTable(schema: string | undefined, name: string, columns: readonly string[]): HistoryMatch | undefined {
  const byName = HISTORY_LAYOUTS.filter((l) => l.table === name.toLowerCase() && (l.schema === undefined || l.schema === schema));
  if (byName.length === 0) return undefined;
  const have = new Set(columns.map((c) => c.toLowerCase()));
  for (const layout of byName) {
    if (!layout.columns.every((c) => have.has(c))) continue;
    if (layout.exact && have.size !== layout.columns.length) continue;
    return { kind: 'known', layout };
  }
  return { kind: 'unknown', expected: byName };
}

export function layoutOf(tool: ToolId): HistoryLayout {
  return HISTORY_LAYOUTS.find((l) => l.tool === tool)!;
}

/** "migration history of Alembic": the reason copy and verify leave such a table out. */
export function historyReason(layout: HistoryLayout): string {
  return layout.tool === 'cutover' ? "cutover's migration history" : `migration history of ${layout.label}`;
}
