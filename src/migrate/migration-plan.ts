// Pure decisions made after the lock is taken and the history is read, before anything changes:
// which applied migrations drifted from their files, what `to` refers to, and which migrations a
// mode touches. Also turns files + history into the ordered entries every report is built from.
import { MigrationPlanError } from '../errors.js';
import type { MigrationEntry, MigrationStatus } from '../run-result.js';
import type { HistoryRow } from './history-table.js';
import { checksumMatches, compareMigrationNames, type MigrationFile } from './migration-files.js';

export interface Drift {
  /** Applied migrations whose file's checksum differs from the recorded one. */
  changed: Array<{ file: MigrationFile; row: HistoryRow }>;
  /** Applied migrations whose file is gone. */
  missing: HistoryRow[];
}

export function findDrift(files: MigrationFile[], history: HistoryRow[]): Drift {
  const byName = new Map(files.map((f) => [f.name, f]));
  const drift: Drift = { changed: [], missing: [] };
  for (const row of history) {
    const file = byName.get(row.name);
    if (!file) drift.missing.push(row);
    else if (!checksumMatches(file, row.checksum)) drift.changed.push({ file, row });
  }
  return drift;
}

export function describeDrift(drift: Drift, dir: string): string {
  const parts: string[] = [];
  if (drift.changed.length) {
    parts.push(`edited after being applied: ${drift.changed.map(({ file, row }) => `${file.name} (recorded sha256 ${row.checksum.slice(0, 12)}…, file now ${file.checksum.slice(0, 12)}…)`).join(', ')}`);
  }
  if (drift.missing.length) parts.push(`applied but no longer in ${dir}: ${drift.missing.map((r) => r.name).join(', ')}`);
  return parts.join('; ');
}

export function driftError(drift: Drift, dir: string): MigrationPlanError {
  const count = drift.changed.length + drift.missing.length;
  return new MigrationPlanError(`${count} applied migration${count === 1 ? '' : 's'} no longer match${count === 1 ? 'es' : ''} the files, so nothing was run: ${describeDrift(drift, dir)}.`, {
    fix:
      'restore the applied files as they were (e.g. git checkout <commit> -- <file>) and put the change in a new migration; or, if the edit is intentional and harmless, pass allow-changed-migrations: true. ' +
      '(Only a .down.sql changed, on a database last migrated by an earlier cutover whose checksum covered down files too? Restore the down file and run migrate once: it records the up-only checksum.)',
  });
}

/** All names (files and history) in run order. */
export function orderedNames(files: MigrationFile[], history: HistoryRow[]): string[] {
  return [...new Set([...files.map((f) => f.name), ...history.map((r) => r.name)])].sort(compareMigrationNames);
}

/** Resolves `to` (a full name such as 002_create_orders, or just its id 002) to a migration name. */
export function resolveTo(to: string, files: MigrationFile[], history: HistoryRow[], dir: string): string {
  const wanted = to.trim().replace(/\.(up|down)\.sql$|\.m?js$/, '');
  const names = orderedNames(files, history);
  if (names.includes(wanted)) return wanted;
  const byId = names.filter((name) => /^(\d+)_/.exec(name)?.[1] === wanted);
  if (byId.length === 1) return byId[0];
  const known = names.length ? `known migrations: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}` : 'there are no migrations at all';
  throw new MigrationPlanError(`'to' names the migration '${to}', which is neither in ${dir} nor in the history table (${known}).`, {
    fix: 'set to to the name of a migration file without its extension (e.g. 002_create_orders) or leave it empty.',
  });
}

/** Pending files up to and including `to` (migrate, baseline). */
export function selectPending(files: MigrationFile[], history: HistoryRow[], to?: string): MigrationFile[] {
  const applied = new Set(history.map((r) => r.name));
  const pending = files.filter((f) => !applied.has(f.name));
  if (to === undefined) return pending;
  return pending.filter((f) => compareMigrationNames(f.name, to) <= 0);
}

/** Pending files that sort before an applied one (e.g. merged from an older branch). */
export function outOfOrder(selected: MigrationFile[], history: HistoryRow[]): MigrationFile[] {
  const lastApplied = history.map((r) => r.name).sort(compareMigrationNames).at(-1);
  return lastApplied ? selected.filter((f) => compareMigrationNames(f.name, lastApplied) < 0) : [];
}

/**
 * Applied migrations to roll back, newest first: those after `to` (exclusive) when given, else the
 * last `steps` in migration order (the order they run in, not the time they were applied).
 */
export function selectRollback(history: HistoryRow[], options: { to?: string; steps: number }): string[] {
  const applied = history.map((r) => r.name).sort(compareMigrationNames);
  const chosen = options.to !== undefined ? applied.filter((name) => compareMigrationNames(name, options.to!) > 0) : applied.slice(Math.max(0, applied.length - options.steps));
  return chosen.reverse();
}

export interface EntryOptions {
  mode: 'status' | 'migrate' | 'rollback' | 'baseline';
  /** What this run did to each name it touched. */
  touched: Map<string, MigrationStatus>;
  failed?: { name: string; message: string; file?: string; line?: number };
}

/**
 * One entry per migration, in run order. In status mode an applied migration is `applied`; in the
 * other modes `applied` means "applied by this run" and earlier ones are `already-applied`.
 */
export function buildEntries(files: MigrationFile[], history: HistoryRow[], options: EntryOptions): MigrationEntry[] {
  const fileByName = new Map(files.map((f) => [f.name, f]));
  const rowByName = new Map(history.map((r) => [r.name, r]));
  return orderedNames(files, history).map((name) => {
    const file = fileByName.get(name);
    const row = rowByName.get(name);
    let status: MigrationStatus;
    if (options.failed?.name === name) status = 'failed';
    else if (options.touched.has(name)) status = options.touched.get(name)!;
    else if (!row) status = 'pending';
    else if (!file) status = 'missing-file';
    else if (!checksumMatches(file, row.checksum)) status = 'changed';
    else status = options.mode === 'status' ? 'applied' : 'already-applied';
    const entry: MigrationEntry = { name, status, checksum: file?.checksum ?? row!.checksum };
    if (row) {
      if (row.appliedAt) entry.appliedAt = row.appliedAt;
      if (row.appliedBy !== null) entry.appliedBy = row.appliedBy;
      if (row.durationMs !== null) entry.durationMs = row.durationMs;
    }
    if (options.failed?.name === name) {
      const { message, file: failedFile, line } = options.failed;
      entry.error = { message, ...(failedFile ? { file: failedFile } : {}), ...(line ? { line } : {}) };
    }
    return entry;
  });
}
