// The commit journal of a copy that loads through several connections. Postgres cannot commit
// transactions of different connections atomically (two-phase commit is off on managed servers), so
// between the first and the last COMMIT a killed process or a lost connection would leave some tables
// filled and others empty. Each load transaction therefore writes its tables into this journal before
// it commits; when every transaction has committed, the run's rows are deleted (and the table dropped
// once empty, so a finished copy leaves no trace). Rows still present at the start of the next copy
// are an interrupted commit: if some of its transactions never committed, the tables that did were
// empty before (only if-target-not-empty: fail copies use several transactions), so the next copy
// empties them again and restores their sequences — unless someone has written to them since.
import type pg from 'pg';
import { qualifiedName, quoteLiteral } from '../../db/pg-identifiers.js';
import { CopyError, LockTimeoutError } from '../../errors.js';
import type { Runtime } from '../../runtime.js';

export const JOURNAL_TABLE = 'cutover_copy_journal';

export interface SequenceState {
  sequence: string;
  lastValue: string;
  isCalled: boolean;
}

export interface JournalEntry {
  /** Quoted schema.table. */
  table: string;
  display: string;
  /** Created by this copy (create-tables): undone by DROP rather than TRUNCATE. */
  created: boolean;
  rows: number;
  sequences: SequenceState[];
}

export class CopyJournal {
  readonly table: string;
  readonly schema: string;
  readonly runId: string;
  readonly groups: number;
  constructor(schema: string, runId: string, groups: number) {
    this.schema = schema;
    this.runId = runId;
    this.groups = groups;
    this.table = qualifiedName(schema, JOURNAL_TABLE);
  }

  /** Creates the journal table (outside any load transaction). Throws when the role cannot. */
  async ensure(client: pg.ClientBase): Promise<void> {
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${this.table} (
         run_id text NOT NULL, group_no int NOT NULL, groups int NOT NULL, table_name text NOT NULL,
         display_name text NOT NULL, created boolean NOT NULL, rows bigint NOT NULL, sequences jsonb NOT NULL,
         committed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run_id, table_name))`,
    );
  }

  /** Inside load transaction `groupNo`, just before its COMMIT. */
  async record(client: pg.ClientBase, groupNo: number, entries: JournalEntry[]): Promise<void> {
    for (const entry of entries) {
      await client.query(`INSERT INTO ${this.table} (run_id, group_no, groups, table_name, display_name, created, rows, sequences) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        this.runId,
        groupNo,
        this.groups,
        entry.table,
        entry.display,
        entry.created,
        entry.rows,
        JSON.stringify(entry.sequences),
      ]);
    }
  }

  /** After every transaction committed: the run is complete, forget it. */
  async complete(client: pg.ClientBase): Promise<void> {
    await client.query(`DELETE FROM ${this.table} WHERE run_id = $1`, [this.runId]);
    await dropIfEmpty(client, this.table);
  }
}

/**
 * Drops the journal table when no entry is left (a finished copy leaves no trace). Best effort and
 * brief: it gives up after a second rather than wait on a session that holds the table.
 */
export async function dropIfEmpty(client: pg.ClientBase, table: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL lock_timeout = '1s'`);
    const { rows } = await client.query(`SELECT 1 FROM ${table} LIMIT 1`);
    if (rows.length === 0) await client.query(`DROP TABLE ${table}`);
    await client.query('COMMIT');
  } catch {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}

/** Sequence positions before the load, so an undo puts them back too. */
export async function readSequenceStates(client: pg.ClientBase, sequences: string[]): Promise<SequenceState[]> {
  const states: SequenceState[] = [];
  for (const sequence of sequences) {
    const { rows } = await client.query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text, is_called FROM ${sequence}`);
    states.push({ sequence, lastValue: rows[0].last_value, isCalled: rows[0].is_called });
  }
  return states;
}

interface JournalRow {
  run_id: string;
  group_no: number;
  groups: number;
  table_name: string;
  display_name: string;
  created: boolean;
  rows: string;
  sequences: SequenceState[];
  committed_at: Date;
}

/**
 * Looks for an earlier copy whose commit was interrupted and undoes it (the tables it filled were
 * empty before it). Runs under the target's copy lock, before anything else is written.
 */
