// Session settings every cutover connection used for copying or checksums gets, so that text
// forms are identical on both sides (dates ISO, floats exact) and long copies are not cut off by a
// role's statement_timeout (Supabase sets one).
import type pg from 'pg';

export async function prepareCopySession(client: pg.ClientBase): Promise<void> {
  await client.query(
    `SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; SET TimeZone = 'UTC';
     SET statement_timeout = 0; SET idle_in_transaction_session_timeout = 0; SET client_encoding = 'UTF8'`,
  );
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
