// Session settings every cutover connection used for copying or checksums gets, so that text
// forms are identical on both sides (dates ISO, floats exact) and long copies are not cut off by a
// role's statement_timeout (Supabase sets one).
import type pg from 'pg';

export async function prepareCopySession(client: pg.ClientBase): Promise<void> {
  await client.query(
    `SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; SET TimeZone = 'UTC';
     SET statement_timeout = 0; SET idle_in_transaction_session_timeout = 0; SET client_encoding = 'UTF8'`,
  );
  await noticeLostClients(client);
}

/**
 * When cutover goes away (killed, cancelled: it destroys its sockets) the server must notice at once,
 * even while the session waits on a lock or runs a long statement, or it would keep its transaction
 * and locks: on PostgreSQL 14+ client_connection_check_interval polls the socket during queries; and
 * TCP keepalives from the server side find a client whose machine vanished in about 25 s.
 */
async function noticeLostClients(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`);
  const check = rows[0].v >= 140000 ? `SET client_connection_check_interval = 1000; ` : '';
  await client.query(`${check}SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3`);
}

/** Reader sessions (the source, and the target when verify reads it): with row_security off, as
 *  pg_dump sets it, a table whose policies would filter rows makes the query fail ("query would be
 *  affected by row-level security policy") instead of silently returning fewer rows. The preflight
 *  (src/copy/plan/row-security-preflight.ts) refuses such tables first, with the fix; this is the
 *  guarantee behind it. */
export async function prepareSourceReadSession(client: pg.ClientBase): Promise<void> {
  await prepareCopySession(client);
  await client.query('SET row_security = off');
}
