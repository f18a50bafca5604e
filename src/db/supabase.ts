// Supabase specifics that bite in CI: the transaction pooler (port 6543) cannot hold session advisory
// locks or named prepared statements, and the direct host db.<ref>.supabase.co is IPv6-only, which
// GitHub-hosted runners cannot reach.
import type { PostgresLocation } from './database-url.js';

export type SupabaseKind = 'transaction-pooler' | 'session-pooler' | 'direct' | 'none';

export function supabaseKind(location: PostgresLocation): SupabaseKind {
  const host = location.host.toLowerCase();
  if (host.endsWith('.pooler.supabase.com')) return location.port === 6543 ? 'transaction-pooler' : 'session-pooler';
  if (/^db\.[a-z0-9]+\.supabase\.co$/.test(host)) return 'direct';
  return 'none';
}

/** A pgbouncer-style transaction pooler on any host: Supabase's 6543, or an explicit pgbouncer=true. */
export function isTransactionPooler(location: PostgresLocation): boolean {
  return supabaseKind(location) === 'transaction-pooler' || location.params.pgbouncer === 'true';
}

/** The session-mode address on the same Supabase pooler host (port 5432), used for migrations. */
export function sessionPoolerOf(location: PostgresLocation): PostgresLocation {
  return { ...location, port: 5432 };
}

/** The project ref in db.<ref>.supabase.co, if this is a direct Supabase host. */
export function supabaseProjectRef(location: PostgresLocation): string | undefined {
  return /^db\.([a-z0-9]+)\.supabase\.co$/.exec(location.host.toLowerCase())?.[1];
}

export function directHostAdvice(location: PostgresLocation): string {
  const ref = supabaseProjectRef(location) ?? '<project-ref>';
  return (
    `db.${ref}.supabase.co only has an IPv6 address and GitHub-hosted runners have no IPv6: use the Supabase ` +
    `session pooler instead, postgresql://postgres.${ref}:PASSWORD@aws-0-<region>.pooler.supabase.com:5432/postgres ` +
    `(Project Settings → Database → Connection string → Session pooler).`
  );
}
