// Schemas whose tables are not the application's data, so copy and verify leave them out by default
// (they are listed in the report as left out, with the reason below). This is the one list; the
// README's "Scope" paragraph repeats it.
//
// - System schemas (pg_catalog, information_schema, pg_toast*, pg_temp*) are never even listed:
//   src/db/pg-introspect.ts does not read them.
// - Supabase platform schemas: created and migrated by Supabase's own services (Auth, Storage,
//   Realtime, Vault, pg_graphql, pg_net, pg_cron, Supavisor, …). A new Supabase project already has
//   them, with its own rows; copying them over would clash with (or silently replace) the target
//   project's users and settings. The list follows the Supabase CLI's `InternalSchemas`
//   (supabase/cli pkg/migration/dump.go), which `supabase db dump` leaves out.
// - Other extensions' bookkeeping schemas from the same list (TimescaleDB, PostGIS topology and
//   the TIGER geocoder, pg_repack, pg_tle, pgmq, dbdev).
// Tables of these schemas are copied only when an include entry names the schema literally, e.g.
// `auth.users` or `auth.*` (a wildcard schema such as `*.users` does not pull them in).

export interface ManagedSchema {
  /** Schema name, or a prefix ending in `*`. */
  schema: string;
  /** Why its tables are left out, as the report says it. */
  reason: string;
}

const SUPABASE = 'Supabase platform schema';

export const MANAGED_SCHEMAS: readonly ManagedSchema[] = [
  { schema: 'auth', reason: SUPABASE },
  { schema: 'storage', reason: SUPABASE },
  { schema: 'realtime', reason: SUPABASE },
  { schema: '_realtime', reason: SUPABASE },
  { schema: 'vault', reason: SUPABASE },
  { schema: 'extensions', reason: SUPABASE },
  { schema: 'graphql', reason: SUPABASE },
  { schema: 'graphql_public', reason: SUPABASE },
  { schema: 'pgsodium', reason: SUPABASE },
  { schema: 'pgsodium_masks', reason: SUPABASE },
  { schema: 'supabase_functions', reason: SUPABASE },
  { schema: 'supabase_migrations', reason: SUPABASE },
  { schema: 'net', reason: SUPABASE },
  { schema: 'cron', reason: SUPABASE },
  { schema: 'pgbouncer', reason: SUPABASE },
  { schema: '_analytics', reason: SUPABASE },
  { schema: '_supavisor', reason: SUPABASE },
  { schema: 'pgmq', reason: 'managed schema (pgmq queues)' },
  { schema: 'pgtle', reason: 'managed schema (pg_tle)' },
  { schema: 'dbdev', reason: 'managed schema (database.dev)' },
  { schema: 'repack', reason: 'managed schema (pg_repack)' },
  { schema: 'topology', reason: 'managed schema (PostGIS topology)' },
  { schema: 'tiger', reason: 'managed schema (PostGIS TIGER geocoder)' },
  { schema: 'tiger_data', reason: 'managed schema (PostGIS TIGER geocoder)' },
  { schema: 'timescaledb_*', reason: 'managed schema (TimescaleDB)' },
  { schema: '_timescaledb_*', reason: 'managed schema (TimescaleDB)' },
];

/** The reason a schema is managed, or undefined for an application schema. */
export function managedSchemaReason(schema: string): string | undefined {
  return MANAGED_SCHEMAS.find((m) => (m.schema.endsWith('*') ? schema.startsWith(m.schema.slice(0, -1)) : schema === m.schema))?.reason;
}

/** cutover's own tables: never copied or verified, whatever include says. */
export const CUTOVER_TABLES: ReadonlyMap<string, string> = new Map([
  ['cutover_migrations', "cutover's migration history"],
  ['cutover_copy_journal', "cutover's copy journal"],
]);
