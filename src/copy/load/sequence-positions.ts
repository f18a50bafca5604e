// Sequences of the copied tables: where each stood before the load (for the journal), and where
// each must stand after it: never behind the copied maximum nor behind the source's own counter.
import type pg from 'pg';
import { qualifiedName, quoteIdent, quoteLiteral } from '../../db/pg-identifiers.js';
import { CopyError } from '../../errors.js';
import type { Runtime } from '../../runtime.js';
import type { TablePlan } from '../plan/copy-plan.js';

/** A setval to run in the commit phase (sequences the role does not own: see resetSequences). */
export interface SequenceSet {
  /** Quoted, qualified as regclass prints it. */
  sequence: string;
  value: string;
}

function sequencesOf(table: TablePlan): string[] {
  const target = qualifiedName(table.target.schema, table.target.name);
  return table.target.columns
    .filter((c) => c.sequence || c.identity !== '')
    .map((c) => (c.sequence ? quoteLiteral(c.sequence) : `pg_get_serial_sequence(${quoteLiteral(target)}, ${quoteLiteral(c.name)})`));
}

/**
 * Where the source's own counter stands, per target column: ids the source handed out and then
 * deleted must not be handed out again by the target (pg_dump copies sequence values for that reason).
 * Postgres: the source column's sequence (null when the role may not read it); SQLite: sqlite_sequence
 * of an AUTOINCREMENT table, whose ids are never reused.
 */
export async function sourcePositions(reader: pg.ClientBase | undefined, table: TablePlan, runtime: Runtime): Promise<Map<string, string>> {
  const positions = new Map<string, string>();
  if (table.sqlite?.autoincrement && table.sqlite.sequence !== undefined && table.sqlite.rowidAlias) {
    const column = table.columns.find((c) => c.source === table.sqlite!.rowidAlias);
    if (column) positions.set(column.target.name, String(table.sqlite.sequence));
  }
  if (!reader) return positions;
  for (const column of table.columns) {
    if (!column.sourceSequence || (!column.target.sequence && column.target.identity === '')) continue;
    const { rows } = await reader.query<{ last_value: string | null }>(
      `SELECT s.last_value::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_sequences s ON s.schemaname = n.nspname AND s.sequencename = c.relname
        WHERE c.oid = $1::regclass AND has_sequence_privilege(c.oid, 'SELECT, USAGE')`,
      [column.sourceSequence],
    );
    if (rows[0]?.last_value != null) positions.set(column.target.name, rows[0].last_value);
    else if (rows.length === 0) runtime.info(`${table.display}.${column.target.name}: the source's sequence ${column.sourceSequence} cannot be read by this role; the target's is set from the copied values only.`);
  }
  return positions;
}

/**
 * Each sequence to the copied maximum, or the source's own position when that is higher. setval is
 * not transactional (a rollback keeps its change), ALTER SEQUENCE … RESTART is: sequences the role
 * owns restart inside the load transaction; the others get their setval in the commit phase, after
 * everything was verified (`atCommit`), so that a failed or rolled-back copy leaves them as they were.
 */
