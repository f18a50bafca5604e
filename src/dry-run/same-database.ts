// Is the dry-run database the target (or the source)? Asked on the servers (src/db/same-database.ts);
// when the other side cannot be reached, the URLs are compared and the caller says so.
import crypto from 'node:crypto';
import type pg from 'pg';
import type { PostgresLocation } from '../db/database-url.js';
import { connectPostgres } from '../db/postgres-connect.js';
import { compareConnections } from '../db/same-database.js';

export type Sameness =
  | { same: true; how: string }
  | { same: false; how: string }
  | { same: 'unknown'; reason: string; urlsMatch: boolean };

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
    let otherClient: pg.Client;
    try {
      otherClient = await connectPostgres(other, { input: options.otherInput, attempts: 1, connectTimeoutMs: options.connectTimeoutMs });
    } catch (error) {
      return { same: 'unknown', reason: (error as Error).message, urlsMatch: sameByUrl(probe, other) };
    }
    try {
      return await compareConnections(probeClient, otherClient, options.otherInput);
    } finally {
      await otherClient.end().catch(() => undefined);
    }
  } finally {
    await probeClient.end().catch(() => undefined);
  }
}
