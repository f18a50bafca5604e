// Do two connections reach the same database? URLs cannot tell (localhost vs 127.0.0.1, a DNS alias,
// a pooler port, another user), so the servers are asked. First: the probe connection's backend pid
// and application_name (unique per run) are visible in pg_stat_activity to any role on the same
// server, so the other side looks for exactly that backend in its own current database. Then,
// independently: both report their system identifier (when readable), postmaster start time and
// database oid — a restored clone shares the identifier but not the start time.
import type pg from 'pg';

interface Fingerprint {
  systemIdentifier?: string;
  startedAt: string;
  databaseOid: string;
}

export type Sameness = { same: boolean; how: string };

async function fingerprint(client: pg.ClientBase): Promise<Fingerprint> {
  const { rows } = await client.query<{ started: string; oid: string }>(
    `SELECT extract(epoch FROM pg_postmaster_start_time())::text AS started,
            (SELECT oid::text FROM pg_database WHERE datname = current_database()) AS oid`,
  );
  // Revoked on some managed services; the other checks stand on their own. Asked, not tried: an
  // error would abort the transaction the connection may be in (a source snapshot).
  const { rows: allowed } = await client.query<{ ok: boolean }>(`SELECT has_function_privilege('pg_control_system()', 'EXECUTE') AS ok`);
  const systemIdentifier = allowed[0].ok ? (await client.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()')).rows[0]?.id : undefined;
  return { ...(systemIdentifier ? { systemIdentifier } : {}), startedAt: rows[0].started, databaseOid: rows[0].oid };
}

/**
 * Compares the databases behind two open connections. `probe` must carry an application_name no
 * other session uses. Neither connection may be inside a transaction that already read
 * pg_stat_activity (Postgres keeps that view fixed for the rest of the transaction).
 */
export async function compareConnections(probe: pg.ClientBase, other: pg.ClientBase, otherLabel: string): Promise<Sameness> {
  const me = await probe.query<{ pid: number; app: string }>(`SELECT pg_backend_pid() AS pid, current_setting('application_name') AS app`);
  const seen = await other.query<{ seen: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND application_name = $2 AND datname = current_database()) AS seen`,
    [me.rows[0].pid, me.rows[0].app],
  );
  if (seen.rows[0].seen) return { same: true, how: `the connection shows up in the pg_stat_activity of ${otherLabel}` };
  const [mine, theirs] = [await fingerprint(probe), await fingerprint(other)];
  const identifiers = mine.systemIdentifier && theirs.systemIdentifier;
  if ((!identifiers || mine.systemIdentifier === theirs.systemIdentifier) && mine.startedAt === theirs.startedAt && mine.databaseOid === theirs.databaseOid) {
    return { same: true, how: `both servers report the same ${identifiers ? 'system identifier, ' : ''}start time and database` };
  }
  return { same: false, how: `compared on the servers: ${identifiers ? 'system identifier, ' : ''}start time, database` };
}
