// The environment another tool's command runs with: the mode's database (the target, or the dry
// run's throwaway) under the names the tools read, over the job's own environment. The README's
// "Bring your own migrations" section lists them; keep the two in step.
// - DATABASE_URL: dbmate, Prisma's `env("DATABASE_URL")`, dj-database-url, most Alembic env.py files;
//   always `postgresql://` (SQLAlchemy 1.4+ refuses `postgres://`), password percent-encoded.
// - DIRECT_URL: Prisma's `directUrl`, which `prisma migrate` uses when DATABASE_URL is a pooler.
// - PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (+ PGSSLMODE, PGSSLROOTCERT): libpq, so psql,
//   psycopg2 (Django with empty HOST/NAME…) and anything linked to libpq.
// - FLYWAY_URL (jdbc:postgresql://…), FLYWAY_USER, FLYWAY_PASSWORD: Flyway's environment configuration.
import type { PostgresLocation } from '../../db/database-url.js';

/** Names cutover sets; a value the job already had under one of them is replaced. */
export const COMMAND_ENV_NAMES = ['DATABASE_URL', 'DIRECT_URL', 'PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'PGSSLMODE', 'PGSSLROOTCERT', 'FLYWAY_URL', 'FLYWAY_USER', 'FLYWAY_PASSWORD'] as const;

// cutover's own URL parameters that libpq and the tools do not know (src/db/url-parameters.ts).
const CUTOVER_ONLY = new Set(['pgbouncer', 'connection_limit', 'pool_timeout']);

function query(location: PostgresLocation): URLSearchParams {
  const params = new URLSearchParams();
  if (location.sslmode) params.set('sslmode', location.sslmode);
  if (location.sslrootcert) params.set('sslrootcert', location.sslrootcert);
  for (const [key, value] of Object.entries(location.params)) if (!CUTOVER_ONLY.has(key)) params.set(key, value);
  return params;
}

export function databaseUrl(location: PostgresLocation, password: string | undefined): string {
  const user = location.user ? `${encodeURIComponent(location.user)}${password !== undefined ? `:${encodeURIComponent(password)}` : ''}@` : '';
  const host = location.host.includes(':') ? `[${location.host}]` : location.host;
  const qs = query(location).toString();
  return `postgresql://${user}${host}:${location.port}/${encodeURIComponent(location.database)}${qs ? `?${qs}` : ''}`;
}

/** The command's environment: the job's, with the database under every name above. */
export function commandEnv(location: PostgresLocation, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of COMMAND_ENV_NAMES) delete env[name];
  // A URL without a password connects with PGPASSWORD, as cutover itself does.
  const password = location.password ?? base.PGPASSWORD;
  const url = databaseUrl(location, password);
  Object.assign(env, {
    DATABASE_URL: url,
    DIRECT_URL: url,
    PGHOST: location.host,
    PGPORT: String(location.port),
    PGUSER: location.user,
    PGDATABASE: location.database,
    FLYWAY_USER: location.user,
  });
  if (password !== undefined) Object.assign(env, { PGPASSWORD: password, FLYWAY_PASSWORD: password });
  if (location.sslmode) env.PGSSLMODE = location.sslmode;
  if (location.sslrootcert) env.PGSSLROOTCERT = location.sslrootcert;
  const jdbcQuery = new URLSearchParams();
  if (location.sslmode) jdbcQuery.set('sslmode', location.sslmode);
  if (location.sslrootcert) jdbcQuery.set('sslrootcert', location.sslrootcert);
  const host = location.host.includes(':') ? `[${location.host}]` : location.host;
  env.FLYWAY_URL = `jdbc:postgresql://${host}:${location.port}/${encodeURIComponent(location.database)}${jdbcQuery.size ? `?${jdbcQuery}` : ''}`;
  return env;
}
