// schema-from: target with migrate-command: the throwaway database gets the target's schema from
// pg_dump (src/dry-run/copy-target-schema.ts), which copies the rows of cutover's own history only.
// The tools' history tables are copied here too (read-only on the target), so that the PR's command
// finds the database at the target's revision and applies only what is pending there.
import type { PostgresLocation } from '../../db/database-url.js';
import { connectPostgres } from '../../db/postgres-connect.js';
import type { Runtime } from '../../runtime.js';
import { inputLabel, type Settings } from '../../settings.js';
import { findHistoryTables, postgresReader } from '../find-history-tables.js';

export async function copyToolHistoryRows(target: PostgresLocation, throwaway: PostgresLocation, settings: Settings, runtime: Runtime): Promise<void> {
  const connect = (location: PostgresLocation, input: string) =>
    connectPostgres(location, { input, attempts: settings.connectAttempts, connectTimeoutMs: settings.connectTimeoutMs, ...(location.params.application_name ? {} : { applicationName: `cutover/${settings.mode}/${settings.runId} history` }) });
  const source = await connect(target, inputLabel(settings.origin, 'target-url'));
  try {
    const tables = (await findHistoryTables(postgresReader(source))).found.filter((t) => t.layout.tool !== 'cutover');
    if (tables.length === 0) return;
    const destination = await connect(throwaway, 'the throwaway database');
    try {
      for (const table of tables) {
        // As JSON in PostgreSQL's own text forms, so timestamps and arrays arrive unchanged.
        const { rows } = await source.query<{ rows: string }>(`SELECT coalesce(json_agg(t), '[]')::text AS rows FROM ${table.sql} t`);
        const result = await destination.query(`INSERT INTO ${table.sql} SELECT * FROM json_populate_recordset(NULL::${table.sql}, $1::json) ON CONFLICT DO NOTHING`, [rows[0].rows]);
        runtime.info(`Copied ${result.rowCount ?? 0} row${result.rowCount === 1 ? '' : 's'} of ${table.display} (${table.layout.label}'s history) from the target into the throwaway database.`);
      }
    } finally {
      await destination.end().catch(() => undefined);
    }
  } finally {
    await source.end().catch(() => undefined);
  }
}
