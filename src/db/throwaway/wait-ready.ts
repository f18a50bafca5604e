// Polls until a freshly started server accepts queries, failing early when its process or container
// has died, so a crash is reported with its cause instead of after the full timeout.
import pg from 'pg';
import type { PostgresLocation } from '../database-url.js';

export interface WaitOptions {
  /** Resolves true when ready; false or a rejection means "not yet". */
  probe(): Promise<boolean>;
  /** Resolves false when the server is gone for good (exited container, dead process). */
  alive?(): Promise<boolean>;
  timeoutMs: number;
  intervalMs?: number;
  /** For tests. */
  sleep?(ms: number): Promise<void>;
  now?(): number;
}

export type WaitOutcome = { ready: true; attempts: number } | { ready: false; attempts: number; reason: 'timeout' | 'died'; lastError?: string };

export async function waitUntilReady(options: WaitOptions): Promise<WaitOutcome> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  const interval = options.intervalMs ?? 250;
  let attempts = 0;
  let lastError: string | undefined;
  for (;;) {
    attempts += 1;
    try {
      if (await options.probe()) return { ready: true, attempts };
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (options.alive && !(await options.alive().catch(() => true))) return { ready: false, attempts, reason: 'died', ...(lastError ? { lastError } : {}) };
    if (now() >= deadline) return { ready: false, attempts, reason: 'timeout', ...(lastError ? { lastError } : {}) };
    await sleep(Math.min(interval * Math.min(attempts, 4), 1000));
  }
}

/** One connection attempt + `SELECT 1`. */
export async function probePostgres(location: PostgresLocation, timeoutMs = 3000): Promise<boolean> {
  const client = new pg.Client({
    host: location.host,
    port: location.port,
    user: location.user,
    database: location.database,
    ...(location.password !== undefined ? { password: location.password } : {}),
    connectionTimeoutMillis: timeoutMs,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `SHOW server_version`, e.g. "15.14 (Debian 15.14-0+deb12u1)" → "15.14". */
export async function serverVersionOf(location: PostgresLocation): Promise<string | undefined> {
  const client = new pg.Client({
    host: location.host,
    port: location.port,
    user: location.user,
    database: location.database,
    ...(location.password !== undefined ? { password: location.password } : {}),
    connectionTimeoutMillis: 5000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version.split(' ')[0];
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
