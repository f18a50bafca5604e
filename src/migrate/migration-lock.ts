// The PostgreSQL migration lock: a session advisory lock held on a dedicated connection for the whole
// run, so a second concurrent run waits and then finds nothing pending. Waiting is bounded by
// lock_timeout; on timeout we name the backend holding the lock (pg_locks + pg_stat_activity).
// SQLite has no such lock: writers wait for the file's write lock (busy_timeout), see sqliteBusyError.
import type pg from 'pg';
import { LockTimeoutError } from '../errors.js';
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
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Takes the lock on `client` (a connection used for nothing else) or throws LockTimeoutError. */
export async function acquireMigrationLock(client: pg.Client, options: AcquireLockOptions): Promise<void> {
  const { rows } = await client.query('SELECT pg_try_advisory_lock($1, $2) AS locked', [LOCK_KEY[0], LOCK_KEY[1]]);
  if (rows[0].locked) return;

  const holder = await findLockHolder(client);
  if (options.timeoutMs > 0) {
    options.runtime.info(`Waiting up to ${seconds(options.timeoutMs)} for the migration lock on ${options.input}, held by ${holder ? describeHolder(holder) : 'another session'}.`);
    try {
      await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(options.timeoutMs))}`);
      await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_KEY[0], LOCK_KEY[1]]);
      await client.query('RESET lock_timeout');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55P03') throw error;
      await client.query('RESET lock_timeout').catch(() => undefined);
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