export async function resetSequences(client: pg.ClientBase, table: TablePlan, positions: Map<string, string>, atCommit: SequenceSet[]): Promise<void> {
  const target = qualifiedName(table.target.schema, table.target.name);
  for (const column of table.target.columns) {
    if (!column.sequence && column.identity === '') continue;
    const state = await readTargetSequence(client, column.sequence ? quoteLiteral(column.sequence) : `pg_get_serial_sequence(${quoteLiteral(target)}, ${quoteLiteral(column.name)})`);
    if (!state) continue;
    const { rows: [copied] } = await client.query<{ max: string | null }>(`SELECT max(${quoteIdent(column.name)})::bigint::text AS max FROM ${target}`);
    const position = positions.get(column.name);
    const candidates = [copied.max, position].filter((v): v is string => v != null).map(BigInt);
    // Nothing copied and no source position: the sequence stays; a descending one is left alone.
    if (candidates.length === 0 || state.increment < 0n) continue;
    const value = candidates.reduce((a, b) => (a > b ? a : b));
    // Checked here, inside the load, so that the commit phase's setval cannot fail half-way.
    if (!state.owned && !state.mayUpdate) {
      throw new CopyError(`Cannot set sequence ${state.name} of ${table.display} on the target: the role neither owns it nor has UPDATE on it. Nothing was written to the target.`, {
        fix: `GRANT UPDATE ON SEQUENCE ${state.name} TO the copying role on the target (or copy as the sequence's owner).`,
      });
    }
    if (value + state.increment > state.max) {
      throw new CopyError(`Cannot set sequence ${state.name} of ${table.display} on the target to ${value}: its maximum is ${state.max}${position !== undefined && BigInt(position) === value ? ` (${value} is where the source's sequence stands)` : ''}. Nothing was written to the target.`, {
        fix: `widen the target's sequence (ALTER SEQUENCE ${state.name} AS bigint, and the column's type) with a migration before the copy.`,
      });
    }
    await placeSequence(client, state, value, atCommit);
  }
}

/** A target sequence, as far as moving it is concerned. */
export interface TargetSequence {
  /** Quoted, qualified as regclass prints it. */
  name: string;
  owned: boolean;
  mayUpdate: boolean;
  increment: bigint;
  max: bigint;
  /** SELECT on it: its position can be read (and recorded for an undo). */
  mayRead: boolean;
}

/** `regclass`: SQL naming the sequence (a literal, pg_get_serial_sequence(…), to_regclass($1)); undefined when there is none. */
export async function readTargetSequence(client: pg.ClientBase, regclass: string, params: unknown[] = []): Promise<TargetSequence | undefined> {
  // Not the pg_sequences view: it reads every sequence of the database, and would wait on one another
  // load transaction of this copy has restarted (that transaction waits at the commit barrier).
  const { rows: [row] } = await client.query<{ name: string; owned: boolean; may_update: boolean; may_read: boolean; increment: string; max: string }>(
    `SELECT c.oid::regclass::text AS name, pg_has_role(c.relowner, 'USAGE') AS owned, has_sequence_privilege(c.oid, 'UPDATE') AS may_update,
            has_sequence_privilege(c.oid, 'SELECT') AS may_read, s.seqincrement::text AS increment, s.seqmax::text AS max
       FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
      WHERE c.oid = (${regclass})::regclass`,
    params,
  );
  if (!row) return undefined;
  return { name: row.name, owned: row.owned, mayUpdate: row.may_update, mayRead: row.may_read, increment: BigInt(row.increment), max: BigInt(row.max) };
}

/** Makes `value` the last value handed out: ALTER SEQUENCE … RESTART inside the load when the role owns the sequence, else a setval for the commit phase. */
export async function placeSequence(client: pg.ClientBase, sequence: TargetSequence, value: bigint, atCommit: SequenceSet[]): Promise<void> {
  if (sequence.owned) await client.query(`ALTER SEQUENCE ${sequence.name} RESTART WITH ${value + sequence.increment}`);
  else atCommit.push({ sequence: sequence.name, value: value.toString() });
}

/** Resolved sequence names (the journal stores them to put the positions back on undo). */
export async function sequenceNames(client: pg.ClientBase, table: TablePlan): Promise<string[]> {
  const expressions = sequencesOf(table);
  if (expressions.length === 0) return [];
  // Only sequences the role may read (SELECT): an undo then puts back what it could record.
  const { rows } = await client.query<{ s: string | null }>(
    `SELECT s::regclass::text AS s FROM unnest(ARRAY[${expressions.map((e) => `${e}::regclass::oid`).join(', ')}]) AS s WHERE has_sequence_privilege(s, 'SELECT')`,
  );
  return rows.map((r) => r.s).filter((s): s is string => s !== null);
}

