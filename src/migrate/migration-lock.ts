// The PostgreSQL migration lock: a session advisory lock held on a dedicated connection for the whole
// run, so a second concurrent run waits and then finds nothing pending. Waiting (by polling, see
// acquireMigrationLock) is bounded by lock-timeout; on timeout we name the backend holding the lock
// (pg_locks + pg_stat_activity).
// SQLite has no such lock: writers wait for the file's write lock (busy_timeout), see sqliteBusyError.
import type pg from 'pg';
import { CancelledError, LockTimeoutError } from '../errors.js';
import type { Runtime } from '../runtime.js';

/** Two-int advisory key: 'cutv' and 1 (= migrations). pg_locks shows it as classid/objid, objsubid 2. */
export const LOCK_KEY: readonly [number, number] = [0x63757476, 1];

export interface LockHolder {
  pid: number;
  applicationName: string | null;
  user: string | null;
  clientAddr: string | null;
  backendStart: string | null;
  state: string | null;
}

export async function findLockHolder(client: pg.Client): Promise<LockHolder | undefined> {
  const { rows } = await client.query(
    `SELECT l.pid, a.application_name, a.usename, a.client_addr::text AS client_addr, a.backend_start, a.state
       FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = $1::int4::oid AND l.objid = $2::int4::oid AND l.objsubid = 2
        AND l.pid <> pg_backend_pid()
      LIMIT 1`,
    [LOCK_KEY[0], LOCK_KEY[1]],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    pid: Number(row.pid),
    applicationName: row.application_name ?? null,
    user: row.usename ?? null,
    clientAddr: row.client_addr ?? null,
    backendStart: row.backend_start instanceof Date ? row.backend_start.toISOString() : row.backend_start ?? null,
    state: row.state ?? null,
  };
}

export function describeHolder(holder: LockHolder): string {
  const parts = [`application_name '${holder.applicationName ?? ''}'`];
  if (holder.user) parts.push(`user ${holder.user}`);
  if (holder.clientAddr) parts.push(`from ${holder.clientAddr}`);
  if (holder.backendStart) parts.push(`connected since ${holder.backendStart}`);
  if (holder.state) parts.push(`state ${holder.state}`);
  return `backend pid ${holder.pid} (${parts.join(', ')})`;
}

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

const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 1000;

async function tryLock(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query('SELECT pg_try_advisory_lock($1, $2) AS locked', [LOCK_KEY[0], LOCK_KEY[1]]);
  return rows[0].locked === true;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Takes the lock on `client` (a connection used for nothing else) or throws LockTimeoutError.
 *
 * A waiter polls pg_try_advisory_lock and sleeps between polls with no statement or transaction
 * open. It must not block in `SELECT pg_advisory_lock(…)`: that statement holds a snapshot, and a
 * `CREATE INDEX CONCURRENTLY` migration in the run holding the lock waits for every older snapshot
 * to go away — a deadlock Postgres does not detect, which would last until lock-timeout.
 */
export async function acquireMigrationLock(client: pg.Client, options: AcquireLockOptions): Promise<void> {
  if (await tryLock(client)) return;

  let holder = await findLockHolder(client);
  const started = Date.now();
  if (options.timeoutMs > 0) {
    options.runtime.info(`Waiting up to ${seconds(options.timeoutMs)} for the migration lock on ${options.input}, held by ${holder ? describeHolder(holder) : 'another session'}.`);
    const deadline = started + options.timeoutMs;
    const progressEveryMs = options.progressEveryMs ?? 30_000;
    let nextProgress = started + progressEveryMs;
    let poll = FIRST_POLL_MS;
    while (Date.now() < deadline) {
      await pause(Math.min(poll, Math.max(0, deadline - Date.now())), options.signal);
      if (options.signal?.aborted) {
        throw new CancelledError(`Cancelled while waiting for the migration lock on ${options.input}: no migration was run by this run.`);
      }
      if (await tryLock(client)) {
        options.runtime.info(`Got the migration lock on ${options.input} after ${((Date.now() - started) / 1000).toFixed(1)} s.`);
        return;
      }
      poll = Math.min(MAX_POLL_MS, poll * 2);
      if (Date.now() >= nextProgress) {
        nextProgress += progressEveryMs;
        holder = (await findLockHolder(client)) ?? holder;
        const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
        options.runtime.info(`Still waiting for the migration lock on ${options.input} after ${Math.round((Date.now() - started) / 1000)} s (${left} s left), held by ${holder ? describeHolder(holder) : 'another session'}.`);
      }
    }
  }
  const current = (await findLockHolder(client)) ?? holder;
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
  await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_KEY[0], LOCK_KEY[1]]);
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
