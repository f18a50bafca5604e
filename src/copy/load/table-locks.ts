// The locks a load needs on its target tables, taken first, in short attempts, before anything is
// changed. An application holding a lock on a target table (an open transaction that read it, say)
// would otherwise make the load's TRUNCATE or DROP INDEX wait for it forever, and while that request
// waits every later query of the application on that table queues behind it. So each attempt waits
// at most migration-lock-timeout, is withdrawn, and is tried again until lock-timeout has passed;
// then the copy fails, naming the sessions that held the tables. Nothing was written by then.
import type pg from 'pg';
import { secondsText } from '../../seconds-text.js';
import { pause } from '../../abortable-pause.js';
import { describeBlocker, findLockHolders, type TableLockMode } from '../../db/lock-blockers.js';
import { qualifiedName } from '../../db/pg-identifiers.js';
import { LockTimeoutError } from '../../errors.js';
import type { Runtime } from '../../runtime.js';
import type { CopySettings } from '../../settings.js';
import type { TablePlan } from '../plan/copy-plan.js';

export interface TableLockTimes {
  /** How long one attempt waits (0: one attempt of totalMs). */
  attemptMs: number;
  /** How long all attempts together may wait. */
  totalMs: number;
}

interface WantedLock {
  relation: string;
  display: string;
  mode: TableLockMode;
}

/**
 * The strongest lock the load takes on each existing table: ACCESS EXCLUSIVE where it truncates, or
 * where the role owns the table (it may drop and rebuild keys and indexes, lift triggers and FORCE
 * RLS); ROW EXCLUSIVE, what COPY takes, elsewhere. Tables create-tables makes do not exist yet.
 */
async function wantedLocks(client: pg.ClientBase, tables: TablePlan[], copy: CopySettings): Promise<WantedLock[]> {
  const existing = tables.filter((t) => !t.ddl);
  if (existing.length === 0) return [];
  const names = existing.map((t) => qualifiedName(t.target.schema, t.target.name));
  const { rows } = await client.query<{ owned: boolean }>(
    `SELECT pg_has_role(c.relowner, 'USAGE') AS owned FROM unnest($1::text[]) WITH ORDINALITY AS t(name, n) JOIN pg_class c ON c.oid = t.name::regclass ORDER BY t.n`,
    [names],
  );
  return existing.map((table, i) => ({
    relation: names[i],
    display: table.display,
    mode: copy.ifTargetNotEmpty === 'truncate' || rows[i].owned ? 'ACCESS EXCLUSIVE' : 'ROW EXCLUSIVE',
  }));
}

interface LockOptions {
  copy: CopySettings;
  times: TableLockTimes;
  runtime: Runtime;
  signal?: AbortSignal;
}

/**
 * Takes every lock of the group's load inside its open transaction, or throws LockTimeoutError; then
 * bounds any other lock wait of the transaction (a row a foreign key's check must lock, the parent
 * table a created table's foreign key is added to) by lock-timeout.
 */
export async function lockTablesForLoad(client: pg.ClientBase, tables: TablePlan[], options: LockOptions): Promise<void> {
  const wanted = await wantedLocks(client, tables, options.copy);
  if (wanted.length > 0) await takeLocks(client, wanted, options);
  const { times } = options;
  await client.query(`SET LOCAL lock_timeout = ${Math.max(1000, times.totalMs, times.attemptMs)}`);
}

async function takeLocks(client: pg.ClientBase, wanted: WantedLock[], options: LockOptions): Promise<void> {
  const { times, runtime, signal } = options;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const left = Math.max(1, times.totalMs - (Date.now() - started));
    const wait = times.attemptMs > 0 ? Math.min(times.attemptMs, left) : left;
    await client.query('SAVEPOINT cutover_table_locks');
    try {
      // lock_timeout 0 would mean no limit: never set it below 1 ms.
      await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(wait))}`);
      for (const lock of wanted) await client.query(`LOCK TABLE ${lock.relation} IN ${lock.mode} MODE`);
      await client.query('RELEASE SAVEPOINT cutover_table_locks');
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== '55P03') throw error;
      await client.query('ROLLBACK TO SAVEPOINT cutover_table_locks');
      await client.query('RELEASE SAVEPOINT cutover_table_locks');
      const holders = await findLockHolders(client, wanted);
      // Name the tables that are held, by whom; all of them only when the holders had gone already.
      const held = holders.length > 0 ? holders.map((h) => `${h.relations.join(', ')} held by ${describeBlocker(h)}`).join('; ') : undefined;
      const who = held ?? 'held by sessions that had ended by the time cutover looked';
      const names = holders.length > 0 ? [...new Set(holders.flatMap((h) => h.relations))].map((r) => `${r} (${wanted.find((w) => w.display === r)?.mode ?? 'a lock'})`).join(', ') : wanted.map((w) => `${w.display} (${w.mode})`).join(', ');
      const waited = Date.now() - started;
      if (waited >= times.totalMs || signal?.aborted) {
        if (signal?.aborted) throw signal.reason;
        throw new LockTimeoutError(
          `Timed out after ${secondsText(waited)} waiting for locks on the target's tables ${names}: ${who}. The copy needs them before it writes anything; nothing was written to the target.`,
          {
            cause: error,
            fix:
              holders.length > 0
                ? `stop the application's use of these tables for the copy (a cutover is best run with the application stopped or read-only elsewhere), or end that session with SELECT pg_terminate_backend(${holders[0].pid}); on the target; or raise lock-timeout to wait longer.`
                : 'run the copy again, or raise lock-timeout to wait longer.',
          },
        );
      }
      const delay = Math.min(1000 * 2 ** (attempt - 1), 10_000, Math.max(0, times.totalMs - waited));
      // The first time as a warning (an application using the target during a copy is worth knowing).
      (attempt === 1 ? runtime.warning : runtime.info)(`Waiting for locks on ${names}: ${who}; the request was withdrawn so that it does not queue the application's queries (attempt ${attempt}, ${secondsText(waited)} of lock-timeout ${secondsText(times.totalMs)}).`);
      await pause(delay, signal);
      if (signal?.aborted) throw signal.reason;
    }
  }
}
