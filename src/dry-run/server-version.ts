// Asks a Postgres server for its major version (to start a throwaway database of the same major).
import type { PostgresLocation } from '../db/database-url.js';
import { connectPostgres } from '../db/postgres-connect.js';

export async function serverMajorVersion(location: PostgresLocation, input: string, connectTimeoutMs: number): Promise<number> {
  const client = await connectPostgres(location, { input, attempts: 1, connectTimeoutMs });
  try {
    const { rows } = await client.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
    return Math.floor(Number(rows[0].v) / 10000);
  } finally {
    await client.end();
  }
}
