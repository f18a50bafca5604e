// Row-level security and triggers, checked before anything is read or written.
// - A table whose policies apply to the reading role returns only the rows the policies show, with no
//   error: a copy would be silently partial and still "verified" (both sides read through the same
//   filter). Such tables are refused up front, as pg_dump refuses them under row_security = off.
// - COPY FROM into a table whose policies apply to the writing role is refused by Postgres; the owner
//   can lift FORCE ROW LEVEL SECURITY for the load, anyone else cannot.
// - User triggers on a target table the role does not own fire during the load and cannot be disabled.
import type { PgTable, PgTrigger } from '../../db/pg-introspect.js';
import { RowSecurityError } from '../../errors.js';
import type { PlanOptions, TablePlan } from './copy-plan.js';
import { displayName } from './display-name.js';

function why(table: PgTable): string {
  return table.owned && table.forceRowSecurity ? ' (FORCE ROW LEVEL SECURITY: the policies apply to its owner too)' : '';
}

/** Throws when row-level security would filter what is read from these tables on `side`. */
export function refuseFilteredReads(tables: PgTable[], side: { name: 'source' | 'target'; input?: string; role?: string }): void {
  const filtered = tables.filter((t) => t.rowSecurityApplies);
  if (filtered.length === 0) return;
  const names = filtered.map((t) => displayName(t.schema, t.name));
  const listed = filtered.slice(0, 10).map((t, i) => `${names[i]}${why(t)}`).join(', ') + (filtered.length > 10 ? ` and ${filtered.length - 10} more` : '');
  const role = side.role ? `the role ${side.role}` : 'the role cutover connects as';
  throw new RowSecurityError(
    `Row-level security on the ${side.name}${side.input ? ` (${side.input})` : ''} hides rows from ${role}: ${filtered.length === 1 ? 'its policies apply' : 'policies apply'} to ${listed}. ` +
      `Reading ${filtered.length === 1 ? 'it' : 'them'} would see only the rows the policies allow, so the ${side.name === 'source' ? 'copy and its verification would be silently partial' : 'comparison would be wrong'}; nothing was read or written.`,
    {
      fix: `connect to the ${side.name} as a role that bypasses row-level security: a superuser or a role with BYPASSRLS (on Supabase the postgres role, which pg_dump also needs), or the tables' owner when they do not FORCE ROW LEVEL SECURITY; or leave ${filtered.length === 1 ? 'the table' : 'those tables'} out with exclude: ${names.slice(0, 10).join(',')}.`,
    },
  );
}

export function checkSourceRowSecurity(tables: PgTable[], options: PlanOptions): void {
  const role = options.sourceLocation?.kind === 'postgres' && options.sourceLocation.user ? options.sourceLocation.user : undefined;
  refuseFilteredReads(tables, { name: 'source', ...(options.sourceInput ? { input: options.sourceInput } : {}), ...(role ? { role } : {}) });
}

function describeTrigger(trigger: PgTrigger): string {
  return `${trigger.name} (${trigger.timing} ${trigger.events.join(' OR ')}, ${trigger.forEachRow ? 'for each row' : 'once per statement'})`;
}

/** Preflight findings about writing into the target tables (copy mode). */
export function targetAccessFindings(plans: TablePlan[]): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const plan of plans) {
    const table = plan.target;
    if (table.rowSecurityApplies && !table.owned) {
      problems.push(
        `target table ${plan.display} has row-level security enabled, and the role cutover connects as neither owns it nor has BYPASSRLS, so Postgres refuses COPY into it and filters what verification reads (copy as the table's owner or a role with BYPASSRLS, or exclude the table)`,
      );
    }
    const firing = table.owned ? [] : table.userTriggers.filter((t) => t.enabled && t.events.includes('INSERT'));
    if (firing.length > 0) {
      warnings.push(
        `${plan.display}: the role cutover connects as does not own this target table, so it cannot disable its triggers, which will fire during the load: ${firing.map(describeTrigger).join(', ')}. If they change the copied rows, verification before COMMIT finds the difference and the whole copy is rolled back; to copy the rows exactly, copy as the table's owner (cutover then disables them for the load).`,
      );
    }
  }
  return { problems, warnings };
}
