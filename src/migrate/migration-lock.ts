// The PostgreSQL migration lock: a session advisory lock held on a dedicated connection for the whole
// run, so a second concurrent run waits and then finds nothing pending. Waiting (by polling, see
// acquireMigrationLock) is bounded by lock-timeout; on timeout we name the backend holding the lock
// (pg_locks + pg_stat_activity).
// SQLite has no such lock: writers wait for the file's write lock (busy_timeout), see sqliteBusyError.
import type pg from 'pg';
import { describeHolder, findAdvisoryLockHolder, pollAdvisoryLock, releaseAdvisoryLock, type AdvisoryKey } from '../db/advisory-lock.js';
import { CancelledError, LockTimeoutError } from '../errors.js';
import type { Runtime } from '../runtime.js';

/** Two-int advisory key: 'cutv' and 1 (= migrations). pg_locks shows it as classid/objid, objsubid 2. */
export const LOCK_KEY: AdvisoryKey = [0x63757476, 1];

export interface AcquireLockOptions {
  /** 0 = do not wait at all. */
  timeoutMs: number;
  runtime: Runtime;
  /** Label of the target in messages. */
  input: string;
  /** Stops the wait with CancelledError. */
  signal?: AbortSignal;
  /** How often a long wait is reported in the log (default 30 s). */
  progressEveryMs?: number;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/**
 * Takes the lock on `client` (a connection used for nothing else) or throws LockTimeoutError.
 * Waiting polls (src/db/advisory-lock.ts): a waiter blocked in `SELECT pg_advisory_lock(…)` would
 * hold a snapshot that a `CREATE INDEX CONCURRENTLY` migration of the lock's holder waits for.
 */
export async function acquireMigrationLock(client: pg.Client, options: AcquireLockOptions): Promise<void> {
  const started = Date.now();
  let waited = false;
  const taken = await pollAdvisoryLock(client, LOCK_KEY, {
    timeoutMs: options.timeoutMs,
    progressMs: options.progressEveryMs ?? 30_000,
    ...(options.signal ? { signal: options.signal } : {}),
    onWait: (holder, ms) => {
      if (options.timeoutMs === 0) return;
      waited = true;
      const who = holder ? describeHolder(holder) : 'another session';
      if (ms === 0) options.runtime.info(`Waiting up to ${seconds(options.timeoutMs)} for the migration lock on ${options.input}, held by ${who}.`);
      else options.runtime.info(`Still waiting for the migration lock on ${options.input} after ${Math.round(ms / 1000)} s (${Math.max(0, Math.round((options.timeoutMs - ms) / 1000))} s left), held by ${who}.`);
    },
  });
  if (taken) {
    if (waited) options.runtime.info(`Got the migration lock on ${options.input} after ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return;
  }
  if (options.signal?.aborted) throw new CancelledError(`Cancelled while waiting for the migration lock on ${options.input}: no migration was run by this run.`);
  const current = await findAdvisoryLockHolder(client, LOCK_KEY);
  const who = current ? describeHolder(current) : 'another session (it was released just as we gave up)';
  throw new LockTimeoutError(
    `Timed out after ${seconds(options.timeoutMs)} waiting for the migration lock on ${options.input}: it is held by ${who}, probably another cutover run migrating the same database.`,
    {
      fix: current
        ? `wait for that run to finish and retry, raise lock-timeout, or if that session is stuck end it with SELECT pg_terminate_backend(${current.pid});`
        : 'retry the run, or raise lock-timeout.',
    },
  );
}

export async function releaseMigrationLock(client: pg.Client): Promise<void> {
  await releaseAdvisoryLock(client, LOCK_KEY);
}

/** True for SQLite's "database is locked" errors (another connection holds the write lock). */
export function isSqliteBusy(error: unknown): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: string })?.code ?? ''));
}

export function sqliteBusyError(cause: unknown, timeoutMs: number, input: string): LockTimeoutError {
  return new LockTimeoutError(`Timed out after ${seconds(timeoutMs)} waiting for the write lock on the SQLite database ${input}: another process is writing to it.`, {
    cause,
    fix: 'stop the other writer (another cutover run, the app, or a DB browser with a transaction open), or raise lock-timeout.',
  });
}
