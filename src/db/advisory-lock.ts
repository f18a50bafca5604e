// Session advisory locks taken by polling. A waiter never sits in `SELECT pg_advisory_lock(…)`: that
// statement keeps a snapshot open for as long as it waits, and a `CREATE INDEX CONCURRENTLY` run by
// the lock's holder waits for every such snapshot to go away — a cycle Postgres does not detect.
// Between polls the waiting connection is idle, outside any transaction, so it blocks nothing.
import type pg from 'pg';

export interface LockHolder {
  pid: number;
  applicationName: string | null;
  user: string | null;
  clientAddr: string | null;
  backendStart: string | null;
  state: string | null;
}

/** Two int4 keys; pg_locks shows them as classid/objid with objsubid 2. */
export type AdvisoryKey = readonly [number, number];

export async function tryAdvisoryLock(client: pg.ClientBase, key: AdvisoryKey): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [key[0], key[1]]);
  return rows[0].locked;
}

export async function releaseAdvisoryLock(client: pg.ClientBase, key: AdvisoryKey): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1, $2)', [key[0], key[1]]);
}

export async function findAdvisoryLockHolder(client: pg.ClientBase, key: AdvisoryKey): Promise<LockHolder | undefined> {
  const { rows } = await client.query(
    `SELECT l.pid, a.application_name, a.usename, a.client_addr::text AS client_addr, a.backend_start, a.state
       FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = $1::int4::oid AND l.objid = $2::int4::oid AND l.objsubid = 2
        AND l.pid <> pg_backend_pid()
      LIMIT 1`,
    [key[0], key[1]],
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

export interface PollOptions {
  timeoutMs: number;
  /** Told when the wait starts and every `progressMs` while it lasts. */
  onWait: (holder: LockHolder | undefined, waitedMs: number) => void;
  progressMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Takes the lock, polling until `timeoutMs`. Resolves true when taken; false when the time ran out
 * (the caller names the holder with findAdvisoryLockHolder) or the signal aborted.
 */
export async function pollAdvisoryLock(client: pg.ClientBase, key: AdvisoryKey, options: PollOptions): Promise<boolean> {
  if (await tryAdvisoryLock(client, key)) return true;
  const started = Date.now();
  const progressMs = options.progressMs ?? 10_000;
  let nextReport = started;
  let pollMs = options.pollMs ?? 100;
  for (;;) {
    const waited = Date.now() - started;
    if (Date.now() >= nextReport) {
      options.onWait(await findAdvisoryLockHolder(client, key), waited);
      nextReport = Date.now() + progressMs;
    }
    if (waited >= options.timeoutMs || options.signal?.aborted) return false;
    await sleep(Math.min(pollMs, Math.max(1, options.timeoutMs - waited)), options.signal);
    pollMs = Math.min(pollMs * 2, 1000);
    if (await tryAdvisoryLock(client, key)) return true;
  }
}
