// Do two connections reach the same database? URLs cannot tell (localhost vs 127.0.0.1, a DNS alias,
// a pooler in front of the server), so ask the servers: the target connection's backend pid and its
// application_name (unique per run) are visible in pg_stat_activity to any role on the same server,
// and the source looks for exactly that backend in its own current database.
import type pg from 'pg';

export async function isSameDatabase(source: pg.ClientBase, target: pg.ClientBase): Promise<boolean> {
  const me = await target.query<{ pid: number; app: string }>(`SELECT pg_backend_pid() AS pid, current_setting('application_name') AS app`);
  const { pid, app } = me.rows[0];
  const seen = await source.query<{ same: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND application_name = $2 AND datname = current_database()) AS same`,
    [pid, app],
  );
  return seen.rows[0].same;
}
