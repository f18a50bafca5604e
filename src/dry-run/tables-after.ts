// Step (d) of a dry run: what can still be compared with the source once the new migrations ran on
// the copied data. The copy itself was verified against the source before it committed (counts, and
// checksums when on), on the base schema. Afterwards the values may differ on purpose (a type change,
// a backfill), but only a statement that writes rows (INSERT/UPDATE/DELETE, seen as its ROW EXCLUSIVE
// lock, cascades included) or empties the table (TRUNCATE: a new, empty relfilenode) changes how
// many there are. So every table no new migration wrote to must still hold exactly as many rows as
// were copied, whether its schema changed, it was renamed or it was left alone; written and dropped
// tables are listed with their counts and not compared. Nothing more than the row count is claimed.
import type { TableAfter } from './dry-run-report.js';
import type { TableCount } from './table-counts.js';

/**
 * `changedBy`: per table (named as before the new migrations), the migrations that changed its
 * schema; `written`: per migration, the tables (oids) it wrote rows to or rewrote.
 */
export function tablesAfter(copied: string[], before: Map<string, TableCount>, after: Map<string, TableCount>, changedBy: Map<string, string[]>, written: Map<string, Set<number>>): TableAfter[] {
  const afterByOid = new Map([...after].map(([name, count]) => [count.oid, { name, count }]));
  const entries: TableAfter[] = [];
  for (const table of copied) {
    const was = before.get(table);
    if (!was) continue;
    const now = afterByOid.get(was.oid);
    const wrote = [...written].filter(([, oids]) => oids.has(was.oid)).map(([migration]) => migration);
    const altered = changedBy.get(table) ?? [];
    const entry: TableAfter = { table, rowsBefore: was.rows, state: 'unchanged', ...(now ? { rowsAfter: now.count.rows } : {}) };
    if (!now) entry.state = 'dropped';
    else if (wrote.length > 0) entry.state = 'written';
    else if (now.name !== table) Object.assign(entry, { state: 'renamed', renamedTo: now.name });
    else if (altered.length > 0) entry.state = 'altered';
    if (altered.length > 0) entry.by = altered;
    if (wrote.length > 0) entry.writtenBy = wrote;
    entries.push(entry);
  }
  return entries;
}

/** Whether the row count after the new migrations must equal the one copied. */
export function rowsCompared(entry: TableAfter): boolean {
  return entry.state !== 'written' && entry.state !== 'dropped';
}

/** Tables no new migration wrote to whose row count is not the one they were copied with. */
export function unexplainedChanges(entries: TableAfter[]): TableAfter[] {
  return entries.filter((entry) => rowsCompared(entry) && entry.rowsAfter !== entry.rowsBefore);
}
