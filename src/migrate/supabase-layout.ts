// Supabase CLI projects: supabase/migrations/<version>_<name>.sql, one file per migration, no down
// files. cutover's own runner applies them (lock, transaction, checksums, error lines, transaction
// control checked like any SQL migration) and records each in cutover_migrations AND, as the CLI
// does, in supabase_migrations.schema_migrations (supabase-history.ts), so that `supabase migration
// list` agrees afterwards. File names follow the CLI's pattern (pkg/migration/file.go):
// `^([0-9]+)_(.*)\.sql$`, the digits being the version it records.
import fs from 'node:fs';
import path from 'node:path';
import { MigrationPlanError } from '../errors.js';
import { compareMigrationIds, orderingProblems, withChecksums, type MigrationFile, type ReadMigrationsOptions } from './migration-files.js';

export const SUPABASE_FILE = /^([0-9]+)_(.*)\.sql$/;

export function readSupabaseMigrationFiles(dir: string, options: ReadMigrationsOptions): MigrationFile[] {
  const problems: string[] = [];
  const byVersion = new Map<string, string>();
  const migrations: MigrationFile[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const match = SUPABASE_FILE.exec(entry.name);
    if (!match) {
      if (/\.sql$/i.test(entry.name)) problems.push(`${entry.name} does not match the Supabase CLI's <timestamp>_<name>.sql (the CLI would skip it): rename it, e.g. with \`supabase migration new <name>\``);
      continue;
    }
    const [, version, name] = match;
    const other = byVersion.get(version);
    if (other) {
      problems.push(`${other} and ${entry.name} have the same version ${version}: give one a new timestamp`);
      continue;
    }
    byVersion.set(version, entry.name);
    const upPath = path.join(dir, entry.name);
    migrations.push({ ...withChecksums({ name: `${version}_${name}`, id: version, kind: 'sql', upPath }, fs.readFileSync(upPath, 'utf8')), supabase: { version, name } });
  }
  problems.push(...orderingProblems(migrations));
  if (problems.length > 0) {
    throw new MigrationPlanError(`The Supabase migrations directory ${dir} has ${problems.length} problem${problems.length === 1 ? '' : 's'}, so nothing was run: ${problems.join('; ')}.`, {
      fix: 'name every migration <timestamp>_<name>.sql (as `supabase migration new` does), one version per file.',
    });
  }
  if (migrations.length === 0 && options.requireMigrations) {
    throw new MigrationPlanError(`The Supabase migrations directory ${dir} contains no migrations.`, { fix: 'add <timestamp>_<name>.sql files (`supabase migration new <name>`), or point migrations-dir at the right directory.' });
  }
  return migrations.sort(compareMigrationIds);
}
