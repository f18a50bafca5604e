// Real PostgreSQL for tests: each test file gets its own freshly created database.
import crypto from 'node:crypto';
import pg from 'pg';
import { parseDatabaseUrl, type PostgresLocation } from '../../src/db/database-url.js';

export function adminUrl(): string {
  const url = process.env.CUTOVER_TEST_PG_URL;
  if (!url) throw new Error('CUTOVER_TEST_PG_URL is not set (test/global-setup.ts should have set it)');
  return url;
}

export function urlForDatabase(database: string, base = adminUrl()): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  location: PostgresLocation;
  /** Run SQL on the test database (a fresh connection each call). */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<T>>;
  drop(): Promise<void>;
}

/** Run `fn` on a superuser connection to the test server's maintenance database. */
export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${crypto.randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = urlForDatabase(name);
  return {
    name,
    url,
    location: parseDatabaseUrl(url, { input: 'test' }) as PostgresLocation,
    async query(sql, params) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await client.query(sql, params);
      } finally {
        await client.end();
      }
    },
    async drop() {
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
