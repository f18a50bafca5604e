// Brings history rows written by earlier versions of cutover to the current checksum form.
import type { Runtime } from '../runtime.js';
import type { HistoryRow, HistoryTable } from './history-table.js';
import type { MigrationFile } from './migration-files.js';

/**
 * Rows recorded by earlier versions hold the legacy checksum (up + down files). While it still
 * matches, the up file is unchanged: record the current form (up file only), so that a later edit or
 * removal of the down file is not drift. Only under the migration lock (never in status).
 */
export async function upgradeLegacyChecksums(files: MigrationFile[], rows: HistoryRow[], history: HistoryTable, runtime: Runtime): Promise<void> {
  const byName = new Map(files.map((f) => [f.name, f]));
  const legacy = rows.filter((row) => {
    const file = byName.get(row.name);
    return file?.legacyChecksum !== undefined && row.checksum === file.legacyChecksum;
  });
  for (const row of legacy) {
    const file = byName.get(row.name)!;
    await history.updateChecksum(row.name, file.checksum);
    row.checksum = file.checksum;
  }
  if (legacy.length > 0) {
    runtime.info(`Recorded the current checksum form (up file only) for ${legacy.length} migration${legacy.length === 1 ? '' : 's'} applied by an earlier version of cutover (whose checksum also covered the down file): ${legacy.map((r) => r.name).join(', ')}. Their files are unchanged.`);
  }
}
