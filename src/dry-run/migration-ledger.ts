// A dry run applies migrations in several runs of the runner (the base commit's, then each new one on
// its own); each run reports the earlier ones as "already applied". The ledger keeps what each run
// did, so the report lists every migration this dry run applied (or that failed) as such.
import type { MigrationEntry } from '../run-result.js';

export class MigrationLedger {
  private touched = new Map<string, MigrationEntry>();
  private latest: MigrationEntry[] = [];

  /** Entries of one runner call (its outcome, or the outcome carried by its error). */
  absorb(entries: MigrationEntry[] | undefined): void {
    if (!entries?.length) return;
    this.latest = entries;
    for (const entry of entries) if (entry.status === 'applied' || entry.status === 'failed') this.touched.set(entry.name, entry);
  }

  /** Every migration, with this dry run's own doings; `fresh` marks those new in the PR. */
  entries(fresh?: Set<string>): MigrationEntry[] {
    return this.latest.map((entry) => {
      const own = this.touched.get(entry.name) ?? entry;
      return fresh ? { ...own, isNew: fresh.has(entry.name) } : own;
    });
  }
}
