// Who blocks a session waiting for a lock (a migration, a copy). While a migration runs, a second
// connection (the run's lock connection, idle otherwise) looks every few hundred ms whether the
// migration's backend waits for a lock and, if so, which sessions hold it (pg_blocking_pids). Once
// lock_timeout has cancelled the wait, Postgres no longer knows who blocked it: the last observation
// is what the error names. A copy, which locks its tables first, asks who holds conflicting locks.
import type pg from 'pg';

export interface Blocker {
  pid: number;
  applicationName: string;
  user: string | null;
  state: string | null;
  /** Redacted (string literals hidden) and shortened. */
  query: string;
  /** How long the blocker's transaction has been open: it holds its locks until it ends. */
  transactionMs: number | null;
}

export interface BlockedWait {
  /** What the migration waited for, e.g. "AccessExclusiveLock on public.users". */
  waitingFor: string | null;
  blockers: Blocker[];
}

const QUERY_MAX = 160;

/** The blocker's query without string literals (they may hold user data) and cut to a readable length. */
export function redactQuery(query: string): string {
  const flat = query
    .replace(/'(?:[^']|'')*'/g, "'…'")
    .replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, () => '$$…$$')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > QUERY_MAX ? `${flat.slice(0, QUERY_MAX - 1)}…` : flat;
}

/** A pg_stat_activity row (pid, application_name, usename, state, query, transaction_ms) as a Blocker. */
function toBlocker(row: Record<string, unknown>): Blocker {
  return {
    pid: Number(row.pid),
    applicationName: (row.application_name as string | null) ?? '',
    user: (row.usename as string | null) ?? null,
    state: (row.state as string | null) ?? null,
    query: redactQuery(String(row.query ?? '')),
    transactionMs: row.transaction_ms === null || row.transaction_ms === undefined ? null : Number(row.transaction_ms),
  };
}

/** The sessions blocking backend `pid`, or undefined when it is not waiting for a lock right now. */
export async function findBlockers(monitor: pg.Client, pid: number): Promise<BlockedWait | undefined> {
  // The lateral join calls pg_blocking_pids (which briefly locks the lock manager) only while the
  // migration actually waits for a lock.
  const { rows } = await monitor.query(
    `SELECT b.pid, b.application_name, b.usename, b.state, b.query,
            (extract(epoch FROM clock_timestamp() - b.xact_start) * 1000)::bigint AS transaction_ms
       FROM pg_stat_activity w
      CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS bp(pid)
       JOIN pg_stat_activity b ON b.pid = bp.pid
      WHERE w.pid = $1 AND w.wait_event_type = 'Lock'
      ORDER BY b.xact_start NULLS LAST`,
    [pid],
  );
  if (rows.length === 0) return undefined;
  const waiting = await monitor.query(
    `SELECT l.mode, l.locktype, CASE WHEN l.relation IS NOT NULL THEN l.relation::regclass::text END AS relation
       FROM pg_locks l WHERE l.pid = $1 AND NOT l.granted LIMIT 1`,
    [pid],
  );
  const lock = waiting.rows[0];
  return {
    waitingFor: lock ? `${lock.mode} on ${lock.relation ?? `a ${lock.locktype} lock`}` : null,
    blockers: rows.map(toBlocker),
  };
}

/** Table lock modes, as LOCK TABLE names them, and the pg_locks modes each conflicts with. */
export type TableLockMode = 'ACCESS EXCLUSIVE' | 'ROW EXCLUSIVE';
const CONFLICTS: Record<TableLockMode, string[]> = {
  'ACCESS EXCLUSIVE': ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  'ROW EXCLUSIVE': ['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
};

/** Other sessions holding (or queued for) locks on `relations` that conflict with the wanted modes, with the relations they hold. */
export async function findLockHolders(client: pg.ClientBase, wanted: Array<{ relation: string; mode: TableLockMode; display?: string }>): Promise<Array<Blocker & { relations: string[] }>> {
  const { rows } = await client.query(
    `SELECT b.pid, b.application_name, b.usename, b.state, b.query,
            (extract(epoch FROM clock_timestamp() - b.xact_start) * 1000)::bigint AS transaction_ms,
            array_agg(DISTINCT w.relation ORDER BY w.relation) AS relations
       FROM unnest($1::text[], $2::text[]) AS w(relation, conflicts)
       JOIN pg_locks l ON l.locktype = 'relation' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                      AND l.relation = w.relation::regclass AND l.mode = ANY (string_to_array(w.conflicts, ','))
       JOIN pg_stat_activity b ON b.pid = l.pid
      WHERE l.pid <> pg_backend_pid()
      GROUP BY b.pid, b.application_name, b.usename, b.state, b.query, b.xact_start`,
    [wanted.map((w) => w.relation), wanted.map((w) => CONFLICTS[w.mode].join(','))],
  );
  const display = new Map(wanted.map((w) => [w.relation, w.display ?? w.relation]));
  return rows
    .map((row) => ({ ...toBlocker(row), relations: (row.relations as string[]).map((r) => display.get(r) ?? r) }))
    .sort((a, b) => (b.transactionMs ?? -1) - (a.transactionMs ?? -1));
}

export interface BlockerWatch {
  /** Stops watching; resolves to the last wait observed (undefined: never seen waiting for a lock). */
  stop(): Promise<BlockedWait | undefined>;
}

/** Looks every `everyMs` whether backend `pid` is blocked, remembering the last observation. */
export function watchBlockers(monitor: pg.Client, pid: number, everyMs: number): BlockerWatch {
  let last: BlockedWait | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  const tick = () => {
    inFlight = findBlockers(monitor, pid)
      .then((seen) => {
        if (seen) last = seen;
      })
      .catch(() => undefined) // a failed look must not fail the migration
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, everyMs);
      });
  };
  timer = setTimeout(tick, Math.min(everyMs, 100));
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      return last;
    },
  };
}

function duration(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

export function describeBlocker(blocker: Blocker): string {
  const parts = [`application_name '${blocker.applicationName}'`];
  if (blocker.user) parts.push(`user ${blocker.user}`);
  if (blocker.state) parts.push(`state ${blocker.state}`);
  if (blocker.transactionMs !== null) parts.push(`in a transaction open for ${duration(blocker.transactionMs)}, holding the lock until it ends`);
  // A role without pg_read_all_stats sees other users' sessions without their state and query.
  if (blocker.query === '<insufficient privilege>') parts.push('its state and query are hidden from this role (pg_read_all_stats would show them)');
  else if (blocker.query) parts.push(`${blocker.state === 'active' ? 'running' : 'last query'}: ${blocker.query}`);
  return `backend pid ${blocker.pid} (${parts.join('; ')})`;
}

/** "waiting for AccessExclusiveLock on public.users, held by backend pid 42 (…)" */
export function describeWait(wait: BlockedWait): string {
  const who = wait.blockers.map(describeBlocker).join(' and ');
  return `${wait.waitingFor ? `waiting for ${wait.waitingFor}, ` : ''}blocked by ${who}`;
}
