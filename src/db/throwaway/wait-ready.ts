// Polls until a freshly started server accepts queries, failing early when its process or container
// has died, so a crash is reported with its cause instead of after the full timeout.
import type { PostgresLocation } from '../database-url.js';
import { connectPostgres } from '../postgres-connect.js';

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
  const client = await connectPostgres(location, { input: 'the throwaway database', attempts: 1, connectTimeoutMs: timeoutMs });
  try {
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `SHOW server_version`, e.g. "15.14 (Debian 15.14-0+deb12u1)" → "15.14". */
export async function serverVersionOf(location: PostgresLocation): Promise<string | undefined> {
  try {
    const client = await connectPostgres(location, { input: 'the throwaway database', attempts: 1, connectTimeoutMs: 5000 });
    try {
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      return rows[0]?.server_version.split(' ')[0];
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch {
    return undefined;
  }
}
