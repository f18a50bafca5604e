// A Postgres source's side of the verification does not depend on the load: its counts and
// checksums are computed in the snapshot the copy reads, on the snapshot's coordinating connection
// (idle during the load), queued table by table as soon as the load starts. The source server works
// on them while the target ingests, builds keys and checks foreign keys, instead of after.
import type pg from 'pg';
import { pgTotals, type Totals } from '../../verify/pg-checksums.js';
import type { TablePlan } from '../plan/copy-plan.js';
import { pgSourceCanonical } from '../plan/plan-canonical.js';

export function startSourceTotals(coordinator: pg.ClientBase, tables: TablePlan[], checksums: boolean, sampleRows?: number): Map<string, Promise<Totals>> {
  const totals = new Map<string, Promise<Totals>>();
  // One query at a time on the connection: pg queues concurrent ones, but warns that pg 9 will not.
  let previous: Promise<unknown> = Promise.resolve();
  for (const table of tables) {
    const run = () => pgTotals(coordinator, pgSourceCanonical(table, sampleRows), checksums);
    const pending = previous.then(run, run);
    // Awaited by the verification; a failure is reported there (or the load failed first).
    pending.catch(() => undefined);
    totals.set(table.key, pending);
    previous = pending;
  }
  return totals;
}