export async function repairInterruptedCopy(client: pg.ClientBase, schema: string, runtime: Runtime, lockTimeoutMs = 300_000): Promise<void> {
  const table = qualifiedName(schema, JOURNAL_TABLE);
  const exists = await client.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [table]);
  if (!exists.rows[0].present) return;
  // The undo counts and empties tables an application may be holding: it waits at most lock-timeout.
  await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
  try {
    await repairRuns(client, table, runtime);
  } catch (error) {
    // The undo wraps its own failures (a CopyError with the pg error as cause).
    const lock = [error, (error as { cause?: unknown }).cause].find((e) => (e as { code?: string } | undefined)?.code === '55P03');
    if (!lock) throw error;
    throw new LockTimeoutError(`An earlier copy into the target was interrupted half-way (see ${table}), and undoing it waited longer than lock-timeout for a lock another session holds on its tables. Nothing was changed by this run.`, {
      cause: lock,
      fix: "stop the application's use of the target's tables and run the copy again (it first undoes the interrupted copy), or raise lock-timeout.",
    });
  } finally {
    await client.query('RESET lock_timeout').catch(() => undefined);
  }
}

async function repairRuns(client: pg.ClientBase, table: string, runtime: Runtime): Promise<void> {
  const { rows } = await client.query<JournalRow>(`SELECT * FROM ${table} ORDER BY run_id, group_no, table_name`);
  // Empty: left by a copy that failed or was cancelled before it committed anything.
  if (rows.length === 0) return dropIfEmpty(client, table);
  const runs = new Map<string, JournalRow[]>();
  for (const row of rows) runs.set(row.run_id, [...(runs.get(row.run_id) ?? []), row]);
  for (const [runId, entries] of runs) {
    const committed = new Set(entries.map((e) => e.group_no)).size;
    const total = entries[0].groups;
    if (committed >= total) {
      // Every transaction committed; only the bookkeeping after them was cut short.
      await client.query(`DELETE FROM ${table} WHERE run_id = $1`, [runId]);
      runtime.info(`An earlier copy (run ${runId}) committed all its ${total} transactions but was stopped before it cleaned up its journal; its journal entry was removed.`);
      continue;
    }
    await undoPartialCopy(client, table, runId, entries, committed, total, runtime);
  }
  await dropIfEmpty(client, table);
}

async function undoPartialCopy(client: pg.ClientBase, journal: string, runId: string, entries: JournalRow[], committed: number, total: number, runtime: Runtime): Promise<void> {
  const names = entries.map((e) => e.display_name).join(', ');
  const when = entries[0].committed_at instanceof Date ? entries[0].committed_at.toISOString() : String(entries[0].committed_at);
  const changed: string[] = [];
  for (const entry of entries) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${entry.table_name}`);
    if (rows[0].n !== String(entry.rows)) changed.push(`${entry.display_name} (the copy left ${entry.rows} rows, it now holds ${rows[0].n})`);
  }
  if (changed.length > 0) {
    throw new CopyError(
      `An earlier copy into the target (run ${runId}, ${when}) was interrupted after committing ${committed} of its ${total} transactions: ${names} hold its rows while the other tables stayed empty. They have been written to since, so cutover will not empty them: ${changed.join('; ')}.`,
      { fix: `check those tables in the target; to start over, empty them (TRUNCATE) and run DELETE FROM ${journal} WHERE run_id = ${quoteLiteral(runId)}; then run the copy again.` },
    );
  }
  await client.query('BEGIN');
  try {
    const truncated = entries.filter((e) => !e.created).map((e) => e.table_name);
    if (truncated.length > 0) await client.query(`TRUNCATE ${truncated.join(', ')}`);
    const created = entries.filter((e) => e.created).map((e) => e.table_name);
    if (created.length > 0) await client.query(`DROP TABLE ${created.join(', ')}`);
    for (const entry of entries.filter((e) => !e.created)) {
      for (const s of entry.sequences) await client.query(`SELECT setval(${quoteLiteral(s.sequence)}::regclass, $1::bigint, $2)`, [s.lastValue, s.isCalled]);
    }
    await client.query(`DELETE FROM ${journal} WHERE run_id = $1`, [runId]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new CopyError(`An earlier copy into the target (run ${runId}, ${when}) was interrupted after committing ${committed} of its ${total} transactions, and undoing it failed.`, {
      cause: error,
      fix: `empty ${names} in the target by hand (TRUNCATE), run DELETE FROM ${journal} WHERE run_id = ${quoteLiteral(runId)}; and run the copy again.`,
    });
  }
  runtime.warning(`An earlier copy into the target (run ${runId}, ${when}) was interrupted after committing ${committed} of its ${total} transactions. The tables it had filled (${names}) were empty before it; they were emptied again and their sequences reset, so the target is as it was before that run.`);
}
