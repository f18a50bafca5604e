// Runs that need a real session (locks, SET, snapshots) never go through a transaction pooler.
import { parseDatabaseUrl, type PostgresLocation } from '../../src/db/database-url.js';
import { sessionModeOf } from '../../src/db/supabase.js';

const url = (text: string) => parseDatabaseUrl(text, { input: 'test' }) as PostgresLocation;

test('the Supabase transaction pooler (6543) is swapped for the session pooler on the same host, with a warning', () => {
  const given = url('postgresql://postgres.abcd:pw@aws-0-eu-central-1.pooler.supabase.com:6543/postgres');
  const { location, warning } = sessionModeOf(given, "input 'target-url'", 'the sessions a copy needs (its lock, its session settings)', 'the copy writes');
  expect(location).toMatchObject({ host: 'aws-0-eu-central-1.pooler.supabase.com', port: 5432, user: 'postgres.abcd', database: 'postgres' });
  expect(warning).toBe(
    "input 'target-url' points at the Supabase transaction pooler (port 6543), which cannot hold the sessions a copy needs (its lock, its session settings): the copy writes through the session pooler on port 5432 of aws-0-eu-central-1.pooler.supabase.com instead.",
  );
});

test('pgbouncer=true on another host is treated the same way; a session-mode URL is left alone', () => {
  expect(sessionModeOf(url('postgresql://u:p@db.internal:6432/app?pgbouncer=true'), 'x', 'a lock', 'it runs').warning).toMatch(/a transaction-mode pooler \(pgbouncer=true\)/);
  const session = url('postgresql://postgres.abcd:pw@aws-0-eu-central-1.pooler.supabase.com:5432/postgres');
  expect(sessionModeOf(session, 'x', 'a lock', 'it runs')).toEqual({ location: session });
});
