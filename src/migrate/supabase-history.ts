// The history of a Supabase CLI project on PostgreSQL: cutover_migrations (checksums, durations, who)
// kept in step with supabase_migrations.schema_migrations, written exactly as the CLI writes it
// (supabase/cli pkg/migration/history.go): the table created by the CLI's own statements, one row
// per applied file with its version, name and statements (SplitAndTrim, supabase-statements.ts).
// Both rows are written inside the migration's transaction, so they cannot disagree.
// Versions the CLI applied (`supabase db push`) count as applied; having no checksum, they are not
// checked for drift (UNRECORDED_CHECKSUM).
import fs from 'node:fs';
import type { HistoryRow, HistoryTable } from './history-table.js';
import type { MigrationDatabase } from './migration-database.js';
import { UNRECORDED_CHECKSUM, type MigrationFile } from './migration-files.js';
import { supabaseStatements } from './supabase-statements.js';

export const SUPABASE_HISTORY = 'supabase_migrations.schema_migrations';

// The CLI's CreateMigrationTable batch, in its order (lock_timeout: cutover's own lock_timeout applies).
const CREATE = [
  'CREATE SCHEMA IF NOT EXISTS supabase_migrations',
  'CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY)',
  'ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[]',
  'ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text',
];

export function supabaseHistory(inner: HistoryTable, database: MigrationDatabase, files: MigrationFile[]): HistoryTable {
  const byName = new Map(files.map((f) => [f.name, f]));
  const byVersion = new Map(files.filter((f) => f.supabase).map((f) => [f.supabase!.version, f]));
  const versionOf = (name: string) => byName.get(name)?.supabase?.version ?? /^(\d+)_/.exec(name)?.[1] ?? name;
  const columns = async (): Promise<Set<string> | undefined> => {
    const [row] = await database.query<{ oid: string | null }>(`SELECT to_regclass('${SUPABASE_HISTORY}')::oid AS oid`);
    if (row.oid === null) return undefined;
    const rows = await database.query<{ attname: string }>('SELECT attname FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped', [row.oid]);
    return new Set(rows.map((r) => r.attname));
  };
  return {
    qualifiedName: `${inner.qualifiedName} and ${SUPABASE_HISTORY}`,
    exists: inner.exists,
    async ensure() {
      await inner.ensure();
      const have = await columns();
      if (have?.has('statements') && have.has('name')) return;
      for (const statement of CREATE) await database.execScript(statement);
    },
    async read() {
      const own = await inner.read();
      const have = await columns();
      if (!have) return own;
      const recorded = new Set(own.map((r) => versionOf(r.name)));
      const rows = await database.query<{ version: string; name: string | null }>(`SELECT version, ${have.has('name') ? 'name' : 'NULL::text AS name'} FROM ${SUPABASE_HISTORY} ORDER BY version`);
      const cli: HistoryRow[] = rows
        .filter((r) => !recorded.has(r.version))
        .map((r) => ({ name: byVersion.get(r.version)?.name ?? `${r.version}_${r.name ?? ''}`, checksum: UNRECORDED_CHECKSUM, appliedAt: '', durationMs: null, appliedBy: 'the Supabase CLI (no checksum recorded)' }));
      return [...own, ...cli].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async has(name) {
      if (await inner.has(name)) return true;
      if (!(await columns())) return false;
      return (await database.query(`SELECT 1 FROM ${SUPABASE_HISTORY} WHERE version = $1`, [versionOf(name)])).length > 0;
    },
    async insert(row) {
      await inner.insert(row);
      const file = byName.get(row.name);
      if (!file?.supabase) return;
      // The CLI reads the file as it is (a byte-order mark included) and splits it with its parser.
      const statements = supabaseStatements(fs.readFileSync(file.upPath, 'utf8'));
      await database.query(`INSERT INTO ${SUPABASE_HISTORY}(version, name, statements) VALUES($1, $2, $3)`, [file.supabase.version, file.supabase.name, statements]);
    },
    async remove(name) {
      await inner.remove(name);
      if (await columns()) await database.query(`DELETE FROM ${SUPABASE_HISTORY} WHERE version = $1`, [versionOf(name)]);
    },
    updateChecksum: inner.updateChecksum,
  };
}
