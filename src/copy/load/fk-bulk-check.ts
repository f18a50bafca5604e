// Foreign keys checked once per table instead of once per row. Postgres fires an RI trigger for every
// copied row (≈5 µs each: most of a PG→PG copy's time); a constraint added to a filled table is
// checked by one anti-join. So, inside the load transaction and only on tables the user owns, each
// FK is dropped before the load and re-added with its exact definition (pg_get_constraintdef) after.
// The transaction makes it invisible to others and atomic: a failure restores the constraints.
// Only FKs whose parent loads in the same transaction: dropping an FK locks its parent ACCESS
// EXCLUSIVE until COMMIT, so a parent outside the load (the application's users table, say) would be
// locked against every reader for the whole copy, and two connections loading children of the same
// outside parent would wait on each other forever. Those FKs stay and are checked row by row.
import type pg from 'pg';
import { qualifiedName, quoteIdent } from '../../db/pg-identifiers.js';
import type { TablePlan } from '../plan/copy-plan.js';

export interface HeldConstraint {
  table: string;
  name: string;
  definition: string;
}

export async function dropForeignKeysForLoad(client: pg.ClientBase, tables: TablePlan[], component: TablePlan[]): Promise<HeldConstraint[]> {
  const held: HeldConstraint[] = [];
  const parents = component.map((t) => qualifiedName(t.target.schema, t.target.name));
  for (const table of tables) {
    const target = qualifiedName(table.target.schema, table.target.name);
    const { rows } = await client.query<{ name: string; definition: string }>(
      `SELECT c.conname AS name, pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
        WHERE c.contype = 'f' AND c.conrelid = $1::regclass AND pg_has_role(t.relowner, 'USAGE')
          AND c.confrelid = ANY ($2::regclass[])
        ORDER BY c.conname`,
      [target, parents],
    );
    for (const row of rows) {
      await client.query(`ALTER TABLE ${target} DROP CONSTRAINT ${quoteIdent(row.name)}`);
      held.push({ table: target, name: row.name, definition: row.definition });
    }
  }
  return held;
}

export async function restoreForeignKeys(client: pg.ClientBase, held: HeldConstraint[]): Promise<void> {
  for (const constraint of held) {
    await client.query(`ALTER TABLE ${constraint.table} ADD CONSTRAINT ${quoteIdent(constraint.name)} ${constraint.definition}`);
  }
}
