// Is the dry-run database the target (or the source)? URLs cannot tell: localhost and 127.0.0.1, a
// DNS alias, a pooler port or another user all reach the same database. So both servers are asked:
// the throwaway connection carries a unique application_name, and the other side looks for that
// backend in its own pg_stat_activity (pid, application_name and database are visible to every user);
// independently, both report their system identifier (when readable), postmaster start time and
// database oid — a restored clone shares the identifier but not the start time.
import crypto from 'node:crypto';
import type pg from 'pg';
import type { PostgresLocation } from '../db/database-url.js';
import { connectPostgres } from '../db/postgres-connect.js';

interface Fingerprint {
  systemIdentifier?: string;
  startedAt: string;
  databaseOid: string;
  database: string;
}

export type Sameness =
  | { same: true; how: string }
  | { same: false; how: string }
  | { same: 'unknown'; reason: string; urlsMatch: boolean };

async function fingerprint(client: pg.Client): Promise<Fingerprint> {
  const { rows } = await client.query<{ started: string; oid: string; database: string }>(
    `SELECT extract(epoch FROM pg_postmaster_start_time())::text AS started, current_database() AS database,
            (SELECT oid::text FROM pg_database WHERE datname = current_database()) AS oid`,
  );
  let systemIdentifier: string | undefined;
  try {
    // Revoked on some managed services; the other checks stand on their own.
    systemIdentifier = (await client.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()')).rows[0]?.id;
  } catch {
    systemIdentifier = undefined;
  }
  return { ...(systemIdentifier ? { systemIdentifier } : {}), startedAt: rows[0].started, databaseOid: rows[0].oid, database: rows[0].database };
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|0:0:0:0:0:0:0:1)$/i;

/** Same host (loopback spellings folded together), port and database name. */
export function sameByUrl(a: PostgresLocation, b: PostgresLocation): boolean {
  const host = (location: PostgresLocation) => (LOOPBACK.test(location.host) ? 'loopback' : location.host.toLowerCase());
  return host(a) === host(b) && a.port === b.port && a.database === b.database;
}

export interface CompareOptions {
  probeInput: string;
  otherInput: string;
  connectTimeoutMs: number;
}

/** Compares the database at `probe` with the one at `other` on the servers themselves. */
export async function compareDatabases(probe: PostgresLocation, other: PostgresLocation, options: CompareOptions): Promise<Sameness> {
  const marker = `cutover-probe-${crypto.randomBytes(6).toString('hex')}`;
  const probeClient = await connectPostgres(probe, { input: options.probeInput, attempts: 1, connectTimeoutMs: options.connectTimeoutMs, applicationName: marker });
  try {
    const pid = (await probeClient.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const mine = await fingerprint(probeClient);
    let otherClient: pg.Client;
    try {
      otherClient = await connectPostgres(other, { input: options.otherInput, attempts: 1, connectTimeoutMs: options.connectTimeoutMs });
    } catch (error) {
      return { same: 'unknown', reason: (error as Error).message, urlsMatch: sameByUrl(probe, other) };
    }
    try {
      const seen = await otherClient.query<{ seen: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND application_name = $2 AND datname = current_database()) AS seen`,
        [pid, marker],
      );
      if (seen.rows[0].seen) return { same: true, how: `the dry-run connection shows up in the pg_stat_activity of ${options.otherInput}` };
      const theirs = await fingerprint(otherClient);
      const identifiers = mine.systemIdentifier && theirs.systemIdentifier;
      if ((!identifiers || mine.systemIdentifier === theirs.systemIdentifier) && mine.startedAt === theirs.startedAt && mine.databaseOid === theirs.databaseOid) {
        return { same: true, how: `both servers report the same ${identifiers ? 'system identifier, ' : ''}start time and database` };
      }
      return { same: false, how: `compared on the servers: ${identifiers ? 'system identifier, ' : ''}start time, database` };
    } finally {
      await otherClient.end().catch(() => undefined);
    }
  } finally {
    await probeClient.end().catch(() => undefined);
  }
}
