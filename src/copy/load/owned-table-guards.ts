// A copy reproduces rows; it must not re-run the target's business logic. On a table the copying
// role owns, inside the load transaction: user triggers that are enabled are disabled (each one by
// name, so its exact mode — origin/replica/always — is restored by name afterwards) and FORCE ROW
// LEVEL SECURITY is lifted (the owner then bypasses the policies, as pg_dump's restore does). Both are
// put back before COMMIT; a rollback restores them anyway. Tables the role does not own keep their
// triggers: verification before COMMIT rolls everything back if a trigger changed a row.
import type pg from 'pg';
import { qualifiedName, quoteIdent } from '../../db/pg-identifiers.js';

export interface TableGuards {
  /** Quoted schema.table. */
  table: string;
  owned: boolean;
  /** Enabled user triggers: name and pg_trigger.tgenabled ('O' origin, 'R' replica, 'A' always). */
  triggers: Array<{ name: string; enabled: 'O' | 'R' | 'A' }>;
  forceRowSecurity: boolean;
  rowSecurity: boolean;
}

export async function readTableGuards(client: pg.ClientBase, schema: string, name: string): Promise<TableGuards> {
  const table = qualifiedName(schema, name);
  const { rows } = await client.query<{ owned: boolean; force: boolean; rls: boolean; triggers: Array<{ name: string; enabled: 'O' | 'R' | 'A' }> | null }>(
    `SELECT pg_has_role(c.relowner, 'USAGE') AS owned, c.relforcerowsecurity AS force, c.relrowsecurity AS rls,
            (SELECT json_agg(json_build_object('name', t.tgname, 'enabled', t.tgenabled) ORDER BY t.tgname)
               FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal AND t.tgenabled <> 'D') AS triggers
       FROM pg_class c WHERE c.oid = $1::regclass`,
    [table],
  );
  const row = rows[0];
  return { table, owned: row.owned, forceRowSecurity: row.force, rowSecurity: row.rls, triggers: row.triggers ?? [] };
}

/** Disables what an owner may disable; returns what was changed, for `restoreGuards`. */
export async function liftGuards(client: pg.ClientBase, guards: TableGuards): Promise<TableGuards> {
  const lifted: TableGuards = { ...guards, triggers: [], forceRowSecurity: false };
  if (!guards.owned) return lifted;
  for (const trigger of guards.triggers) {
    await client.query(`ALTER TABLE ${guards.table} DISABLE TRIGGER ${quoteIdent(trigger.name)}`);
    lifted.triggers.push(trigger);
  }
  if (guards.forceRowSecurity) {
    await client.query(`ALTER TABLE ${guards.table} NO FORCE ROW LEVEL SECURITY`);
    lifted.forceRowSecurity = true;
  }
  return lifted;
}

const ENABLE = { O: 'ENABLE TRIGGER', R: 'ENABLE REPLICA TRIGGER', A: 'ENABLE ALWAYS TRIGGER' } as const;

export async function restoreGuards(client: pg.ClientBase, lifted: TableGuards): Promise<void> {
  for (const trigger of lifted.triggers) await client.query(`ALTER TABLE ${lifted.table} ${ENABLE[trigger.enabled]} ${quoteIdent(trigger.name)}`);
  if (lifted.forceRowSecurity) await client.query(`ALTER TABLE ${lifted.table} FORCE ROW LEVEL SECURITY`);
}
