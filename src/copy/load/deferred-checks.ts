// The load defers every constraint (SET CONSTRAINTS ALL DEFERRED: a foreign-key cycle loads only
// so), so the checks of deferrable constraints that stay on a table during its load queue up as
// pending trigger events, and Postgres refuses any ALTER TABLE of a table with pending events
// ("cannot ALTER TABLE … because it has pending trigger events"): the keys and indexes built after
// the load, and the foreign keys re-added, would fail. Once every table of the component is loaded,
// checking those constraints at once gives the answer COMMIT would have given, sooner.
import type pg from 'pg';
import { qualifiedName } from '../../db/pg-identifiers.js';
import type { TablePlan } from '../plan/copy-plan.js';

/** Deferrable constraints still on the owned tables of a loaded component (the ones the load did not drop). */
export async function pendingDeferrableConstraints(client: pg.ClientBase, tables: TablePlan[]): Promise<string[]> {
  if (tables.length === 0) return [];
  const { rows } = await client.query<{ name: string }>(
    `SELECT DISTINCT format('%I.%I', n.nspname, c.conname) AS name
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE c.condeferrable AND c.conrelid = ANY ($1::regclass[]) AND pg_has_role(t.relowner, 'USAGE')`,
    [tables.map((t) => qualifiedName(t.target.schema, t.target.name))],
  );
  return rows.map((r) => r.name);
}
