// Sequences no copied column uses, in the schemas a Postgres → Postgres copy fills: an invoice-number
// sequence the application calls with nextval(), say. pg_dump carries their positions; a cutover
// that left them at 1 would hand out numbers the source already used. Each one found in the target
// under the same name is set to where the source's stands (an append only moves it forward), after
// every check, in the transaction that commits first (load-groups.ts): with ALTER SEQUENCE when the
// role owns it (transactional), else with setval just before COMMIT (placeSequence in
// sequence-positions.ts); the journal records where each stood, for an undo of a half-finished commit.
import type pg from 'pg';
import { qualifiedName } from '../../db/pg-identifiers.js';
import type { IfTargetNotEmpty } from '../../settings.js';
import type { TablePlan } from '../plan/copy-plan.js';
import { displayName } from '../plan/display-name.js';
import { readSequenceStates, type SequenceState } from './copy-journal.js';
import { placeSequence, readTargetSequence, type SequenceSet } from './sequence-positions.js';

export interface SourceSequence {
  schema: string;
  name: string;
  /** Where the source's sequence stands (it has handed out this value). */
  lastValue: string;
}

export interface StandaloneSequences {
  found: SourceSequence[];
  /** For the log: sequences left as they are in the target, and why. */
  notes: string[];
}

/** Reads them on the source (the snapshot's coordinating connection). */
export async function readStandaloneSequences(source: pg.ClientBase, tables: TablePlan[]): Promise<StandaloneSequences> {
  const schemas = [...new Set(tables.map((t) => t.sourceSchema).filter((s): s is string => s !== undefined))];
  if (schemas.length === 0) return { found: [], notes: [] };
  const used = tables.flatMap((t) => t.columns.flatMap((c) => (c.sourceSequence ? [c.sourceSequence] : [])));
  // Not owned by a column (serial, identity: they belong to their table) nor part of an extension.
  const { rows } = await source.query<{ schema: string; name: string; last_value: string | null; readable: boolean }>(
    `SELECT n.nspname AS schema, c.relname AS name, s.last_value::text AS last_value, has_sequence_privilege(c.oid, 'SELECT, USAGE') AS readable
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_sequences s ON s.schemaname = n.nspname AND s.sequencename = c.relname
      WHERE c.relkind = 'S' AND n.nspname = ANY ($1::text[])
        AND c.oid <> ALL (SELECT u::regclass::oid FROM unnest($2::text[]) AS u)
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
      ORDER BY 1, 2`,
    [schemas, used],
  );
  const notes: string[] = [];
  const found: SourceSequence[] = [];
  for (const row of rows) {
    if (!row.readable) notes.push(`Sequence ${displayName(row.schema, row.name)}: the source role may not read it, so the target's is left as it is.`);
    else if (row.last_value !== null) found.push({ schema: row.schema, name: row.name, lastValue: row.last_value });
  }
  return { found, notes };
}

/**
 * Sets the target's, inside the load transaction `client`. Returns what to log, and where each one
 * stood before (the journal puts them back if a later transaction of the copy fails to commit).
 */
export async function setStandaloneSequences(client: pg.ClientBase, found: SourceSequence[], mode: IfTargetNotEmpty, atCommit: SequenceSet[]): Promise<{ lines: string[]; previous: SequenceState[] }> {
  const lines: string[] = [];
  const previous: SequenceState[] = [];
  for (const sequence of found) {
    const display = displayName(sequence.schema, sequence.name);
    const target = await readTargetSequence(client, 'to_regclass($1)', [qualifiedName(sequence.schema, sequence.name)]);
    if (!target) {
      lines.push(`Sequence ${display} is not in the target: its position (${sequence.lastValue}) was not carried over.`);
      continue;
    }
    // Where it stands now: recorded for an undo, and an append only moves it forward.
    const [before] = target.mayRead ? await readSequenceStates(client, [target.name]) : [];
    let value = BigInt(sequence.lastValue);
    const current = before?.isCalled ? BigInt(before.lastValue) : undefined;
    if (mode === 'append' && current !== undefined && (target.increment > 0n ? current > value : current < value)) value = current;
    if (!target.owned && !target.mayUpdate) {
      lines.push(`Sequence ${display}: the target role neither owns it nor has UPDATE on it, so it stays where it is (the source's is at ${sequence.lastValue}).`);
      continue;
    }
    if (target.increment > 0n && value + target.increment > target.max) {
      lines.push(`Sequence ${display}: the source's position ${value} is beyond the target's maximum ${target.max}, so it stays where it is.`);
      continue;
    }
    if (before) previous.push(before);
    await placeSequence(client, target, value, atCommit);
    lines.push(`Sequence ${display} set to the source's position ${value}.`);
  }
  return { lines, previous };
}
