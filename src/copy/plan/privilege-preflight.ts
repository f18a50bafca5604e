// Privileges, checked before anything is read or written, so that a missing GRANT is reported once,
// for every table, naming the side it is missing on — not as a permission error halfway through the
// load (which the user would first have to attribute to the source or the target).
import type { PgTable } from '../../db/pg-introspect.js';
import type { IfTargetNotEmpty } from '../../settings.js';
import type { TablePlan } from './copy-plan.js';
import { displayName } from './display-name.js';

export function privilegeProblems(plans: TablePlan[], sourceTables: Map<TablePlan, PgTable>, ifTargetNotEmpty: IfTargetNotEmpty | undefined): string[] {
  const problems: string[] = [];
  const unreadable = plans.filter((p) => sourceTables.get(p)?.privileges.select === false);
  if (unreadable.length > 0) {
    const names = unreadable.map((p) => displayName(p.sourceSchema!, p.sourceName)).join(', ');
    problems.push(`the source role may not read ${names} (no SELECT on the table, or no USAGE on its schema): grant it on the source (GRANT SELECT ON … TO …), connect to the source as the tables' owner, or exclude ${unreadable.length === 1 ? 'the table' : 'them'}`);
  }
  const existing = plans.filter((p) => !p.ddl);
  const unwritable = existing.filter((p) => !p.target.privileges.insert);
  if (unwritable.length > 0) {
    problems.push(`the target role may not write ${unwritable.map((p) => p.display).join(', ')} (no INSERT on the table, or no USAGE on its schema): grant it on the target, copy as the tables' owner, or exclude ${unwritable.length === 1 ? 'the table' : 'them'}`);
  }
  if (ifTargetNotEmpty === 'truncate') {
    const untruncatable = existing.filter((p) => p.target.privileges.insert && !p.target.privileges.truncate);
    if (untruncatable.length > 0) {
      problems.push(`if-target-not-empty: truncate, but the target role may not TRUNCATE ${untruncatable.map((p) => p.display).join(', ')}: grant TRUNCATE on the target, or copy as the tables' owner`);
    }
  }
  return problems;
}
