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

/**
 * Where a run that needs a real session (advisory locks, SET, exported snapshots) connects when it
 * was given a transaction pooler: the session pooler on the same host. `needs` completes the
 * warning: "which cannot hold <needs>".
 */
export function sessionModeOf(location: PostgresLocation, input: string, needs: string, what: string): { location: PostgresLocation; warning?: string } {
  if (!isTransactionPooler(location)) return { location };
  const session = sessionPoolerOf(location);
  const pooler = supabaseKind(location) === 'transaction-pooler' ? `the Supabase transaction pooler (port ${location.port})` : 'a transaction-mode pooler (pgbouncer=true)';
  return { location: session, warning: `${input} points at ${pooler}, which cannot hold ${needs}: ${what} through the session pooler on port ${session.port} of ${session.host} instead.` };
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
