// Step (d) of a dry run: what can still be compared with the source once the new migrations ran on
// the copied data. The copy itself was verified against the source before it committed (counts, and
// checksums when on), on the base schema. Afterwards a table whose schema no new migration changed
// and that none of them wrote to (no ROW EXCLUSIVE lock, no rewrite) must still hold exactly the rows
// it was copied with; tables the migrations changed, wrote, dropped or renamed are reported as such,
// with their row counts, and not claimed to match.
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
    const by = [...new Set([...altered, ...wrote])].sort();
    const entry: TableAfter = { table, rowsBefore: was.rows, state: 'unchanged', ...(now ? { rowsAfter: now.count.rows } : {}) };
    if (!now) entry.state = 'dropped';
    else if (now.name !== table) Object.assign(entry, { state: 'renamed', renamedTo: now.name });
    else if (altered.length > 0) entry.state = 'altered';
    else if (wrote.length > 0) entry.state = 'written';
    if (by.length > 0) entry.by = by;
    entries.push(entry);
  }
  return entries;
}

/** Unchanged tables whose row count is not the one they were copied with. */
export function unexplainedChanges(entries: TableAfter[]): TableAfter[] {
  return entries.filter((entry) => entry.state === 'unchanged' && entry.rowsAfter !== entry.rowsBefore);
}
